#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QVarLengthArray>

#include <cstring>

namespace sb::protocol {

// The node's tap frames read straight from their bytes (TapFrameCodec's fast path), as
// spans into the JSON: what the codec turns into a TrafficFrame.

// A string's content between its quotes, as it stands in the JSON.
struct TapJsonSpan
{
    const char *begin = nullptr;
    qsizetype size = 0;
    bool escaped = false; // holds a backslash escape

    QByteArrayView view() const { return { begin, size }; }
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

// Equality with a literal of known length: an inlined memcmp, where QByteArrayView's
// operator== calls out to compareMemory for every member of every frame.
template<size_t N> bool tapJsonIs(QByteArrayView text, const char (&literal)[N])
{
    return text.size() == qsizetype(N - 1) && std::memcmp(text.data(), literal, N - 1) == 0;
}

// Reads one frame in a single pass, or says it is not the plain case: false for anything
// it cannot read exactly as QJsonDocument would — errors of any kind (the reference then
// words them), a member twice (QJsonDocument keeps the last), keys with escapes or beyond
// ASCII, numbers other than whole ones of up to 15 digits, escapes QJsonDocument reads
// leniently (\x) or keeps as lone surrogates, nesting beyond 32 levels.
class TapJsonScanner
{
public:
    explicit TapJsonScanner(QByteArrayView json);

    bool scan(TapJsonFields *fields);

private:
    static constexpr int kMaxDepth = 32;

    void skipSpace();
    bool consume(char c);
    bool literal(QByteArrayView word);
    bool peek(char c) const { return m_p < m_end && *m_p == c; }

    bool member(QByteArrayView key, TapJsonFields *f);

    bool nullableString(TapJsonSpan *span) { return peek('n') ? literal("null") : string(span); }
    bool nullableNumber(qint64 *value) { return peek('n') ? literal("null") : wholeNumber(value); }

    bool headers(TapJsonFields *f);

    // A key of plain ASCII without escapes: every key the node writes.
    bool plainKey(QByteArrayView *key);

    bool string(TapJsonSpan *span);

    bool wholeNumber(qint64 *value);

    bool skipValue(int depth);

    const char *m_p;
    const char *m_end;
    unsigned m_seen = 0;
    bool m_nonAscii = false;
};

// A scanned string's bytes: the JSON's own when it has no escape, else unescaped into
// `scratch` (valid until its next use). The scanner checked every escape.
QByteArrayView tapJsonUnescaped(const TapJsonSpan &span, QByteArray *scratch);

} // namespace sb::protocol
