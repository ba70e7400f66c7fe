#pragma once

#include "inspect/SseProbeSettings.h"
#include "inspect/StompProbeSettings.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace sb::app {

// `switchboard probe stomp|sse URL …`: which probe, its settings and when to stop.
struct ProbeOptions
{
    enum class Kind { Stomp, Sse };
    struct Send
    {
        QString destination;
        QByteArray body;
    };

    Kind kind = Kind::Stomp;
    inspect::StompProbeSettings stomp; // Kind::Stomp
    inspect::SseProbeSettings sse; // Kind::Sse
    QList<Send> sends; // STOMP: sent once every --subscribe has its RECEIPT
    int count = 0; // > 0: stop (exit 0) after this many MESSAGEs / events
    double timeoutSeconds = 0; // > 0: stop then; exit 0 unless --count was not reached
    bool printSent = false; // also print the frames the probe sends
};

} // namespace sb::app
