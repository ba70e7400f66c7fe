#include "protocol/TapFrameCodec.h"

#include "protocol/PercentDecoding.h"
#include "protocol/Utf8Validator.h"

#include <QAnyStringView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <QUtf8StringView>
#include <QVarLengthArray>

#include <algorithm>
#include <cstring>

namespace sb::protocol {

namespace {

bool readString(const QJsonObject &object, QLatin1String key, QString *out, QString *error)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isString()) {
        *error = QStringLiteral("field \"%1\" is not a string").arg(key);
        return false;
    }
    *out = value.toString();
    return true;
}

bool readInteger(const QJsonObject &object, QLatin1String key, qint64 *out, QString *error)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined() || value.isNull())
        return true;
    // JSON numbers are doubles: beyond 2^53 they are not exact, and NaN/inf never come from JSON.
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number < 0 || number > 9007199254740992.0) {
        *error = QStringLiteral("field \"%1\" is not a non-negative whole number").arg(key);
        return false;
    }
    *out = qint64(number);
    return true;
}

// ---- The scanner: the node's frames, read straight from their bytes ----------------------

// A string's content between its quotes, as it stands in the JSON.
struct TapJsonSpan
{
    const char *begin = nullptr;
    qsizetype size = 0;
    bool escaped = false; // holds a backslash escape

    QByteArrayView view() const { return {begin, size}; }
};

struct TapJsonHeader
{
    QByteArrayView name; // plain ASCII, no escape
    TapJsonSpan value;
};

// One frame's members as spans into its JSON; absent and null members stay empty.
struct TapJsonFields
{
    TapJsonSpan node, transport, dir, command, destination, user, session, messageId, body;
    qint64 ts = 0;
    qint64 bytes = 0;
    bool truncated = false;
    QVarLengthArray<TapJsonHeader, 12> headers;
    bool nonAscii = false; // some string holds bytes above 0x7f: validate the UTF-8
};

enum class TapJsonMember {
    Ts, Node, Transport, Dir, Command, Destination, User, Session, MessageId, Bytes, Body, Truncated, Headers, Other
};

// Equality with a literal of known length: an inlined memcmp, where QByteArrayView's
// operator== calls out to compareMemory for every member of every frame.
template <size_t N>
bool tapJsonIs(QByteArrayView text, const char (&literal)[N])
{
    return text.size() == qsizetype(N - 1) && std::memcmp(text.data(), literal, N - 1) == 0;
}

TapJsonMember tapJsonMember(QByteArrayView key)
{
    // By length first: this runs for every member of every frame.
    switch (key.size()) {
    case 2: return tapJsonIs(key, "ts") ? TapJsonMember::Ts : TapJsonMember::Other;
    case 3: return tapJsonIs(key, "dir") ? TapJsonMember::Dir : TapJsonMember::Other;
    case 4:
        return tapJsonIs(key, "node") ? TapJsonMember::Node
             : tapJsonIs(key, "user") ? TapJsonMember::User
             : tapJsonIs(key, "body") ? TapJsonMember::Body
                             : TapJsonMember::Other;
    case 5: return tapJsonIs(key, "bytes") ? TapJsonMember::Bytes : TapJsonMember::Other;
    case 7:
        return tapJsonIs(key, "command") ? TapJsonMember::Command
             : tapJsonIs(key, "session") ? TapJsonMember::Session
             : tapJsonIs(key, "headers") ? TapJsonMember::Headers
                                : TapJsonMember::Other;
    case 9:
        return tapJsonIs(key, "transport") ? TapJsonMember::Transport
             : tapJsonIs(key, "messageId") ? TapJsonMember::MessageId
             : tapJsonIs(key, "truncated") ? TapJsonMember::Truncated
                                  : TapJsonMember::Other;
    case 11: return tapJsonIs(key, "destination") ? TapJsonMember::Destination : TapJsonMember::Other;
    default: return TapJsonMember::Other;
    }
}

// Four hex digits at `at` (bounds checked by the caller).
bool tapJsonHex4(const char *at, char16_t *unit)
{
    int value = 0;
    for (int i = 0; i < 4; ++i) {
        const int digit = hexDigitValue(at[i]);
        if (digit < 0)
            return false;
        value = value * 16 + digit;
    }
    *unit = char16_t(value);
    return true;
}

