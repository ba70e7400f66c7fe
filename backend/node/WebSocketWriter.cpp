#include "node/WebSocketWriter.h"

#include <QTcpSocket>
#include <QWebSocket>

#include <cstring>

namespace sb::node {

WebSocketWriter::WebSocketWriter(
    QWebSocket *socket, QTcpSocket *transport, WriteBatch *batch, NodeMetrics *metrics)
    : m_socket(socket)
    , m_transport(transport)
    , m_batch(batch)
    , m_queue(transport, metrics)
{ }

WebSocketWriter::~WebSocketWriter()
{
    if (m_batch && !m_held.isEmpty())
        m_batch->forget(this);
}

QByteArray WebSocketWriter::frame(QByteArrayView payload, Kind kind)
{
    QByteArray out;
    out.reserve(10 + payload.size());
    appendFrame(out, payload, kind);
    return out;
}

void WebSocketWriter::appendFrame(QByteArray &out, QByteArrayView payload, Kind kind)
{
    const quint64 size = quint64(payload.size());
    char header[10];
    qsizetype length = 0;
    header[length++] = char(0x80 | (kind == Kind::Binary ? 0x2 : 0x1)); // FIN + opcode
    if (size < 126) {
        header[length++] = char(size);
    } else if (size <= 0xFFFF) {
        header[length++] = char(126);
        header[length++] = char(size >> 8);
        header[length++] = char(size & 0xFF);
    } else {
        header[length++] = char(127);
        for (int shift = 56; shift >= 0; shift -= 8)
            header[length++] = char((size >> shift) & 0xFF);
    }
    // At most one allocation for header and payload (appended piece by piece, the held bytes
    // grew two or three times per frame: ~900 of a delivery's ~3,300 instructions under
    // callgrind), growing geometrically so that a batch is not reallocated for every frame.
    const qsizetype at = out.size();
    const qsizetype needed = at + length + payload.size();
    if (out.capacity() < needed)
        out.reserve(qMax(needed, 2 * out.capacity()));
    // Resized within the capacity and copied into: QByteArray::append's general path cost
    // ~130 instructions a piece, two a frame (docs/benchmarks.md, "Instructions per delivery").
    out.resize(needed);
    char *cursor = out.data() + at;
    std::memcpy(cursor, header, std::size_t(length));
    if (!payload.isEmpty()) // an empty payload's data() may be null, which memcpy may not be given
        std::memcpy(cursor + length, payload.data(), std::size_t(payload.size()));
}

bool WebSocketWriter::isOpen() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

bool WebSocketWriter::sendOpen(const QByteArray &message, Kind kind)
{
    const bool oneFrame = quint64(message.size()) <= m_socket->outgoingFrameSize();
    const bool sameBytes = kind != Kind::Text || message.isValidUtf8();
    if (m_transport && oneFrame && sameBytes) {
        if (!m_batch) {
            m_queue.write(frame(message, kind));
            return true;
        }
        if (m_held.isEmpty())
            m_batch->hold(this);
        appendFrame(m_held, message, kind); // framed in place: no frame of its own per delivery
        if (m_held.size() >= kMaxHeldBytes)
            flush();
        return true;
    }
    flushAll(); // what QWebSocket writes goes after what was held
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
    m_queue.write(std::exchange(m_held, {}));
}

void WebSocketWriter::flushAll()
{
    flush();
    m_queue.handAllToSocket();
}

void WebSocketWriter::dropUnsent()
{
    if (m_batch && !m_held.isEmpty())
        m_batch->forget(this);
    m_held.clear();
    m_queue.dropWaiting();
}

} // namespace sb::node
