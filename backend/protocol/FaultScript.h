#pragma once

#include "protocol/FaultRequest.h"

#include <QByteArray>
#include <QList>

#include <optional>

namespace sb::protocol {

// A timed fault script for the console's demo (`--demo-script FILE`): a JSON list of
// steps {"at": SECONDS, "action": NAME, "args": {…}}, `at` counted from the moment the demo
// cluster is ready. Each step is a FaultRequest, validated by the same parser as every
// other fault path. Pure; fuzzed by fuzz/fuzz_fault_script.cpp.
struct FaultScriptStep
{
    double atSeconds = 0;
    FaultRequest request;
};

class FaultScript
{
public:
    static constexpr qsizetype kMaxBytes = 1024 * 1024;
    static constexpr int kMaxSteps = 1000;
    static constexpr double kMaxAtSeconds = 24 * 3600;

    // The steps in time order; nullopt with a one-line *error that names the step at fault.
    static std::optional<QList<FaultScriptStep>> parse(const QByteArray &json, QString *error);
};

} // namespace sb::protocol
