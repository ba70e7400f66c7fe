#include "protocol/TapJsonScanner.h"

#include "protocol/PercentDecoding.h"

#include <cstring>

namespace sb::protocol {

namespace {

enum class TapJsonMember {
    Ts,
    Node,
    Transport,
    Dir,
    Command,
    Destination,
    User,
    Session,
    MessageId,
    Bytes,
    Body,
    Truncated,
    Headers,
    Other
};

TapJsonMember tapJsonMember(QByteArrayView key)
{
    // By length first: this runs for every member of every frame.
    switch (key.size()) {
    case 2:
        return tapJsonIs(key, "ts") ? TapJsonMember::Ts : TapJsonMember::Other;
    case 3:
        return tapJsonIs(key, "dir") ? TapJsonMember::Dir : TapJsonMember::Other;
    case 4:
        return tapJsonIs(key, "node") ? TapJsonMember::Node
            : tapJsonIs(key, "user")  ? TapJsonMember::User
            : tapJsonIs(key, "body")  ? TapJsonMember::Body
                                      : TapJsonMember::Other;
    case 5:
        return tapJsonIs(key, "bytes") ? TapJsonMember::Bytes : TapJsonMember::Other;
    case 7:
        return tapJsonIs(key, "command") ? TapJsonMember::Command
            : tapJsonIs(key, "session")  ? TapJsonMember::Session
            : tapJsonIs(key, "headers")  ? TapJsonMember::Headers
                                         : TapJsonMember::Other;
    case 9:
        return tapJsonIs(key, "transport") ? TapJsonMember::Transport
            : tapJsonIs(key, "messageId")  ? TapJsonMember::MessageId
            : tapJsonIs(key, "truncated")  ? TapJsonMember::Truncated
                                           : TapJsonMember::Other;
    case 11:
        return tapJsonIs(key, "destination") ? TapJsonMember::Destination : TapJsonMember::Other;
    default:
        return TapJsonMember::Other;
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

} // namespace

TapJsonScanner::TapJsonScanner(QByteArrayView json)
    : m_p(json.data())
    , m_end(json.data() + json.size())
{ }

bool TapJsonScanner::scan(TapJsonFields *fields)
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

void TapJsonScanner::skipSpace()
{
    while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
        ++m_p;
}

bool TapJsonScanner::consume(char c)
{
    if (m_p < m_end && *m_p == c) {
        ++m_p;
        return true;
    }
    return false;
}

bool TapJsonScanner::literal(QByteArrayView word)
{
    if (m_end - m_p < word.size() || std::memcmp(m_p, word.data(), size_t(word.size())) != 0)
        return false;
    m_p += word.size();
    return true;
}

bool TapJsonScanner::member(QByteArrayView key, TapJsonFields *f)
{
    const TapJsonMember which = tapJsonMember(key);
    if (which == TapJsonMember::Other)
        return skipValue(0);
    const auto bit = 1u << unsigned(which);
    if (m_seen & bit)
        return false; // QJsonDocument keeps the last: leave that to it
    m_seen |= bit;
    switch (which) {
    case TapJsonMember::Ts:
        return nullableNumber(&f->ts);
    case TapJsonMember::Bytes:
        return nullableNumber(&f->bytes);
    case TapJsonMember::Node:
        return nullableString(&f->node);
    case TapJsonMember::Transport:
        return nullableString(&f->transport);
    case TapJsonMember::Dir:
        return nullableString(&f->dir);
    case TapJsonMember::Command:
        return nullableString(&f->command);
    case TapJsonMember::Destination:
        return nullableString(&f->destination);
    case TapJsonMember::User:
        return nullableString(&f->user);
    case TapJsonMember::Session:
        return nullableString(&f->session);
    case TapJsonMember::MessageId:
        return nullableString(&f->messageId);
    case TapJsonMember::Body:
        return nullableString(&f->body);
    case TapJsonMember::Truncated:
        if (literal("true")) {
            f->truncated = true;
            return true;
        }
        return literal("false") || literal("null");
    case TapJsonMember::Headers:
        return peek('n') ? literal("null") : headers(f);
    case TapJsonMember::Other:
        break;
    }
    return false;
}

bool TapJsonScanner::headers(TapJsonFields *f)
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

bool TapJsonScanner::plainKey(QByteArrayView *key)
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

bool TapJsonScanner::string(TapJsonSpan *span)
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

bool TapJsonScanner::wholeNumber(qint64 *value)
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

bool TapJsonScanner::skipValue(int depth)
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
    case 't':
        return literal("true");
    case 'f':
        return literal("false");
    case 'n':
        return literal("null");
    case '-':
        ++m_p;
        return wholeNumber(&ignored);
    default:
        return wholeNumber(&ignored);
    }
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
        case 'b':
            *out++ = '\b';
            break;
        case 'f':
            *out++ = '\f';
            break;
        case 'n':
            *out++ = '\n';
            break;
        case 'r':
            *out++ = '\r';
            break;
        case 't':
            *out++ = '\t';
            break;
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
        default:
            *out++ = e;
            break; // " \ /
        }
    }
    return QByteArrayView(begin, out - begin);
}

} // namespace sb::protocol
