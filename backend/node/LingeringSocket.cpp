#include "node/LingeringSocket.h"

#include <QTimerEvent>

#include <utility>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif
#if defined(Q_OS_UNIX) && defined(MSG_NOSIGNAL)
#define SB_LINGERING_DIRECT_SEND 1 // Linux: send(2) without SIGPIPE; elsewhere QTcpSocket buffers all
#endif

namespace sb::node {

LingeringSocket::LingeringSocket(int lingerMs, QObject *parent)
    : QTcpSocket(parent)
    , m_lingerMs(lingerMs)
{ }

void LingeringSocket::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_deadline.timerId()) {
        QTcpSocket::timerEvent(event);
        return;
    }
    m_deadline.stop();
    // The peer closed first: the linger ended as it should. (Checked here rather than by a
    // connection to disconnected(): ~QAbstractSocket aborts a connected socket and emits
    // disconnected() when this class's part is already gone.)
    if (state() == QAbstractSocket::UnconnectedState)
        return;
    emit lingerExpired();
    abort();
}

void LingeringSocket::close()
{
    // abort() calls close() too, after dropping the write channel: that one resets at once.
    const bool aborting = writeChannelCount() == 0;
    if (aborting || state() != QAbstractSocket::ConnectedState) {
        m_deadline.stop();
        QTcpSocket::close();
        return;
    }
    if (m_lingering)
        return;
    m_lingering = true;
    // Whoever read this socket (the WebSocket, the HTTP parser) is done with it: from now on
    // its input is only drained, so the peer's bytes never sit unread when the fd closes.
    disconnect(this, &QIODevice::readyRead, nullptr, nullptr);
    connect(this, &QIODevice::readyRead, this, &LingeringSocket::discardInput);
    connect(this, &QIODevice::bytesWritten, this, &LingeringSocket::shutdownWriteWhenFlushed);
    m_deadline.start(m_lingerMs, this);
    flush();
    shutdownWriteWhenFlushed();
    discardInput();
    // The peer's close (EOF) now ends the connection: Qt then disconnects the socket itself.
}

qint64 LingeringSocket::writeData(const char *data, qint64 length)
{
    if (m_lingering)
        return length; // after close(): nothing may follow what was queued before it
    qint64 sent = 0;
#ifdef SB_LINGERING_DIRECT_SEND
    // Only while nothing waits in QTcpSocket's buffer (the order of the bytes). What the
    // kernel does not take now, and any error, is left to QTcpSocket, which buffers the rest
    // and finds the error itself, as it did with everything before.
    if (length > 0 && bytesToWrite() == 0 && state() == QAbstractSocket::ConnectedState) {
        const auto n = ::send(int(socketDescriptor()), data, size_t(length), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0)
            sent = qint64(n);
    }
#endif
    if (sent > 0)
        noteSentDirectly(sent);
    if (sent == length)
        return length;
    const qint64 buffered = QTcpSocket::writeData(data + sent, length - sent);
    if (buffered < 0)
        return sent > 0 ? sent : buffered;
    return sent + buffered;
}

void LingeringSocket::noteSentDirectly(qint64 bytes)
{
    // Not emitted here: a caller that counts its unsent bytes by bytesWritten() adds what
    // write() returned only after write() returns (TapReader).
    const bool reportPending = m_sentUnreported > 0;
    m_sentUnreported += bytes;
    if (!reportPending)
        QMetaObject::invokeMethod(this, &LingeringSocket::reportSentDirectly, Qt::QueuedConnection);
}

void LingeringSocket::reportSentDirectly()
{
    if (const qint64 bytes = std::exchange(m_sentUnreported, 0); bytes > 0)
        emit bytesWritten(bytes);
}

void LingeringSocket::shutdownWriteWhenFlushed()
{
    if (m_writeShut || bytesToWrite() > 0 || state() != QAbstractSocket::ConnectedState)
        return;
    m_writeShut = true;
#ifdef Q_OS_UNIX
    ::shutdown(int(socketDescriptor()), SHUT_WR); // FIN after the last byte queued in the kernel
#endif
}

void LingeringSocket::discardInput()
{
    if (bytesAvailable() > 0)
        skip(bytesAvailable());
}

} // namespace sb::node
