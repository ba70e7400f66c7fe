#pragma once

#include "app/CommandLineOutcome.h"
#include "protocol/TrafficFrame.h"

#include <QStringList>

namespace sb::app {

// `switchboard tap`: see TapCommandLine. Runs its own QCoreApplication; needs no display.
class TapMain
{
public:
    static CommandLineOutcome run(int argc, char **argv, const QStringList &arguments);
    // One frame as a line of text: "12:00:00.123 node-1 stomp → SEND /app/channels.general user=alice …".
    static QString textLine(const protocol::TrafficFrame &frame);
};

} // namespace sb::app
