#include "node/WebSocketWriter.h"

#include "protocol/WebSocketOpcode.h"

#include <QString>
#include <QTcpSocket>

#include <cstring>

namespace sb::node {

namespace {
constexpr qsizetype kMaxCloseReason = 123; // a control frame's 125 bytes, less the code's two
} // namespace

WebSocketWriter::WebSocketWriter(QTcpSocket *transport, WriteBatch *batch, NodeMetrics *metrics)
    : m_transport(transport)
    , m_held(batch, this)
    , m_queue(transport, metrics)
{ }

WebSocketWriter::~WebSocketWriter() = default;

QByteArray WebSocketWriter::frame(QByteArrayView payload, Kind kind)
{
    QByteArray out;
    out.reserve(payload.size() + 10 * (1 + payload.size() / kMaxFramePayload)); // a header per fragment
    appendFrame(out, payload, kind);
    return out;
}

void WebSocketWriter::appendFrame(QByteArray &out, QByteArrayView payload, Kind kind)
{
    const int opcode
        = kind == Kind::Binary ? protocol::WebSocketOpcode::Binary : protocol::WebSocketOpcode::Text;
    if (payload.size() <= kMaxFramePayload) {
        appendOneFrame(out, payload, opcode, true);
        return;
    }
    // As QWebSocket split it: full fragments, the rest in the last one.
    for (qsizetype at = 0; at < payload.size(); at += kMaxFramePayload) {
        const QByteArrayView part = payload.sliced(at, qMin(kMaxFramePayload, payload.size() - at));
        appendOneFrame(out, part, at == 0 ? opcode : protocol::WebSocketOpcode::Continuation,
            at + part.size() == payload.size());
    }
}

void WebSocketWriter::appendOneFrame(QByteArray &out, QByteArrayView payload, int opcode, bool fin)
{
    const quint64 size = quint64(payload.size());
    char header[10];
    qsizetype length = 0;
    header[length++] = char((fin ? 0x80 : 0) | opcode);
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
    return !m_closeSent && m_transport && m_transport->state() == QAbstractSocket::ConnectedState;
}

bool WebSocketWriter::sendOpen(const QByteArray &message, Kind kind)
{
    if (!m_transport)
        return false;
    if (kind == Kind::Text && !message.isValidUtf8()) {
        // What QWebSocket sent for it (through a QString): U+FFFD for each bad sequence.
        const QByteArray replaced = QString::fromUtf8(message).toUtf8();
        return sendOpen(replaced, Kind::ValidText);
    }
    if (!m_held.hasBatch()) {
        m_queue.write(frame(message, kind));
        return true;
    }
    appendFrame(m_held.toAppend(), message, kind); // framed in place: no frame of its own per delivery
    if (m_held.isFull())
        flush();
    return true;
}

void WebSocketWriter::flush()
{
    if (!m_held.isEmpty())
        m_queue.write(m_held.take());
}

void WebSocketWriter::flushAll()
{
    flush();
    m_queue.handAllToSocket();
}

void WebSocketWriter::sendControl(int opcode, QByteArrayView payload)
{
    QByteArray bytes;
    bytes.reserve(2 + payload.size());
    appendOneFrame(bytes, payload, opcode, true);
    flush(); // what was held goes first
    m_queue.write(bytes);
}

void WebSocketWriter::sendPong(QByteArrayView payload)
{
    if (isOpen())
        sendControl(protocol::WebSocketOpcode::Pong, payload);
}

void WebSocketWriter::sendClose(quint16 code, QByteArrayView reason)
{
    if (!isOpen())
        return;
    m_closeSent = true;
    QByteArray payload;
    payload.reserve(2 + kMaxCloseReason);
    payload.append(char(code >> 8)).append(char(code & 0xFF));
    payload.append(reason.first(qMin(reason.size(), kMaxCloseReason)));
    QByteArray bytes;
    appendOneFrame(bytes, payload, protocol::WebSocketOpcode::Close, true);
    // Straight into the socket after everything queued: the close that follows lingers, and
    // a lingering socket takes nothing more, so nothing may wait in the queue behind it.
    flushAll();
    m_transport->write(bytes);
    m_queue.recount();
}

void WebSocketWriter::dropUnsent()
{
    m_held.drop();
    m_queue.dropWaiting();
}

} // namespace sb::node
