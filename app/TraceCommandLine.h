#pragma once

#include "app/CommandLineOutcome.h"
#include "app/TapTargetOptions.h"

#include <QStringList>

namespace sb::app {

// `switchboard trace MESSAGE_ID (--node URL … | --profile NAME | --recording FILE)
// [--wait S] [--format text|json]` and `switchboard trace --publish CHANNEL [--text T]
// (--node URL … | --profile NAME)`: every hop of one message across the replicas and the
// subscribers it missed. Pure parsing.
class TraceCommandLine
{
public:
    struct Options
    {
        TapTargetOptions targets;
        QString messageId;
        QString recording;
        QString publishChannel;
        QString publishText;
        int waitSeconds = 10;
        bool json = false;
    };

    CommandLineOutcome parse(const QStringList &arguments);
    const Options &options() const { return m_options; }

private:
    Options m_options;
};

} // namespace sb::app
