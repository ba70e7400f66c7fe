#include "node/OutboundQueue.h"

#include "node/LingeringSocket.h"

#include <QTcpSocket>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif
#if defined(Q_OS_UNIX) && defined(MSG_NOSIGNAL)
#define SB_DIRECT_SEND 1 // Linux: send(2) without SIGPIPE; elsewhere QTcpSocket writes all
#endif

namespace sb::node {

OutboundQueue::OutboundQueue(QTcpSocket *socket, NodeMetrics *metrics)
    : m_socket(socket)
    , m_lingering(qobject_cast<LingeringSocket *>(socket))
    , m_backlog(metrics)
{
    if (socket)
        m_drained = QObject::connect(socket, &QIODevice::bytesWritten, socket, [this] { refill(); });
}

OutboundQueue::~OutboundQueue()
{
    QObject::disconnect(m_drained);
    handAllToSocket(); // the socket may outlive its writer: nothing queued is lost with it
}

void OutboundQueue::recount()
{
    m_inSocket = m_socket ? m_socket->bytesToWrite() : 0;
    m_backlog.observe(pending());
}

qint64 OutboundQueue::ageMs() const
{
    if (m_backlog.pending() == 0)
        return 0;
    return m_backlog.ageMs(OutboundBacklog::nowMs());
}

bool OutboundQueue::waitedLongerThan(qint64 ms)
{
    if (ageMs() <= ms)
        return false;
    recount();
    return ageMs() > ms;
}

void OutboundQueue::write(const QByteArray &units)
{
    if (!m_socket || units.isEmpty())
        return;
    const qint64 before = m_socket->bytesToWrite();
    m_inSocket = before;
    m_backlog.observe(pending());
    if (m_waitingBytes > 0 || before >= kSocketShare) {
        m_waiting.append(units);
        m_waitingBytes += units.size();
        m_backlog.queued(units.size(), OutboundBacklog::nowMs());
        return;
    }
    qsizetype sent = 0;
#ifdef SB_DIRECT_SEND
    // Straight to the kernel only while nothing waits in QTcpSocket's buffer (the order of
    // the bytes), and never after a lingering close began (nothing may follow it there).
    // What the kernel does not take now, and any error, is left to QTcpSocket, which queues
    // the rest (a unit begun is finished there) and finds the error itself.
    if (before == 0 && m_socket->state() == QAbstractSocket::ConnectedState
        && !(m_lingering && m_lingering->isLingering())) {
        const auto n = ::send(int(m_socket->socketDescriptor()), units.constData(), size_t(units.size()),
            MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0)
            sent = qsizetype(n);
    }
#endif
    if (sent == units.size())
        return;
    m_socket->write(units.constData() + sent, units.size() - sent);
    m_inSocket = m_socket->bytesToWrite(); // a lingering socket takes nothing more
    m_backlog.queued(m_inSocket - before, OutboundBacklog::nowMs());
}

void OutboundQueue::refill()
{
    while (m_socket && !m_waiting.isEmpty() && m_socket->bytesToWrite() < kSocketShare) {
        const QByteArray units = m_waiting.takeFirst();
        m_waitingBytes -= units.size();
        m_socket->write(units);
    }
    if (m_waiting.isEmpty())
        m_waiting = {}; // a burst's list, given back (QList keeps its capacity when emptied)
    recount();
}

void OutboundQueue::handAllToSocket()
{
    while (m_socket && !m_waiting.isEmpty()) {
        const QByteArray units = m_waiting.takeFirst();
        m_waitingBytes -= units.size();
        m_socket->write(units);
    }
    if (m_waiting.isEmpty())
        m_waiting = {};
    recount();
}

qint64 OutboundQueue::dropWaiting()
{
    const qint64 dropped = m_waitingBytes;
    m_waiting = {};
    m_waitingBytes = 0;
    recount();
    return dropped;
}

} // namespace sb::node
