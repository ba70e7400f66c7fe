#include "node/TapEvent.h"

#include <QDateTime>
#include <QVarLengthArray>

#include <charconv>
#include <cstring>

namespace sb::node {

bool TapEvent::isSecretHeader(QByteArrayView name)
{
    for (const char *secret : { "authorization", "passcode", "ticket", "cookie", "set-cookie", "x-api-key" })
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

// One byte of JSON string content, escaped as JSON needs.
char *writeTapJsonChar(char *out, uchar c)
{
    static constexpr char hex[] = "0123456789abcdef";
    if (c >= 0x20 && c != '"' && c != '\\') {
        *out++ = char(c);
        return out;
    }
    *out++ = '\\';
    switch (c) {
    case '"':
        *out++ = '"';
        break;
    case '\\':
        *out++ = '\\';
        break;
    case '\n':
        *out++ = 'n';
        break;
    case '\r':
        *out++ = 'r';
        break;
    case '\t':
        *out++ = 't';
        break;
    case '\b':
        *out++ = 'b';
        break;
    case '\f':
        *out++ = 'f';
        break;
    default:
        *out++ = 'u';
        *out++ = '0';
        *out++ = '0';
        *out++ = hex[c >> 4];
        *out++ = hex[c & 15];
    }
    return out;
}

char *writeTapJsonString(char *out, QByteArrayView text)
{
    *out++ = '"';
    for (const char ch : text)
        out = writeTapJsonChar(out, uchar(ch));
    *out++ = '"';
    return out;
}

char *writeTapJsonRaw(char *out, QByteArrayView raw)
{
    std::memcpy(out, raw.data(), size_t(raw.size()));
    return out + raw.size();
}

// The same for a QString, encoded to UTF-8 as it is written: converting each of a frame's
// five QStrings with toUtf8() first cost five allocations per frame on the worker, and
// their frees. A lone surrogate becomes '?', as QString::toUtf8() makes it.
constexpr bool isHighSurrogate(char16_t c)
{
    return c >= 0xd800 && c < 0xdc00;
}
constexpr bool isLowSurrogate(char16_t c)
{
    return c >= 0xdc00 && c < 0xe000;
}

qsizetype tapJsonStringSize(QStringView text)
{
    qsizetype size = 2;
    const char16_t *c = text.utf16();
    const char16_t *const end = c + text.size();
    for (; c < end; ++c) {
        if (*c < 0x80)
            size += (*c == '"' || *c == '\\' || *c == '\n' || *c == '\r' || *c == '\t' || *c == '\b'
                        || *c == '\f')
                ? 2
                : *c < 0x20 ? 6
                            : 1;
        else if (*c < 0x800)
            size += 2;
        else if (isHighSurrogate(*c) && c + 1 < end && isLowSurrogate(c[1])) {
            size += 4;
            ++c;
        } else if (isHighSurrogate(*c) || isLowSurrogate(*c))
            size += 1; // '?'
        else
            size += 3;
    }
    return size;
}

char *writeTapJsonString(char *out, QStringView text)
{
    *out++ = '"';
    const char16_t *c = text.utf16();
    const char16_t *const end = c + text.size();
    while (c < end) {
        if (*c < 0x80) {
            out = writeTapJsonChar(out, uchar(*c++));
            continue;
        }
        char32_t code = *c++;
        if (code < 0x800) {
            *out++ = char(0xc0 | (code >> 6));
            *out++ = char(0x80 | (code & 0x3f));
            continue;
        }
        if (isHighSurrogate(char16_t(code)) && c < end && isLowSurrogate(*c))
            code = 0x10000 + ((code - 0xd800) << 10) + (char32_t(*c++) - 0xdc00);
        else if (isHighSurrogate(char16_t(code)) || isLowSurrogate(char16_t(code))) {
            *out++ = '?';
            continue;
        }
        if (code < 0x10000) {
            *out++ = char(0xe0 | (code >> 12));
        } else {
            *out++ = char(0xf0 | (code >> 18));
            *out++ = char(0x80 | ((code >> 12) & 0x3f));
        }
        *out++ = char(0x80 | ((code >> 6) & 0x3f));
        *out++ = char(0x80 | (code & 0x3f));
    }
    *out++ = '"';
    return out;
}

} // namespace

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

    qsizetype size = nodeKey.size() + tapJsonStringSize(node) + tsKey.size() + tsText.size() + bytesKey.size()
        + bytesText.size() + headersKey.size() + bodyKey.size() + tapJsonStringSize(shownBody)
        + truncated.size();
    for (std::size_t i = 0; i < std::size(byteKeys); ++i)
        size += byteKeys[i].size() + tapJsonStringSize(byteStrings[i]);
    for (std::size_t i = 0; i < std::size(textKeys); ++i)
        size += textKeys[i].size() + tapJsonStringSize(textStrings[i]);
    for (const auto &[name, value] : shownHeaders)
        size += tapJsonStringSize(name) + 1 + tapJsonStringSize(value) + 1; // ':' and ','

    const qsizetype start = out.size();
    out.resize(start + size);
    char *const first = out.data() + start;
    // In the order the node has always written them (session and user, then the frame).
    char *at = writeTapJsonString(writeTapJsonRaw(first, nodeKey), node);
    for (std::size_t i = 0; i < 2; ++i)
        at = writeTapJsonString(writeTapJsonRaw(at, textKeys[i]), textStrings[i]);
    for (std::size_t i = 0; i < std::size(byteKeys); ++i)
        at = writeTapJsonString(writeTapJsonRaw(at, byteKeys[i]), byteStrings[i]);
    for (std::size_t i = 2; i < std::size(textKeys); ++i)
        at = writeTapJsonString(writeTapJsonRaw(at, textKeys[i]), textStrings[i]);
    at = writeTapJsonRaw(writeTapJsonRaw(at, tsKey), tsText);
    at = writeTapJsonRaw(writeTapJsonRaw(at, bytesKey), bytesText);
    at = writeTapJsonRaw(at, headersKey);
    for (qsizetype i = 0; i < shownHeaders.size(); ++i) {
        if (i > 0)
            *at++ = ',';
        at = writeTapJsonString(at, shownHeaders[i].first);
        *at++ = ':';
        at = writeTapJsonString(at, shownHeaders[i].second);
    }
    at = writeTapJsonString(writeTapJsonRaw(at, bodyKey), shownBody);
    at = writeTapJsonRaw(at, truncated);
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