// Reads one frame in a single pass, or says it is not the plain case: false for anything
// it cannot read exactly as QJsonDocument would — errors of any kind (the reference then
// words them), a member twice (QJsonDocument keeps the last), keys with escapes or beyond
// ASCII, numbers other than whole ones of up to 15 digits, escapes QJsonDocument reads
// leniently (\x) or keeps as lone surrogates, nesting beyond 32 levels.
class TapJsonScanner
{
public:
    explicit TapJsonScanner(QByteArrayView json)
        : m_p(json.data())
        , m_end(json.data() + json.size())
    {
    }

    bool scan(TapJsonFields *fields)
    {
        skipSpace();
        if (!consume('{'))
            return false;
        skipSpace();
        if (!consume('}')) {
            for (;;) {
                QByteArrayView key;
                if (!plainKey(&key))
                    return false;
                skipSpace();
                if (!consume(':'))
                    return false;
                skipSpace();
                if (!member(key, fields))
                    return false;
                skipSpace();
                if (consume(',')) {
                    skipSpace();
                    continue;
                }
                if (consume('}'))
                    break;
                return false;
            }
        }
        skipSpace();
        fields->nonAscii = m_nonAscii;
        return m_p == m_end;
    }

private:
    static constexpr int kMaxDepth = 32;

