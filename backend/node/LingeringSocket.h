#pragma once

#include <QBasicTimer>
#include <QTcpSocket>

namespace sb::node {

// A client connection whose close() never resets what it has already written.
//
// Closing a plain socket while the peer's bytes sit unread in it (frames pipelined behind
// the one that ended the session, or still on their way) makes the kernel answer with RST,
// and a RST makes the peer's kernel drop whatever it had received but its application had
// not read yet: the client loses the RECEIPTs and the ERROR it was owed and sees a reset
// (WebSocket 1006). So close() here is a lingering close (RFC 9112 §9.6, RFC 6455 §7.1.1):
// what is queued is written, the sending side is shut down (FIN after the last byte), what
// the peer still sends is read and thrown away, and the socket closes once the peer has
// closed its side, or after `lingerMs` (then reset, and lingerExpired() says so).
// Nothing is written after close(); calling it again while lingering changes nothing, and
// abort() still resets at once.
//
// A write goes straight to the kernel (one send(2)) while QTcpSocket's buffer is empty, and
// only what the kernel does not take is buffered there. QTcpSocket copied every write into
// its buffer first, whose first write allocated a 32 KiB block that the socket then kept for
// its whole life: for an idle WebSocket session, whose only buffered write was the
// handshake's answer, most of what it cost (docs/benchmarks.md, "Idle connections: where
// the bytes go"). bytesWritten() still comes for those bytes, from the event loop, not from
// inside write().
class LingeringSocket : public QTcpSocket
{
    Q_OBJECT
public:
    LingeringSocket(int lingerMs, QObject *parent);

    void close() override;
    bool isLingering() const { return m_lingering; }

signals:
    void lingerExpired();

protected:
    qint64 writeData(const char *data, qint64 length) override;
    void timerEvent(QTimerEvent *event) override;

private:
    void shutdownWriteWhenFlushed();
    void discardInput();
    // Bytes the kernel took from writeData() directly: bytesWritten() for all of them once
    // the event loop runs again.
    void noteSentDirectly(qint64 bytes);
    void reportSentDirectly();

    int m_lingerMs;
    bool m_lingering = false;
    bool m_writeShut = false;
    qint64 m_sentUnreported = 0;
    // The linger's deadline: a QBasicTimer (an id), not a QTimer, an object of its own and
    // two connections for every socket, of which few ever linger.
    QBasicTimer m_deadline;
};

} // namespace sb::node
