#pragma once

#include <QTcpSocket>
#include <QTimer>

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

private:
    void shutdownWriteWhenFlushed();
    void discardInput();

    int m_lingerMs;
    bool m_lingering = false;
    bool m_writeShut = false;
    QTimer m_deadline;
};

} // namespace sb::node
