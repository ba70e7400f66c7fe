#include "node/TapEvent.h"

#include "node/TapJson.h"

#include <QDateTime>
#include <QVarLengthArray>

#include <charconv>

namespace sb::node {

bool TapEvent::isSecretHeader(QByteArrayView name)
{
    for (const char *secret : { "authorization", "passcode", "ticket", "cookie", "set-cookie", "x-api-key" })
        if (name.compare(QByteArrayView(secret), Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

QByteArray TapEvent::toJson(const QString &node, int bodyLimit) const
{
    QByteArray json;
    appendJson(json, node.toUtf8(), bodyLimit);
    return json;
}

void TapEvent::appendJson(QByteArray &out, QByteArrayView nodeUtf8, int bodyLimit) const
{
    // Written by hand: this runs for every frame a reader takes (every MESSAGE of a
    // fan-out), where a QJsonObject per frame cost more than the rest of the tap (see
    // docs/benchmarks.md, "Tap overhead"). The fields TapFrameCodec reads.
    const bool cut = !wholeBody && body.size() > bodyLimit;
    // Every string as valid UTF-8: the QStrings are written as UTF-8; bytes from a client
    // may not be valid, and become U+FFFD as QString makes them. `kept` owns the converted
    // ones (rare: a valid frame needs none, so the usual frame allocates nothing here).
    QVarLengthArray<QByteArray, 4> kept;
    kept.reserve(3 + 2 * headers.size() + 1);
    const auto utf8 = [&kept](QByteArrayView raw) -> QByteArrayView {
        if (raw.isValidUtf8())
            return raw;
        kept.append(QString::fromUtf8(raw).toUtf8());
        return kept.last();
    };
    const QByteArrayView node = utf8(nodeUtf8);
    static constexpr QByteArrayView byteKeys[] = { ",\"transport\":", ",\"dir\":", ",\"command\":" };
    const QByteArrayView byteStrings[] = { utf8(transport), utf8(direction), utf8(command) };
    static constexpr QByteArrayView textKeys[]
        = { ",\"session\":", ",\"user\":", ",\"destination\":", ",\"messageId\":" };
    const QStringView textStrings[] = { session, user, destination, messageId };
    QVarLengthArray<std::pair<QByteArrayView, QByteArrayView>, 16> shownHeaders;
    for (qsizetype i = 0; i < headers.size(); ++i) {
        const QByteArray &name = headers.at(i).first;
        bool repeated = false; // the first wins, as in STOMP
        for (qsizetype j = 0; j < i && !repeated; ++j)
            repeated = headers.at(j).first == name;
        if (!repeated)
            shownHeaders.append(
                { utf8(name), isSecretHeader(name) ? QByteArrayView("***") : utf8(headers.at(i).second) });
    }
    const QByteArrayView shownBody = utf8(cut ? QByteArrayView(body).first(bodyLimit) : QByteArrayView(body));
    char tsDigits[24];
    const QByteArrayView tsText(tsDigits, std::to_chars(tsDigits, tsDigits + sizeof tsDigits, tsMs).ptr);
    char bytesDigits[24];
    const QByteArrayView bytesText(
        bytesDigits, std::to_chars(bytesDigits, bytesDigits + sizeof bytesDigits, bytes).ptr);
    static constexpr QByteArrayView nodeKey = "{\"node\":";
    static constexpr QByteArrayView tsKey = ",\"ts\":";
    static constexpr QByteArrayView bytesKey = ",\"bytes\":";
    static constexpr QByteArrayView headersKey = ",\"headers\":{";
    static constexpr QByteArrayView bodyKey = "},\"body\":";
    const QByteArrayView truncated
        = cut ? QByteArrayView(",\"truncated\":true}") : QByteArrayView(",\"truncated\":false}");

    qsizetype size = nodeKey.size() + TapJson::stringSize(node) + tsKey.size() + tsText.size()
        + bytesKey.size() + bytesText.size() + headersKey.size() + bodyKey.size()
        + TapJson::stringSize(shownBody) + truncated.size();
    for (std::size_t i = 0; i < std::size(byteKeys); ++i)
        size += byteKeys[i].size() + TapJson::stringSize(byteStrings[i]);
    for (std::size_t i = 0; i < std::size(textKeys); ++i)
        size += textKeys[i].size() + TapJson::stringSize(textStrings[i]);
    for (const auto &[name, value] : shownHeaders)
        size += TapJson::stringSize(name) + 1 + TapJson::stringSize(value) + 1; // ':' and ','

    const qsizetype start = out.size();
    out.resize(start + size);
    char *const first = out.data() + start;
    // In the order the node has always written them (session and user, then the frame).
    char *at = TapJson::writeString(TapJson::writeRaw(first, nodeKey), node);
    for (std::size_t i = 0; i < 2; ++i)
        at = TapJson::writeString(TapJson::writeRaw(at, textKeys[i]), textStrings[i]);
    for (std::size_t i = 0; i < std::size(byteKeys); ++i)
        at = TapJson::writeString(TapJson::writeRaw(at, byteKeys[i]), byteStrings[i]);
    for (std::size_t i = 2; i < std::size(textKeys); ++i)
        at = TapJson::writeString(TapJson::writeRaw(at, textKeys[i]), textStrings[i]);
    at = TapJson::writeRaw(TapJson::writeRaw(at, tsKey), tsText);
    at = TapJson::writeRaw(TapJson::writeRaw(at, bytesKey), bytesText);
    at = TapJson::writeRaw(at, headersKey);
    for (qsizetype i = 0; i < shownHeaders.size(); ++i) {
        if (i > 0)
            *at++ = ',';
        at = TapJson::writeString(at, shownHeaders[i].first);
        *at++ = ':';
        at = TapJson::writeString(at, shownHeaders[i].second);
    }
    at = TapJson::writeString(TapJson::writeRaw(at, bodyKey), shownBody);
    at = TapJson::writeRaw(at, truncated);
    Q_ASSERT(at <= first + size);
    out.truncate(at - out.constData()); // one ',' fewer than counted, with headers
}

QByteArray TapEvent::isoTime(qint64 msSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1();
}

TapEvent TapEvent::fromStompFrame(const QString &session, const QString &user, const QByteArray &direction,
    const protocol::StompFrame &frame, qint64 bytes, const QString &messageId)
{
    TapEvent event;
    event.tsMs = QDateTime::currentMSecsSinceEpoch();
    event.session = session;
    event.user = user;
    event.transport = QByteArrayLiteral("stomp");
    event.direction = direction;
    event.command = frame.command();
    event.destination = QString::fromUtf8(frame.header("destination"));
    event.messageId = messageId.isEmpty() ? QString::fromUtf8(frame.header("message-id")) : messageId;
    event.bytes = bytes;
    event.headers = frame.headers();
    event.body = frame.body();
    return event;
}

} // namespace sb::node
