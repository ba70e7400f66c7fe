// libFuzzer target for FaultScript (`switchboard --demo-script FILE`). Input: the file.
// Checks that parsing never crashes, that a refusal says why, and that accepted steps are
// in time order within bounds.
#include "protocol/FaultScript.h"

#include <cstdint>
#include <cstdlib>

using namespace sb::protocol;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QString error;
    const auto steps
        = FaultScript::parse(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)), &error);
    if (!steps) {
        if (error.isEmpty())
            std::abort();
        return 0;
    }
    double previous = 0;
    for (const FaultScriptStep &step : *steps) {
        if (step.atSeconds < previous || step.atSeconds > FaultScript::kMaxAtSeconds)
            std::abort();
        previous = step.atSeconds;
    }
    return 0;
}
