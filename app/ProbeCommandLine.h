#pragma once

#include "app/CommandLineOutcome.h"
#include "app/ProbeOptions.h"

#include <QStringList>

namespace sb::app {

// `switchboard probe stomp URL [--header K:V …] [--ws-header K:V …] [--subprotocol P …]
// [--sockjs] [--subscribe DEST …] [--ack MODE] [--send DEST BODY …] [--count N]
// [--timeout S] [--sent] [--source NAME]` and `switchboard probe sse URL [--header K:V …]
// [--last-event-id ID] [--retry-ms MS] [--count N] [--timeout S] [--sent] [--source NAME]`.
// Pure: arguments in, outcome and options out. A bad option is one line naming it, exit 2.
class ProbeCommandLine
{
public:
    CommandLineOutcome parse(const QStringList &arguments);
    const ProbeOptions &options() const { return m_options; }

private:
    ProbeOptions m_options;
};

} // namespace sb::app
