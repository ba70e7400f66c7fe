#pragma once

#include "protocol/SseParser.h"
#include "protocol/TrafficFrame.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace sb::inspect {

// Turns one text/event-stream connection into the frames the SSE probe shows, in stream
// order: each dispatched event (command = its type, "message" when unnamed; headers id,
// event and retry as the block had them; messageId = its id line's value; body = its data),
// each comment ("COMMENT", body = its text: keep-alives are visible and filterable), and
// each block that only sets retry: ("RETRY"). Events themselves come from SseParser, so
// they are exactly what a browser's EventSource dispatches; this class watches the same
// lines go by to see what the parser does not report (comments, which block had an id,
// the bytes on the wire).
//
// Pure and bounded: a line longer than maxLineBytes, or an event with more data than
// maxEventBytes, is an error (the stream is bad); nothing grows past those. The frames it
// returns carry command, headers, body, bytes, messageId and truncated; the client fills
// in the rest (time, source, transport, direction, destination).
class SseProbeStream
{
public:
    explicit SseProbeStream(qsizetype maxLineBytes = 64 * 1024, qsizetype maxEventBytes = 1024 * 1024,
        qsizetype maxBodyBytes = 64 * 1024);

    QList<protocol::TrafficFrame> feed(QByteArrayView bytes);

    bool hasError() const { return !m_error.isEmpty(); }
    const QString &errorString() const { return m_error; }

    // What a reconnect sends as Last-Event-ID: the one set here until a block with an id:
    // line changes it (as EventSource's last event ID buffer).
    const QString &lastEventId() const { return m_lastEventId; }
    void setLastEventId(const QString &id) { m_lastEventId = id; }
    // The latest valid retry: value; -1 until one arrives.
    qint64 retryMs() const { return m_parser.reconnectionTimeMs(); }

    // A new connection: forgets partial input and the error, keeps lastEventId and retryMs.
    void restart();

private:
    void onLine(QByteArrayView raw, QByteArrayView line, QList<protocol::TrafficFrame> *out);
    protocol::TrafficFrame newFrame(const QString &command, const QByteArray &body, qint64 bytes) const;
    void resetBlock();

    protocol::SseParser m_parser;
    qsizetype m_maxLineBytes;
    qsizetype m_maxBodyBytes;
    QByteArray m_buffer;
    qsizetype m_pos = 0;
    bool m_skipLf = false; // the last line ended with a CR: an LF first in the next bytes belongs to it
    bool m_firstLine = true; // a BOM may start it
    QString m_lastEventId;
    QString m_error;

    // The block (event) being read.
    qint64 m_blockBytes = 0;
    bool m_blockHasId = false;
    bool m_blockHasEvent = false;
    qint64 m_blockRetry = -1;
};

} // namespace sb::inspect
