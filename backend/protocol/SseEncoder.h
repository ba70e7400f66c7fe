#pragma once

#include "protocol/SseEvent.h"

#include <QByteArray>
#include <QStringView>

namespace sb::protocol {

// Writes text/event-stream (WHATWG HTML §9.2), UTF-8, LF line ends.
class SseEncoder
{
public:
    // id, event, retry, then one "data:" line per line of data (CR, LF and CRLF all
    // split), then the blank line that makes the client dispatch. Always writes at least
    // one data line, so every encoded event is dispatched, even with empty data.
    // CR and LF are removed from id and type (a line break there would end the field
    // early and let the rest be read as other fields), and NUL from id (clients ignore
    // an id holding NUL).
    static QByteArray encode(const SseEvent &event);

    // ":text" lines, one per line of text. Clients ignore them; proxies see traffic, so
    // an idle stream is not timed out.
    static QByteArray encodeComment(QStringView text = {});

    // "retry:<ms>" followed by a blank line: tells the client how long to wait before it
    // reconnects (e.g. sent last before a stream closes or a node drains).
    static QByteArray encodeRetry(qint64 retryMs);

    // The field value as it goes on the wire for id/event: line breaks removed.
    static QString sanitizeField(QStringView value);
};

} // namespace sb::protocol
