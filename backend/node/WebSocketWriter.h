#pragma once

#include "node/OutboundQueue.h"
#include "node/WriteBatch.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QPointer>

class QTcpSocket;
class QWebSocket;

namespace sb::node {

class NodeMetrics;

// Sends a session's WebSocket messages: each one framed here (RFC 6455 §5.2, a server's
// frame: FIN, no mask) and written to the TCP socket under the QWebSocket.
// - QWebSocket::sendTextMessage took a QString (every STOMP frame went UTF-8 → UTF-16 →
//   UTF-8), copied it again and wrote header and payload as two writes. The bytes on the
//   wire are QWebSocket's (tst_websocketwriter compares them); a message QWebSocket would
//   split into several frames (over its outgoingFrameSize()), or a text message that is not
//   valid UTF-8 (which QString turned into U+FFFD), still goes through QWebSocket.
// - With a WriteBatch, frames are held until the events already queued on the worker have
//   run, then written through the connection's OutboundQueue: one send(2) straight to the
//   kernel while the socket has nothing queued; QTcpSocket's buffer (and its write notifier,
//   armed per write and disarmed per flush) only for what the kernel did not take, and
//   beyond 64 KiB there, whole frames wait in the queue (a slow consumer's are dropped).
// Control frames (close, pong) stay QWebSocket's: the session flushes before it closes, and
// QWebSocket writes to the same TCP socket, so the order of what is written is kept.
// docs/benchmarks.md, "Tuning the hot path".
class WebSocketWriter final : public WriteBatch::Holder
{
public:
    // ValidText: a text message its sender knows is valid UTF-8 (SharedMessageFrame checks
    // its shared bytes once per broadcast), not read again here per subscriber.
    enum class Kind { Text, ValidText, Binary };
    // A batch holds at most this per session: past it the frames go at once. The batch's
    // flush runs after the events queued before it, and with the worker behind under
    // overload those were thousands of broadcasts: every session held all of them, ~1 GB
    // at 1,000 subscribers, out of the kernel's reach and out of every limit's sight
    // (docs/benchmarks.md, "Overload: shedding and memory").
    static constexpr qsizetype kMaxHeldBytes = 64 * 1024;

    // batch: the worker's (outlives the writer's session); none: every message is written
    // to the TCP socket at once. metrics: where the backlog's bytes are added up (or none).
    WebSocketWriter(QWebSocket *socket, QTcpSocket *transport, WriteBatch *batch = nullptr,
        NodeMetrics *metrics = nullptr);
    ~WebSocketWriter();
    WebSocketWriter(const WebSocketWriter &) = delete;
    WebSocketWriter &operator=(const WebSocketWriter &) = delete;

    // False when the WebSocket is no longer open (nothing written).
    bool send(const QByteArray &message, Kind kind) { return isOpen() && sendOpen(message, kind); }
    bool isOpen() const;
    // send() for a caller that has just seen isOpen(): one check of the socket per frame
    // (its QPointer and QWebSocket::state() touch two cold cache lines per subscriber).
    bool sendOpen(const QByteArray &message, Kind kind);
    // What is held now goes to the socket.
    void flush() override;
    // Before QWebSocket writes (a close frame): everything held or waiting goes to the socket.
    void flushAll();
    // Bytes held for the batch's flush, not yet given to the socket.
    qsizetype held() const { return m_held.size(); }
    // Bytes held for the batch's flush or queued, not yet taken by the kernel (as counted at
    // the queue's last write or drain: no call into the socket, asked per frame).
    qint64 queued() const { return m_held.size() + m_queue.pending(); }
    // After the TCP socket was flushed directly: its buffer counted again.
    void recountQueued() { m_queue.recount(); }
    // Whether the oldest queued byte has waited longer than `ms` (OutboundQueue).
    bool backlogOlderThan(qint64 ms) { return m_queue.waitedLongerThan(ms); }
    // A slow consumer: the frames held or waiting go unsent (OutboundQueue::dropWaiting).
    void dropUnsent();

    // The whole frame: header, then payload.
    static QByteArray frame(QByteArrayView payload, Kind kind);
    // The same frame appended to `out`.
    static void appendFrame(QByteArray &out, QByteArrayView payload, Kind kind);

private:
    QPointer<QWebSocket> m_socket;
    QPointer<QTcpSocket> m_transport;
    QPointer<WriteBatch> m_batch;
    QByteArray m_held;
    OutboundQueue m_queue;
};

} // namespace sb::node
