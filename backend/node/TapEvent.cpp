#include "node/TapEvent.h"

#include <QDateTime>
#include <QVarLengthArray>

#include <charconv>
#include <cstring>

namespace sb::node {

bool TapEvent::isSecretHeader(QByteArrayView name)
{
    for (const char *secret : {"authorization", "passcode", "ticket", "cookie", "set-cookie", "x-api-key"})
        if (name.compare(QByteArrayView(secret), Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

namespace {

// The tap's JSON writer sizes the output exactly, then writes it in one pass: appending
// piece by piece (a bounds check and maybe a reallocation each) took about 40 % of its
// time under perf.

// Bytes `text` takes as a JSON string, quotes included.
qsizetype tapJsonStringSize(QByteArrayView text)
{
    qsizetype size = text.size() + 2;
    for (const char ch : text) {
        const auto c = uchar(ch);
        if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f')
            size += 1;
        else if (c < 0x20)
            size += 5;
    }
    return size;
}

char *writeTapJsonString(char *out, QByteArrayView text)
{
    static constexpr char hex[] = "0123456789abcdef";
    *out++ = '"';
    for (const char ch : text) {
        const auto c = uchar(ch);
        if (c >= 0x20 && c != '"' && c != '\\') {
            *out++ = ch;
            continue;
        }
        *out++ = '\\';
        switch (c) {
        case '"': *out++ = '"'; break;
        case '\\': *out++ = '\\'; break;
        case '\n': *out++ = 'n'; break;
        case '\r': *out++ = 'r'; break;
        case '\t': *out++ = 't'; break;
        case '\b': *out++ = 'b'; break;
        case '\f': *out++ = 'f'; break;
        default:
            *out++ = 'u';
            *out++ = '0';
            *out++ = '0';
            *out++ = hex[c >> 4];
            *out++ = hex[c & 15];
        }
    }
    *out++ = '"';
    return out;
}

char *writeTapJsonRaw(char *out, QByteArrayView raw)
{
    std::memcpy(out, raw.data(), size_t(raw.size()));
    return out + raw.size();
}

} // namespace

QByteArray TapEvent::toJson(const QString &node, int bodyLimit) const
{
    // Written by hand: this runs for every frame a reader takes (every MESSAGE of a
    // fan-out), where a QJsonObject per frame cost more than the rest of the tap (see
    // docs/benchmarks.md, "Tap overhead"). The fields TapFrameCodec reads.
    const bool cut = !wholeBody && body.size() > bodyLimit;
    // Every string as valid UTF-8: the QStrings are; bytes from a client may not be, and
    // become U+FFFD as QString makes them. `kept` owns the converted ones the views see
    // (reserved up front: a reallocation would move the QByteArrays, not their data, but
    // there is no need to find out).
    QVarLengthArray<QByteArray, 16> kept;
    kept.reserve(8 + 2 * headers.size() + 1);
    const auto utf8 = [&kept](QByteArrayView raw) -> QByteArrayView {
        if (raw.isValidUtf8())
            return raw;
        kept.append(QString::fromUtf8(raw).toUtf8());
        return kept.last();
    };
    const auto utf8Of = [&kept](const QString &text) -> QByteArrayView {
        kept.append(text.toUtf8());
        return kept.last();
    };
    static constexpr QByteArrayView keys[] = {"{\"node\":",      ",\"session\":", ",\"user\":",
                                              ",\"transport\":", ",\"dir\":",     ",\"command\":",
                                              ",\"destination\":", ",\"messageId\":"};
    const QByteArrayView strings[] = {utf8Of(node),    utf8Of(session), utf8Of(user),        utf8(transport),
                                      utf8(direction), utf8(command),   utf8Of(destination), utf8Of(messageId)};
    QVarLengthArray<std::pair<QByteArrayView, QByteArrayView>, 16> shownHeaders;
    for (qsizetype i = 0; i < headers.size(); ++i) {
        const QByteArray &name = headers.at(i).first;
        bool repeated = false; // the first wins, as in STOMP
        for (qsizetype j = 0; j < i && !repeated; ++j)
            repeated = headers.at(j).first == name;
        if (!repeated)
            shownHeaders.append({utf8(name), isSecretHeader(name) ? QByteArrayView("***") : utf8(headers.at(i).second)});
    }
    const QByteArrayView shownBody = utf8(cut ? QByteArrayView(body).first(bodyLimit) : QByteArrayView(body));
    char tsDigits[24];
    const QByteArrayView tsText(tsDigits, std::to_chars(tsDigits, tsDigits + sizeof tsDigits, tsMs).ptr);
    char bytesDigits[24];
    const QByteArrayView bytesText(bytesDigits, std::to_chars(bytesDigits, bytesDigits + sizeof bytesDigits, bytes).ptr);
    static constexpr QByteArrayView tsKey = ",\"ts\":";
    static constexpr QByteArrayView bytesKey = ",\"bytes\":";
    static constexpr QByteArrayView headersKey = ",\"headers\":{";
    static constexpr QByteArrayView bodyKey = "},\"body\":";
    const QByteArrayView truncated = cut ? QByteArrayView(",\"truncated\":true}") : QByteArrayView(",\"truncated\":false}");

    qsizetype size = tsKey.size() + tsText.size() + bytesKey.size() + bytesText.size() + headersKey.size()
                     + bodyKey.size() + tapJsonStringSize(shownBody) + truncated.size();
    for (std::size_t i = 0; i < std::size(keys); ++i)
        size += keys[i].size() + tapJsonStringSize(strings[i]);
    for (const auto &[name, value] : shownHeaders)
        size += tapJsonStringSize(name) + 1 + tapJsonStringSize(value) + 1; // ':' and ','

    QByteArray json(size, Qt::Uninitialized);
    char *out = json.data();
    for (std::size_t i = 0; i < std::size(keys); ++i)
        out = writeTapJsonString(writeTapJsonRaw(out, keys[i]), strings[i]);
    out = writeTapJsonRaw(writeTapJsonRaw(out, tsKey), tsText);
    out = writeTapJsonRaw(writeTapJsonRaw(out, bytesKey), bytesText);
    out = writeTapJsonRaw(out, headersKey);
    for (qsizetype i = 0; i < shownHeaders.size(); ++i) {
        if (i > 0)
            *out++ = ',';
        out = writeTapJsonString(out, shownHeaders[i].first);
        *out++ = ':';
        out = writeTapJsonString(out, shownHeaders[i].second);
    }
    out = writeTapJsonString(writeTapJsonRaw(out, bodyKey), shownBody);
    out = writeTapJsonRaw(out, truncated);
    Q_ASSERT(out <= json.constData() + size);
    json.truncate(out - json.constData()); // one ',' fewer than counted, with headers
    return json;
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
