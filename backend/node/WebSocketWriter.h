#pragma once

#include "node/HeldWrites.h"
#include "node/OutboundQueue.h"
#include "node/WriteBatch.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QPointer>

class QTcpSocket;

namespace sb::node {

class NodeMetrics;

// Sends a session's WebSocket messages and control frames: each one framed here (RFC 6455
// §5.2, a server's frame: FIN, no mask) and written to the session's TCP socket. There is no
// QWebSocket on the STOMP path any more (docs/benchmarks.md, "Idle connections: where the
// bytes go"), so what QWebSocket did for the writer is done here, to the same bytes
// (tst_websocketwriter compares them with QWebSocket's):
// - a message over kMaxFramePayload (QWebSocket's outgoing frame size, 512 KiB) goes as
//   that many fragments: the first with the message's opcode, then continuations, FIN on
//   the last;
// - a text message that is not valid UTF-8 goes with each bad sequence replaced by U+FFFD
//   (QWebSocket took a QString, which did that), so a client never gets text it must fail;
// - the pong that answers a ping, and the close frame, after everything sent before them.
// With a WriteBatch, frames are held until the events already queued on the worker have
//   run, then written through the connection's OutboundQueue: one send(2) straight to the
//   kernel while the socket has nothing queued; QTcpSocket's buffer (and its write notifier,
//   armed per write and disarmed per flush) only for what the kernel did not take, and
//   beyond 64 KiB there, whole frames wait in the queue (a slow consumer's are dropped).
// docs/benchmarks.md, "Tuning the hot path".
class WebSocketWriter final : public WriteBatch::Holder
{
public:
    // ValidText: a text message its sender knows is valid UTF-8 (SharedMessageFrame checks
    // its shared bytes once per broadcast), not read again here per subscriber.
    enum class Kind { Text, ValidText, Binary };
    // A batch holds at most this per session: past it the frames go at once.
    static constexpr qsizetype kMaxHeldBytes = WriteBatch::kMaxHeldBytes;

    // QWebSocket's default outgoing frame size: a longer message is sent in fragments.
    static constexpr qsizetype kMaxFramePayload = 512 * 1024;

    // transport: the session's TCP socket (it may go first). batch: the worker's (outlives
    // the writer's session); none: every message is written to the TCP socket at once.
    // metrics: where the backlog's bytes are added up (or none).
    explicit WebSocketWriter(
        QTcpSocket *transport, WriteBatch *batch = nullptr, NodeMetrics *metrics = nullptr);
    ~WebSocketWriter();
    WebSocketWriter(const WebSocketWriter &) = delete;
    WebSocketWriter &operator=(const WebSocketWriter &) = delete;

    // False when the WebSocket is no longer open (closed, or its close sent: nothing written).
    bool send(const QByteArray &message, Kind kind) { return isOpen() && sendOpen(message, kind); }
    bool isOpen() const;
    // send() for a caller that has just seen isOpen(): one check of the socket per frame
    // (its QPointer and the socket's state touch cold cache lines per subscriber).
    bool sendOpen(const QByteArray &message, Kind kind);
    // What is held now goes to the socket.
    void flush() override;
    // Everything held or waiting goes to the socket (before the close, or a flush of the socket).
    void flushAll();
    // The answer to a ping (its payload, at most 125 bytes), after what was sent before it.
    void sendPong(QByteArrayView payload);
    // The close frame (code, and the reason cut to the 123 bytes a control frame leaves it),
    // after everything held or waiting; from then on the writer is closed.
    void sendClose(quint16 code, QByteArrayView reason);
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

    // The whole message: header, then payload; fragments when it is over kMaxFramePayload.
    static QByteArray frame(QByteArrayView payload, Kind kind);
    // The same appended to `out`.
    static void appendFrame(QByteArray &out, QByteArrayView payload, Kind kind);

private:
    // One frame (FIN or not) with this opcode appended to `out`.
    static void appendOneFrame(QByteArray &out, QByteArrayView payload, int opcode, bool fin);
    // Control frames go after everything before them (held, waiting), at once.
    void sendControl(int opcode, QByteArrayView payload);

    QPointer<QTcpSocket> m_transport;
    bool m_closeSent = false;
    HeldWrites m_held;
    OutboundQueue m_queue;
};

} // namespace sb::node
