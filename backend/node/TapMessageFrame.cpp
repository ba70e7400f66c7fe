#include "node/TapMessageFrame.h"

#include "node/TapJson.h"

#include <charconv>

namespace sb::node {

namespace {

// Appends `pieces` in one go, strings (QByteArrayView: bytes, valid UTF-8; QStringView) as
// JSON strings, raw pieces as they are. Room is made for the most the strings can take (6
// bytes a byte or UTF-16 unit, as \u00xx), then the bytes written and the rest cut: sizing
// the session and user exactly first read them twice (~200 instructions a delivery).
struct TapRawPiece
{
    QByteArrayView bytes;
};

qsizetype tapPieceBound(TapRawPiece raw)
{
    return raw.bytes.size();
}
qsizetype tapPieceBound(QByteArrayView text)
{
    return 6 * text.size() + 2;
}
qsizetype tapPieceBound(QStringView text)
{
    return 6 * text.size() + 2;
}
char *writeTapPiece(char *out, TapRawPiece raw)
{
    return TapJson::writeRaw(out, raw.bytes);
}
char *writeTapPiece(char *out, QByteArrayView text)
{
    return TapJson::writeString(out, text);
}
char *writeTapPiece(char *out, QStringView text)
{
    return TapJson::writeString(out, text);
}

template<typename... Pieces> void appendTapPieces(QByteArray &out, const Pieces &...pieces)
{
    const qsizetype start = out.size();
    out.resize(start + (tapPieceBound(pieces) + ...));
    char *at = out.data() + start;
    ((at = writeTapPiece(at, pieces)), ...);
    out.truncate(at - out.constData());
}

// Bytes from a client may not be valid UTF-8: then as QString makes them (U+FFFD), as
// TapEvent::appendJson writes them.
QByteArray tapValidUtf8(QByteArrayView raw)
{
    return raw.isValidUtf8() ? raw.toByteArray() : QString::fromUtf8(raw).toUtf8();
}

} // namespace

TapMessageFrame::TapMessageFrame(QByteArrayView nodeUtf8, int bodyLimit, const QString &destination,
    const QString &messageId, const QByteArray &body, bool replayed)
{
    // The order of TapEvent::appendJson: node, session, user, transport, dir, command,
    // destination, messageId, ts, bytes, headers (StompServerFrames::message's), body.
    const QByteArray id = messageId.toUtf8();
    const QByteArray node = tapValidUtf8(nodeUtf8);
    appendTapPieces(
        m_head, TapRawPiece { "{\"node\":" }, QByteArrayView(node), TapRawPiece { ",\"session\":" });
    appendTapPieces(m_frame,
        TapRawPiece { ",\"transport\":\"stomp\",\"dir\":\"out\",\"command\":\"MESSAGE\",\"destination\":" },
        QStringView(destination), TapRawPiece { ",\"messageId\":" }, QByteArrayView(id),
        TapRawPiece { ",\"ts\":" });
    appendTapPieces(m_headers, TapRawPiece { ",\"message-id\":" }, QByteArrayView(id),
        TapRawPiece { ",\"destination\":" }, QStringView(destination),
        TapRawPiece { ",\"content-type\":\"application/json\"" });
    appendTapPieces(m_ack, TapRawPiece { ",\"ack\":" }, QByteArrayView(id));
    const bool cut = body.size() > bodyLimit;
    const QByteArray shownBody
        = tapValidUtf8(cut ? QByteArrayView(body).first(bodyLimit) : QByteArrayView(body));
    appendTapPieces(m_tail,
        TapRawPiece { replayed ? QByteArrayView(",\"recovered\":\"true\"") : QByteArrayView() },
        TapRawPiece { "},\"body\":" }, QByteArrayView(shownBody),
        TapRawPiece {
            cut ? QByteArrayView(",\"truncated\":true}") : QByteArrayView(",\"truncated\":false}") });
    // Made with room for the worst case (six times a body of --tap-body-bytes): kept only
    // the size they are, while the fan-out lasts.
    for (QByteArray *piece : { &m_head, &m_frame, &m_headers, &m_ack, &m_tail })
        piece->squeeze();
}

void TapMessageFrame::appendDelivery(QByteArray &out, QStringView session, QStringView user,
    QByteArrayView subscriptionId, bool withAck, qint64 bytes, qint64 tsMs) const
{
    QByteArray converted; // only for an id that is not UTF-8: the usual delivery allocates nothing
    if (!subscriptionId.isValidUtf8()) {
        converted = tapValidUtf8(subscriptionId);
        subscriptionId = converted;
    }
    char tsDigits[24];
    const QByteArrayView ts(tsDigits, std::to_chars(tsDigits, tsDigits + sizeof tsDigits, tsMs).ptr);
    char bytesDigits[24];
    const QByteArrayView size(
        bytesDigits, std::to_chars(bytesDigits, bytesDigits + sizeof bytesDigits, bytes).ptr);
    appendTapPieces(out, TapRawPiece { m_head }, session, TapRawPiece { ",\"user\":" }, user,
        TapRawPiece { m_frame }, TapRawPiece { ts }, TapRawPiece { ",\"bytes\":" }, TapRawPiece { size },
        TapRawPiece { ",\"headers\":{\"subscription\":" }, subscriptionId, TapRawPiece { m_headers },
        TapRawPiece { withAck ? QByteArrayView(m_ack) : QByteArrayView() }, TapRawPiece { m_tail });
}

} // namespace sb::node