    void skipSpace()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
            ++m_p;
    }
    bool consume(char c)
    {
        if (m_p < m_end && *m_p == c) {
            ++m_p;
            return true;
        }
        return false;
    }
    bool literal(QByteArrayView word)
    {
        if (m_end - m_p < word.size() || std::memcmp(m_p, word.data(), size_t(word.size())) != 0)
            return false;
        m_p += word.size();
        return true;
    }
    bool peek(char c) const { return m_p < m_end && *m_p == c; }

    bool member(QByteArrayView key, TapJsonFields *f)
    {
        const TapJsonMember which = tapJsonMember(key);
        if (which == TapJsonMember::Other)
            return skipValue(0);
        const auto bit = 1u << unsigned(which);
        if (m_seen & bit)
            return false; // QJsonDocument keeps the last: leave that to it
        m_seen |= bit;
        switch (which) {
        case TapJsonMember::Ts: return nullableNumber(&f->ts);
        case TapJsonMember::Bytes: return nullableNumber(&f->bytes);
        case TapJsonMember::Node: return nullableString(&f->node);
        case TapJsonMember::Transport: return nullableString(&f->transport);
        case TapJsonMember::Dir: return nullableString(&f->dir);
        case TapJsonMember::Command: return nullableString(&f->command);
        case TapJsonMember::Destination: return nullableString(&f->destination);
        case TapJsonMember::User: return nullableString(&f->user);
        case TapJsonMember::Session: return nullableString(&f->session);
        case TapJsonMember::MessageId: return nullableString(&f->messageId);
        case TapJsonMember::Body: return nullableString(&f->body);
        case TapJsonMember::Truncated:
            if (literal("true")) {
                f->truncated = true;
                return true;
            }
            return literal("false") || literal("null");
        case TapJsonMember::Headers: return peek('n') ? literal("null") : headers(f);
        case TapJsonMember::Other: break;
        }
        return false;
    }

    bool nullableString(TapJsonSpan *span) { return peek('n') ? literal("null") : string(span); }
    bool nullableNumber(qint64 *value) { return peek('n') ? literal("null") : wholeNumber(value); }

    bool headers(TapJsonFields *f)
    {
        if (!consume('{'))
            return false;
        skipSpace();
        if (!consume('}')) {
            for (;;) {
                TapJsonHeader header;
                if (!plainKey(&header.name))
                    return false;
                skipSpace();
                if (!consume(':'))
                    return false;
                skipSpace();
                if (!string(&header.value))
                    return false;
                f->headers.append(header);
                skipSpace();
                if (consume(',')) {
                    skipSpace();
                    continue;
                }
                if (consume('}'))
                    break;
                return false;
            }
        }
        // QJsonObject's order: keys sorted (bytewise, for ASCII); a repeated name is left
        // to the reference, which keeps the last.
        std::sort(f->headers.begin(), f->headers.end(),
                  [](const TapJsonHeader &a, const TapJsonHeader &b) { return a.name < b.name; });
        for (qsizetype i = 1; i < f->headers.size(); ++i)
            if (f->headers[i].name == f->headers[i - 1].name)
                return false;
        return true;
    }

    // A key of plain ASCII without escapes: every key the node writes.
    bool plainKey(QByteArrayView *key)
    {
        if (!consume('"'))
            return false;
        const char *begin = m_p;
        while (m_p < m_end && *m_p != '"') {
            const auto c = uchar(*m_p);
            if (c == '\\' || c >= 0x80)
                return false;
            ++m_p;
        }
        if (m_p == m_end)
            return false;
        *key = QByteArrayView(begin, m_p - begin);
        ++m_p;
        return true;
    }

    bool string(TapJsonSpan *span)
    {
        if (!consume('"'))
            return false;
        span->begin = m_p;
        while (m_p < m_end) {
            const auto c = uchar(*m_p);
            if (c == '"') {
                span->size = m_p - span->begin;
                ++m_p;
                return true;
            }
            if (c >= 0x80) {
                m_nonAscii = true;
            } else if (c == '\\') {
                span->escaped = true;
                if (m_end - m_p < 2)
                    return false;
                const char e = m_p[1];
                if (e == 'u') {
                    char16_t unit = 0;
                    if (m_end - m_p < 6 || !tapJsonHex4(m_p + 2, &unit))
                        return false;
                    m_p += 6;
                    if (unit == 0xFEFF)
                        return false; // QJsonDocument drops some of them (see decodeScanned)
                    if (QChar::isLowSurrogate(unit))
                        return false; // lone: QString keeps it, UTF-8 cannot
                    if (QChar::isHighSurrogate(unit)) {
                        char16_t low = 0;
                        if (m_end - m_p < 6 || m_p[0] != '\\' || m_p[1] != 'u' || !tapJsonHex4(m_p + 2, &low)
                            || !QChar::isLowSurrogate(low))
                            return false;
                        m_p += 6;
                    }
                    continue;
                }
                if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't')
                    return false;
                m_p += 2;
                continue;
            }
            ++m_p;
        }
        return false;
    }

    bool wholeNumber(qint64 *value)
    {
        const char *begin = m_p;
        qint64 n = 0;
        while (m_p < m_end && *m_p >= '0' && *m_p <= '9') {
            if (m_p - begin == 15)
                return false;
            n = n * 10 + (*m_p - '0');
            ++m_p;
        }
        const qsizetype digits = m_p - begin;
        if (digits == 0 || (digits > 1 && *begin == '0'))
            return false;
        if (m_p < m_end && (*m_p == '.' || *m_p == 'e' || *m_p == 'E'))
            return false;
        *value = n;
        return true;
    }

    bool skipValue(int depth)
    {
        if (depth > kMaxDepth || m_p == m_end)
            return false;
        qint64 ignored = 0;
        switch (*m_p) {
        case '"': {
            TapJsonSpan span;
            return string(&span);
        }
        case '{':
            ++m_p;
            skipSpace();
            if (consume('}'))
                return true;
            for (;;) {
                TapJsonSpan key;
                if (!string(&key))
                    return false;
                skipSpace();
                if (!consume(':'))
                    return false;
                skipSpace();
                if (!skipValue(depth + 1))
                    return false;
                skipSpace();
                if (consume(',')) {
                    skipSpace();
                    continue;
                }
                return consume('}');
            }
        case '[':
            ++m_p;
            skipSpace();
            if (consume(']'))
                return true;
            for (;;) {
                if (!skipValue(depth + 1))
                    return false;
                skipSpace();
                if (consume(',')) {
                    skipSpace();
                    continue;
                }
                return consume(']');
            }
        case 't': return literal("true");
        case 'f': return literal("false");
        case 'n': return literal("null");
        case '-': ++m_p; return wholeNumber(&ignored);
        default: return wholeNumber(&ignored);
        }
    }

    const char *m_p;
    const char *m_end;
    unsigned m_seen = 0;
    bool m_nonAscii = false;
};

