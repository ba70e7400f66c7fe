#pragma once

#include "app/CommandLineOutcome.h"

#include <QStringList>

namespace sb::app {

// `switchboard fault ACTION [ARGS...] --control URL`: sends one request to a devcluster's
// control endpoint and prints its answer (exit 0 done, 1 refused or unreachable, 2 usage).
class FaultMain
{
public:
    static CommandLineOutcome run(int argc, char **argv, const QStringList &arguments);
};

} // namespace sb::app
