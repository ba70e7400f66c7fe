#pragma once

#include <QString>

namespace sb::protocol {

// One Server-Sent Event. For SseEncoder these are the fields to write; from SseParser
// they are what a browser's EventSource would dispatch (type "message" when the stream
// named none, id = the last event ID in effect, which persists across events).
struct SseEvent
{
    QString id; // "id:"; empty = no id line (the client keeps its last one)
    QString type; // "event:"; empty = no event line (the client uses "message")
    QString data; // "data:"; each line of it becomes its own data line
    qint64 retryMs = -1; // "retry:" when >= 0; the parser reports it via SseParser instead

    friend bool operator==(const SseEvent &a, const SseEvent &b)
    {
        return a.id == b.id && a.type == b.type && a.data == b.data && a.retryMs == b.retryMs;
    }
    friend bool operator!=(const SseEvent &a, const SseEvent &b) { return !(a == b); }
};

} // namespace sb::protocol