char *tapJsonWriteUtf8(char *out, char32_t cp)
{
    if (cp < 0x80) {
        *out++ = char(cp);
    } else if (cp < 0x800) {
        *out++ = char(0xC0 | (cp >> 6));
        *out++ = char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *out++ = char(0xE0 | (cp >> 12));
        *out++ = char(0x80 | ((cp >> 6) & 0x3F));
        *out++ = char(0x80 | (cp & 0x3F));
    } else {
        *out++ = char(0xF0 | (cp >> 18));
        *out++ = char(0x80 | ((cp >> 12) & 0x3F));
        *out++ = char(0x80 | ((cp >> 6) & 0x3F));
        *out++ = char(0x80 | (cp & 0x3F));
    }
    return out;
}

// A scanned string's bytes: the JSON's own when it has no escape, else unescaped into
// `scratch` (valid until its next use). The scanner checked every escape. Written through
// a pointer (an escape never yields more bytes than it takes: \uXXXX is 6 for at most 3,
// a surrogate pair 12 for 4), not appended piece by piece.
QByteArrayView tapJsonUnescaped(const TapJsonSpan &span, QByteArray *scratch)
{
    if (!span.escaped)
        return span.view();
    if (scratch->size() < span.size)
        scratch->resize(span.size);
    char *const begin = scratch->data();
    char *out = begin;
    const char *p = span.begin;
    const char *const end = span.begin + span.size;
    while (p < end) {
        const char *backslash = static_cast<const char *>(std::memchr(p, '\\', size_t(end - p)));
        if (!backslash) {
            std::memcpy(out, p, size_t(end - p));
            out += end - p;
            break;
        }
        std::memcpy(out, p, size_t(backslash - p));
        out += backslash - p;
        const char e = backslash[1];
        p = backslash + 2;
        switch (e) {
        case 'b': *out++ = '\b'; break;
        case 'f': *out++ = '\f'; break;
        case 'n': *out++ = '\n'; break;
        case 'r': *out++ = '\r'; break;
        case 't': *out++ = '\t'; break;
        case 'u': {
            char16_t unit = 0, low = 0;
            tapJsonHex4(p, &unit);
            p += 4;
            char32_t cp = unit;
            if (QChar::isHighSurrogate(unit)) {
                tapJsonHex4(p + 2, &low);
                p += 6;
                cp = QChar::surrogateToUcs4(unit, low);
            }
            out = tapJsonWriteUtf8(out, cp);
            break;
        }
        default: *out++ = e; break; // " \ /
        }
    }
    return QByteArrayView(begin, out - begin);
}

// STOMP 1.2's header escaping, as TrafficFrame::setHeaders writes the header block (at most
// two bytes for one).
char *tapJsonWriteHeaderEscaped(char *out, QByteArrayView text)
{
    for (const char c : text) {
        switch (c) {
        case '\\': *out++ = '\\'; *out++ = '\\'; break;
        case '\n': *out++ = '\\'; *out++ = 'n'; break;
        case '\r': *out++ = '\\'; *out++ = 'r'; break;
        case ':': *out++ = '\\'; *out++ = 'c'; break;
        default: *out++ = c;
        }
    }
    return out;
}

TrafficFrame::Transport tapJsonTransport(QByteArrayView name)
{
    using T = TrafficFrame::Transport;
    if (tapJsonIs(name, "stomp"))
        return T::Stomp;
    if (tapJsonIs(name, "sse"))
        return T::Sse;
    if (tapJsonIs(name, "http"))
        return T::Http;
    if (tapJsonIs(name, "kafka"))
        return T::Kafka;
    if (tapJsonIs(name, "redis"))
        return T::Redis;
    if (tapJsonIs(name, "ws"))
        return T::WebSocket;
    return T::Other;
}

} // namespace

QString TapFrameCodec::sharedUtf8(QByteArrayView utf8, PooledField field)
{
    if (utf8.isEmpty())
        return {};
    QString &recent = m_recent[field];
    if (QAnyStringView::equal(recent, QUtf8StringView(utf8)))
        return recent;
    // A key over the bytes in place: no copy unless the string is new.
    const auto it = m_utf8Pool.constFind(QByteArray::fromRawData(utf8.data(), utf8.size()));
    if (it != m_utf8Pool.cend()) {
        recent = *it;
        return recent;
    }
    if (m_utf8Pool.size() >= kMaxPooledStrings)
        m_utf8Pool.clear();
    recent = QString::fromUtf8(utf8);
    m_utf8Pool.insert(utf8.toByteArray(), recent);
    return recent;
}

