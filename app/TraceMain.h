#pragma once

#include "app/CommandLineOutcome.h"

#include <QStringList>

namespace sb::app {

// `switchboard trace`: see TraceCommandLine. Runs its own QCoreApplication; needs no display.
class TraceMain
{
public:
    static CommandLineOutcome run(int argc, char **argv, const QStringList &arguments);
};

} // namespace sb::app
