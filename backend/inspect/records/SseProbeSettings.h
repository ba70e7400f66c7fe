#pragma once

#include "inspect/ProbeHeaders.h"

#include <QMetaType>
#include <QString>
#include <QUrl>

namespace sb::inspect {

// What an SseProbeClient reads and how: a plain record (the probe dialog fills it, the
// console's capture thread and `switchboard probe` hand it to the client).
struct SseProbeSettings
{
    QUrl url; // http:// or https://, e.g. http://127.0.0.1:8080/api/sse?ticket=…
    ProbeHeaders headers; // request headers (Authorization, Cookie, …), sent on every request
    QString lastEventId; // sent as Last-Event-ID on the first request (resume from there)
    int defaultRetryMs = 3000; // the reconnect delay until the server sends retry:
    int maxReconnectAttempts = -1; // failed attempts in a row before giving up; -1: never give up
    int connectTimeoutMs = 10000; // from the request to the response's headers
    int idleTimeoutMs = 0; // > 0: reconnect when the open stream is silent this long
    QString source = QStringLiteral("probe"); // the frames' source in the Traffic area
    qsizetype maxLineBytes = 64 * 1024; // a longer line is an error (the stream is bad)
    qsizetype maxEventBytes = 1024 * 1024; // an event with more data is an error
    qsizetype maxBodyBytes = 64 * 1024; // an event's data is cut here in the emitted TrafficFrame

    // Empty when the client can start; otherwise one sentence naming the field to fix.
    QString problem() const;
};

} // namespace sb::inspect

Q_DECLARE_METATYPE(sb::inspect::SseProbeSettings)