std::optional<TrafficFrame> TapFrameCodec::decodeScanned(QByteArrayView json, const QString &defaultSource)
{
    TapJsonFields f;
    if (!TapJsonScanner(json).scan(&f))
        return std::nullopt;
    // Invalid UTF-8: the reference says where. A U+FEFF: QJsonDocument drops it where it
    // begins a string without escapes (QString::fromUtf8 takes it for a byte-order mark)
    // and keeps it elsewhere; rare enough to leave all of them to it.
    if (f.nonAscii && (!isValidUtf8(json) || json.contains("\xEF\xBB\xBF")))
        return std::nullopt;
    TrafficFrame frame;
    frame.tsMs = f.ts;
    frame.bytes = f.bytes;
    frame.truncated = f.truncated;
    frame.source = f.node.size > 0 ? sharedUtf8(tapJsonUnescaped(f.node, &m_scratch), NodeField)
                                   : shared(defaultSource);
    frame.transport = tapJsonTransport(tapJsonUnescaped(f.transport, &m_scratch));
    const QByteArrayView dir = tapJsonUnescaped(f.dir, &m_scratch);
    frame.direction = tapJsonIs(dir, "in")    ? TrafficFrame::Direction::In
                    : tapJsonIs(dir, "out") ? TrafficFrame::Direction::Out
                                            : TrafficFrame::Direction::None;
    frame.command = sharedUtf8(tapJsonUnescaped(f.command, &m_scratch), CommandField);
    frame.destination = sharedUtf8(tapJsonUnescaped(f.destination, &m_scratch), DestinationField);
    frame.user = sharedUtf8(tapJsonUnescaped(f.user, &m_scratch), UserField);
    frame.session = sharedUtf8(tapJsonUnescaped(f.session, &m_scratch), SessionField);
    const QByteArrayView id = tapJsonUnescaped(f.messageId, &m_scratch);
    if (!id.isEmpty()) {
        if (id != QByteArrayView(m_lastMessageIdUtf8)) {
            m_lastMessageIdUtf8 = id.toByteArray();
            m_lastMessageId = QString::fromUtf8(id);
        }
        frame.messageId = m_lastMessageId;
    }
    // Exactly sized: a frame's strings live as long as the capture holds it.
    const QByteArrayView body = tapJsonUnescaped(f.body, &m_scratch);
    if (!body.isEmpty())
        frame.body = QByteArray(body.data(), body.size());
    if (!f.headers.isEmpty()) {
        qsizetype most = 0; // escaped, every byte may double
        for (const TapJsonHeader &header : std::as_const(f.headers))
            most += 2 * (header.name.size() + header.value.size) + 2;
        if (m_block.size() < most)
            m_block.resize(most);
        char *const begin = m_block.data();
        char *out = begin;
        for (const TapJsonHeader &header : std::as_const(f.headers)) {
            out = tapJsonWriteHeaderEscaped(out, header.name);
            *out++ = ':';
            out = tapJsonWriteHeaderEscaped(out, tapJsonUnescaped(header.value, &m_scratch));
            *out++ = '\n';
        }
        frame.headerBlock = QByteArray(begin, out - begin);
    }
    return frame;
}

QString TapFrameCodec::shared(const QString &text)
{
    if (text.isEmpty())
        return {};
    const auto it = m_pool.constFind(text);
    if (it != m_pool.cend())
        return *it;
    if (m_pool.size() >= kMaxPooledStrings)
        m_pool.clear();
    m_pool.insert(text, text);
    return text;
}

std::optional<TrafficFrame> TapFrameCodec::decode(QByteArrayView json, QString *error, const QString &defaultSource)
{
    QString ignored;
    if (!error)
        error = &ignored;
    if (json.size() > kMaxFrameBytes) {
        *error = QStringLiteral("frame of %1 bytes is over the %2-byte limit").arg(json.size()).arg(kMaxFrameBytes);
        return std::nullopt;
    }
    if (m_reading == Reading::Scanner) {
        if (auto frame = decodeScanned(json, defaultSource)) {
            ++m_scannedFrames;
            return frame;
        }
    }
    return decodeDocument(json, error, defaultSource);
}

