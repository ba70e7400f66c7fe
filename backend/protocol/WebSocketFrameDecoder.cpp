#include "protocol/WebSocketFrameDecoder.h"

#include "protocol/WebSocketOpcode.h"

#include <QtEndian>

namespace sb::protocol {

namespace {
constexpr qsizetype kMaxControlPayload = 125;
} // namespace

WebSocketFrameDecoder::WebSocketFrameDecoder(qint64 maxMessageBytes)
    : m_maxMessage(maxMessageBytes)
{ }

bool WebSocketFrameDecoder::isValidCloseCode(quint16 code)
{
    if (code >= 3000)
        return code <= 4999;
    return code >= 1000 && code <= 1011 && code != 1004 && code != 1005 && code != 1006;
}

void WebSocketFrameDecoder::feed(QByteArrayView bytes)
{
    if (m_failed || bytes.isEmpty())
        return;
    m_buffer.append(bytes);
}

WebSocketFrameDecoder::Status WebSocketFrameDecoder::fail(quint16 code, const QString &why)
{
    m_failed = true;
    m_errorCode = code;
    m_error = why;
    m_buffer = QByteArray();
    m_pos = 0;
    m_message = QByteArray();
    m_payload = QByteArray();
    return Status::Error;
}

void WebSocketFrameDecoder::compact()
{
    if (m_pos == m_buffer.size()) {
        m_buffer = QByteArray(); // nothing left: hold no memory while the connection idles
        m_pos = 0;
    } else if (m_pos > 0) {
        m_buffer.remove(0, m_pos);
        m_pos = 0;
    }
}

WebSocketFrameDecoder::Read WebSocketFrameDecoder::failRead(quint16 code, const QString &why)
{
    fail(code, why);
    return Read::Failed;
}

WebSocketFrameDecoder::Status WebSocketFrameDecoder::next()
{
    // A loop, not a recursion, over a message's fragments: a hostile client may send
    // thousands of tiny ones in one read.
    while (!m_failed) {
        FrameHead head;
        const Read read = readFrame(&head);
        if (read == Read::Failed)
            break;
        if (read == Read::NeedMoreData) {
            compact();
            return Status::NeedMoreData;
        }
        if (head.opcode & 0x8)
            return controlFrame(head.opcode);
        bool more = false;
        const Status status = dataFrame(head, &more);
        if (!more)
            return status;
    }
    return Status::Error;
}

WebSocketFrameDecoder::Read WebSocketFrameDecoder::readFrame(FrameHead *head)
{
    const qsizetype available = m_buffer.size() - m_pos;
    if (available < 2)
        return Read::NeedMoreData;
    const auto *bytes = reinterpret_cast<const uchar *>(m_buffer.constData() + m_pos);
    head->fin = (bytes[0] & 0x80) != 0;
    head->opcode = bytes[0] & 0x0F;
    const bool masked = (bytes[1] & 0x80) != 0;
    const int length7 = bytes[1] & 0x7F;
    // Everything the first two bytes can tell is checked before waiting for more.
    if (bytes[0] & 0x70)
        return failRead(
            kCloseProtocolError, QStringLiteral("reserved bits set (no extension was negotiated)"));
    const int op = head->opcode;
    if (op != WebSocketOpcode::Continuation && op != WebSocketOpcode::Text && op != WebSocketOpcode::Binary
        && op != WebSocketOpcode::Close && op != WebSocketOpcode::Ping && op != WebSocketOpcode::Pong)
        return failRead(kCloseProtocolError, QStringLiteral("reserved opcode %1").arg(op));
    if (!masked)
        return failRead(kCloseProtocolError, QStringLiteral("a client's frame must be masked"));
    const bool control = (op & 0x8) != 0;
    if (control && !head->fin)
        return failRead(kCloseProtocolError, QStringLiteral("a control frame must not be fragmented"));
    if (control && length7 > kMaxControlPayload)
        return failRead(
            kCloseProtocolError, QStringLiteral("a control frame's payload must be 125 bytes or less"));
    if (!control && op == WebSocketOpcode::Continuation && !m_fragmented)
        return failRead(kCloseProtocolError, QStringLiteral("a continuation frame with nothing to continue"));
    if (!control && op != WebSocketOpcode::Continuation && m_fragmented)
        return failRead(kCloseProtocolError,
            QStringLiteral("a new message began before the fragmented one ended (expected a continuation)"));

    const qsizetype lengthBytes = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
    if (available < 2 + lengthBytes)
        return Read::NeedMoreData;
    quint64 length = quint64(length7);
    if (length7 == 126) {
        length = qFromBigEndian<quint16>(bytes + 2);
        if (length < 126)
            return failRead(
                kCloseProtocolError, QStringLiteral("a length under 126 must be sent in one byte"));
    } else if (length7 == 127) {
        length = qFromBigEndian<quint64>(bytes + 2);
        if (length >> 63)
            return failRead(
                kCloseProtocolError, QStringLiteral("a 64-bit length's most significant bit must be 0"));
        if (length <= 0xFFFF)
            return failRead(
                kCloseProtocolError, QStringLiteral("a length under 65536 must be sent in two bytes"));
    }
    // The limit, from the header: a message that cannot fit is refused before it is buffered.
    if (!control
        && (length > quint64(m_maxMessage) || quint64(m_message.size()) + length > quint64(m_maxMessage)))
        return failRead(kCloseTooBig, QStringLiteral("message larger than %1 bytes").arg(m_maxMessage));
    const qsizetype headerBytes = 2 + lengthBytes + 4; // and the masking key
    if (available < headerBytes || quint64(available - headerBytes) < length)
        return Read::NeedMoreData;

    const uchar *mask = bytes + 2 + lengthBytes;
    const auto *masked8 = reinterpret_cast<const char *>(mask + 4);
    m_payload = QByteArray(masked8, qsizetype(length));
    char *out = m_payload.data();
    for (qsizetype i = 0; i < qsizetype(length); ++i)
        out[i] = char(out[i] ^ char(mask[i & 3]));
    m_pos += headerBytes + qsizetype(length);
    return Read::Frame;
}

WebSocketFrameDecoder::Status WebSocketFrameDecoder::dataFrame(const FrameHead &head, bool *more)
{
    if (head.opcode != WebSocketOpcode::Continuation) {
        m_fragmentedIsText = head.opcode == WebSocketOpcode::Text;
        m_utf8.reset();
    }
    const bool text = m_fragmentedIsText;
    // UTF-8 checked fragment by fragment: a bad byte fails the message at once (§8.1).
    if (text && !m_utf8.feed(m_payload))
        return fail(kCloseBadData, QStringLiteral("a text message that is not UTF-8"));
    if (!head.fin) {
        m_message.append(m_payload);
        m_payload = QByteArray();
        m_fragmented = true;
        *more = true; // a fragment is no message: go on with what is buffered
        return Status::NeedMoreData;
    }
    if (text && !m_utf8.isComplete())
        return fail(kCloseBadData, QStringLiteral("a text message that ends inside a UTF-8 sequence"));
    if (m_fragmented) {
        m_message.append(m_payload);
        m_payload = std::exchange(m_message, {});
        m_fragmented = false;
    }
    m_messageIsText = text;
    return Status::Message;
}

WebSocketFrameDecoder::Status WebSocketFrameDecoder::controlFrame(int opcode)
{
    if (opcode == WebSocketOpcode::Ping)
        return Status::Ping;
    if (opcode == WebSocketOpcode::Pong)
        return Status::Pong;
    const QByteArray payload = std::exchange(m_payload, {});
    if (payload.isEmpty()) {
        m_closeCode = kCloseNoStatus;
        m_closeReason.clear();
        return Status::Close;
    }
    if (payload.size() == 1)
        return fail(
            kCloseProtocolError, QStringLiteral("a close frame's payload of one byte (a code has two)"));
    const quint16 code = qFromBigEndian<quint16>(payload.constData());
    if (!isValidCloseCode(code))
        return fail(kCloseProtocolError, QStringLiteral("close code %1 may not be sent").arg(code));
    const QByteArrayView reason = QByteArrayView(payload).sliced(2);
    if (!isValidUtf8(reason))
        return fail(kCloseBadData, QStringLiteral("a close reason that is not UTF-8"));
    m_closeCode = code;
    m_closeReason = reason.toByteArray();
    return Status::Close;
}

} // namespace sb::protocol
