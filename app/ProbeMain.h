#pragma once

#include "app/CommandLineOutcome.h"

#include <QStringList>

namespace sb::app {

// `switchboard probe stomp|sse URL …`: a headless probe client that prints each frame it
// receives as one JSON line (see ProbeCommandLine for the options). No QApplication with
// widgets, so it needs no display. Exit 0 when done, 1 on a connection or protocol error
// (its reason on stderr), 2 on a bad option.
class ProbeMain
{
public:
    static CommandLineOutcome run(int argc, char **argv, const QStringList &arguments);
};

} // namespace sb::app