std::optional<TrafficFrame> TapFrameCodec::decodeDocument(QByteArrayView json, QString *error, const QString &defaultSource)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("not JSON: %1 at byte %2").arg(parseError.errorString()).arg(parseError.offset);
        return std::nullopt;
    }
    if (!document.isObject()) {
        *error = QStringLiteral("not a JSON object");
        return std::nullopt;
    }
    const QJsonObject object = document.object();
    TrafficFrame frame;
    QString source, transport, direction, command, destination, user, session, body;
    if (!readInteger(object, QLatin1String("ts"), &frame.tsMs, error)
        || !readString(object, QLatin1String("node"), &source, error)
        || !readString(object, QLatin1String("transport"), &transport, error)
        || !readString(object, QLatin1String("dir"), &direction, error)
        || !readString(object, QLatin1String("command"), &command, error)
        || !readString(object, QLatin1String("destination"), &destination, error)
        || !readString(object, QLatin1String("user"), &user, error)
        || !readString(object, QLatin1String("session"), &session, error)
        || !readString(object, QLatin1String("messageId"), &frame.messageId, error)
        || !readInteger(object, QLatin1String("bytes"), &frame.bytes, error)
        || !readString(object, QLatin1String("body"), &body, error))
        return std::nullopt;
    const QJsonValue truncated = object.value(QLatin1String("truncated"));
    if (!truncated.isUndefined() && !truncated.isNull() && !truncated.isBool()) {
        *error = QStringLiteral("field \"truncated\" is not true or false");
        return std::nullopt;
    }
    frame.truncated = truncated.toBool();
    const QJsonValue headers = object.value(QLatin1String("headers"));
    if (!headers.isUndefined() && !headers.isNull()) {
        if (!headers.isObject()) {
            *error = QStringLiteral("field \"headers\" is not an object");
            return std::nullopt;
        }
        QList<TrafficFrame::Header> list;
        const QJsonObject headerObject = headers.toObject();
        for (auto it = headerObject.begin(); it != headerObject.end(); ++it) {
            if (!it.value().isString()) {
                *error = QStringLiteral("header \"%1\" is not a string").arg(it.key());
                return std::nullopt;
            }
            list.append({it.key(), it.value().toString()});
        }
        frame.setHeaders(list);
        frame.headerBlock.squeeze();
    }
    frame.source = shared(source.isEmpty() ? defaultSource : source);
    frame.transport = TrafficFrame::transportFromName(transport);
    frame.direction = TrafficFrame::directionFromName(direction);
    frame.command = shared(command);
    frame.destination = shared(destination);
    frame.user = shared(user);
    frame.session = shared(session);
    frame.body = body.toUtf8();
    frame.body.squeeze(); // toUtf8() reserves three bytes per character; the capture keeps the frame
    return frame;
}

QByteArray TapFrameCodec::encode(const TrafficFrame &frame)
{
    QJsonObject headers;
    for (const auto &[name, value] : frame.headers()) {
        if (!headers.contains(name)) // the first wins, as in STOMP
            headers.insert(name, value);
    }
    const QJsonObject object{{QStringLiteral("ts"), frame.tsMs},
                             {QStringLiteral("node"), frame.source},
                             {QStringLiteral("session"), frame.session},
                             {QStringLiteral("user"), frame.user},
                             {QStringLiteral("transport"), TrafficFrame::transportName(frame.transport)},
                             {QStringLiteral("dir"), TrafficFrame::directionName(frame.direction)},
                             {QStringLiteral("command"), frame.command},
                             {QStringLiteral("destination"), frame.destination},
                             {QStringLiteral("messageId"), frame.messageId},
                             {QStringLiteral("bytes"), frame.bytes},
                             {QStringLiteral("headers"), headers},
                             {QStringLiteral("body"), QString::fromUtf8(frame.body)},
                             {QStringLiteral("truncated"), frame.truncated}};
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

std::optional<qint64> TapFrameCodec::droppedNotice(QByteArrayView json)
{
    // Cheap test first: frames never carry a "type" key.
    if (json.size() > 256 || !json.contains("\"type\""))
        return std::nullopt;
    const QJsonObject object = QJsonDocument::fromJson(json.toByteArray()).object();
    if (object.value(QLatin1String("type")).toString() != u"dropped")
        return std::nullopt;
    const double dropped = object.value(QLatin1String("dropped")).toDouble(-1);
    if (dropped < 0 || dropped > 9007199254740992.0)
        return std::nullopt;
    return qint64(dropped);
}

} // namespace sb::protocol
