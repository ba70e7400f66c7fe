#include "node/LingeringSocket.h"

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace sb::node {

LingeringSocket::LingeringSocket(int lingerMs, QObject *parent)
    : QTcpSocket(parent)
    , m_lingerMs(lingerMs)
    , m_deadline(this)
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        emit lingerExpired();
        abort();
    });
    connect(this, &QAbstractSocket::disconnected, &m_deadline, &QTimer::stop);
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
    m_deadline.start(m_lingerMs);
    flush();
    shutdownWriteWhenFlushed();
    discardInput();
    // The peer's close (EOF) now ends the connection: Qt then disconnects the socket itself.
}

qint64 LingeringSocket::writeData(const char *data, qint64 length)
{
    if (m_lingering)
        return length; // after close(): nothing may follow what was queued before it
    return QTcpSocket::writeData(data, length);
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
