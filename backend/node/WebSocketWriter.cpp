#include "node/WebSocketWriter.h"

#include "node/LingeringSocket.h"

#include <QTcpSocket>
#include <QWebSocket>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif
#if defined(Q_OS_UNIX) && defined(MSG_NOSIGNAL)
#define SB_DIRECT_SEND 1 // Linux: send(2) without SIGPIPE; elsewhere QTcpSocket writes all
#endif

namespace sb::node {

WebSocketWriter::WebSocketWriter(QWebSocket *socket, QTcpSocket *transport, WriteBatch *batch)
    : m_socket(socket)
    , m_transport(transport)
    , m_lingering(qobject_cast<LingeringSocket *>(transport))
    , m_batch(batch)
{ }

WebSocketWriter::~WebSocketWriter()
{
    if (m_batch && !m_held.isEmpty())
        m_batch->forget(this);
}

QByteArray WebSocketWriter::frame(QByteArrayView payload, Kind kind)
{
    const quint64 size = quint64(payload.size());
    QByteArray out;
    out.reserve(10 + payload.size());
    out.append(char(0x80 | (kind == Kind::Text ? 0x1 : 0x2))); // FIN + opcode
    if (size < 126) {
        out.append(char(size));
    } else if (size <= 0xFFFF) {
        out.append(char(126));
        out.append(char(size >> 8));
        out.append(char(size & 0xFF));
    } else {
        out.append(char(127));
        for (int shift = 56; shift >= 0; shift -= 8)
            out.append(char((size >> shift) & 0xFF));
    }
    out.append(payload);
    return out;
}

bool WebSocketWriter::send(const QByteArray &message, Kind kind)
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return false;
    const bool oneFrame = quint64(message.size()) <= m_socket->outgoingFrameSize();
    const bool sameBytes = kind == Kind::Binary || message.isValidUtf8();
    if (m_transport && oneFrame && sameBytes) {
        if (!m_batch) {
            write(frame(message, kind));
            return true;
        }
        if (m_held.isEmpty())
            m_batch->hold(this);
        m_held.append(frame(message, kind));
        return true;
    }
    flush(); // what QWebSocket writes goes after what was held
    if (kind == Kind::Binary)
        m_socket->sendBinaryMessage(message);
    else
        m_socket->sendTextMessage(QString::fromUtf8(message));
    return true;
}

void WebSocketWriter::flush()
{
    if (m_held.isEmpty())
        return;
    if (m_batch)
        m_batch->forget(this);
    write(std::exchange(m_held, {}));
}

void WebSocketWriter::write(const QByteArray &bytes)
{
    if (!m_transport)
        return;
    qsizetype sent = 0;
#ifdef SB_DIRECT_SEND
    // Straight to the kernel only while nothing waits in QTcpSocket's buffer (the order of
    // the bytes), and never after a lingering close began (nothing may follow it there).
    // What the kernel does not take now, and any error, is left to QTcpSocket, which queues
    // the rest and finds the error itself.
    if (m_transport->bytesToWrite() == 0 && m_transport->state() == QAbstractSocket::ConnectedState
        && !(m_lingering && m_lingering->isLingering())) {
        const auto n = ::send(int(m_transport->socketDescriptor()), bytes.constData(), size_t(bytes.size()),
            MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0)
            sent = qsizetype(n);
    }
#endif
    if (sent < bytes.size())
        m_transport->write(bytes.constData() + sent, bytes.size() - sent);
}

} // namespace sb::node
