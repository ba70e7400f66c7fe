#pragma once

#include "app/CommandLineOutcome.h"
#include "protocol/FaultRequest.h"

#include <QStringList>
#include <QUrl>

namespace sb::app {

// `switchboard fault ACTION [ARGS...] --control URL`: one validated FaultRequest and the
// devcluster control endpoint to send it to. A bad action or argument is a usage error
// (exit 2, one line) found here, before anything is sent.
class FaultCommandLine
{
public:
    CommandLineOutcome parse(const QStringList &arguments);
    const protocol::FaultRequest &request() const { return m_request; }
    QUrl control() const { return m_control; }
    int timeoutMs() const { return m_timeoutMs; }

private:
    protocol::FaultRequest m_request;
    QUrl m_control;
    int m_timeoutMs = 10000;
};

} // namespace sb::app
