#pragma once

#include "protocol/SseEvent.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <optional>

namespace sb::protocol {

// Incremental text/event-stream parser with the semantics of a browser's EventSource
// (WHATWG HTML §9.2.6): LF, CR and CRLF line ends (a CRLF split across feeds counts
// once), one leading UTF-8 BOM skipped, comments ignored, "field" without a colon
// meaning an empty value, one space after the colon stripped, an id containing NUL
// ignored, retry only when all ASCII digits, dispatch on a blank line and not at end of
// stream, and the last event ID persisting until an id line changes it.
//
// Bounded: a line longer than maxLineBytes or an event whose data exceeds maxEventBytes
// puts the parser into a final error state (the client should drop the stream and
// reconnect) instead of growing without limit.
class SseParser
{
public:
    explicit SseParser(qsizetype maxLineBytes = 65536, qsizetype maxEventBytes = 1024 * 1024);

    void feed(QByteArrayView bytes);
    // The next complete event, or nothing until more bytes arrive (or after an error).
    std::optional<SseEvent> next();

    bool hasError() const { return !m_error.isEmpty(); }
    const QString &errorString() const { return m_error; }

    // What a reconnect sends as Last-Event-ID.
    const QString &lastEventId() const { return m_lastEventId; }
    // The latest valid retry: value, -1 if none arrived.
    qint64 reconnectionTimeMs() const { return m_retryMs; }
    // Comment lines seen (keep-alives).
    qint64 commentCount() const { return m_comments; }

    // For a new connection: forgets partial input, the error and the BOM state, but
    // keeps lastEventId() and reconnectionTimeMs(), as EventSource does on reconnect.
    void restartStream();

private:
    void processLine(QByteArrayView line);
    std::optional<SseEvent> dispatch();
    void fail(const QString &message);

    qsizetype m_maxLineBytes;
    qsizetype m_maxEventBytes;

    QByteArray m_buffer;
    qsizetype m_pos = 0;
    qsizetype m_scan = 0;
    bool m_bomChecked = false;
    bool m_skipLf = false; // the previous line ended with CR: an LF right after belongs to it

    QString m_data;
    QString m_type;
    QString m_idBuffer;
    bool m_haveData = false;
    std::optional<SseEvent> m_ready;

    QString m_lastEventId;
    qint64 m_retryMs = -1;
    qint64 m_comments = 0;
    QString m_error;
};

} // namespace sb::protocol
