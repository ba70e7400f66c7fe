#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>

namespace sb::protocol {

// One frame of cluster traffic as the console's Traffic area shows it, whatever saw it: a
// node's /admin/tap stream, a probe client (STOMP, SockJS, SSE), a Redis pub/sub monitor or
// a Kafka topic tail. A small record: strings that repeat (source, user, session,
// destination, command) are shared between frames by whoever decodes them (implicit
// sharing), and the headers are one byte block decoded only when the detail pane asks.
struct TrafficFrame
{
    enum class Transport : quint8 { Stomp, Sse, Http, Kafka, Redis, WebSocket, Other };
    enum class Direction : quint8 {
        In,
        Out,
        None
    }; // as seen by the server (node's tap), or by the probe's server

    qint64 seq = 0; // set by the console's buffer: arrival order, unique, never reused
    qint64 tsMs = 0; // when it happened (the source's clock), ms since the epoch
    QString source; // replica id ("node-1"), or "probe", "redis", "kafka", ...
    Transport transport = Transport::Other;
    Direction direction = Direction::None;
    bool truncated = false; // the body was cut by the source (the node's --tap-body-bytes)
    QString command; // CONNECT, SEND, MESSAGE, an SSE event type, POST, STAGE1, BROADCAST, RECORD, ...
    QString destination; // STOMP destination, SSE path or channel, Kafka topic, Redis channel
    QString user;
    QString session;
    QString messageId;
    qint64 bytes = 0; // size on the wire as the source counted it
    QByteArray headerBlock; // "name:value\n" per header, STOMP 1.2 escaping (see setHeaders)
    QByteArray body;

    using Header = QPair<QString, QString>;
    // Headers in their order; names and values may hold any character.
    QList<Header> headers() const;
    void setHeaders(const QList<Header> &headers);
    // The first header of that name (case-sensitive, as in STOMP); empty when absent.
    QString header(const QString &name) const;

    static QString transportName(Transport transport);
    static Transport transportFromName(QStringView name); // Other when unknown
    static QString directionName(Direction direction); // "in", "out", ""
    static Direction directionFromName(QStringView name); // None when unknown
};

} // namespace sb::protocol

Q_DECLARE_METATYPE(sb::protocol::TrafficFrame)
