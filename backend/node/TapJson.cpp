#include "node/TapJson.h"

#include <array>
#include <cstring>

namespace sb::node::TapJson {

namespace {

// Bytes each byte takes inside a JSON string: 1, 2 (\n, \", ...) or 6 (\u00xx). A table,
// and runs of plain bytes copied whole: escaping a byte at a time through a switch cost
// ~6,000 instructions a tap frame (docs/benchmarks.md, "Tap overhead").
constexpr std::array<unsigned char, 256> tapEscapedSizes = [] {
    std::array<unsigned char, 256> sizes {};
    for (int c = 0; c < 256; ++c)
        sizes[std::size_t(c)] = c < 0x20 ? 6 : 1;
    for (const unsigned char named : { '\b', '\f', '\n', '\r', '\t', '"', '\\' })
        sizes[named] = 2;
    return sizes;
}();

constexpr unsigned char tapEscapedSize(unsigned char c)
{
    return tapEscapedSizes[c];
}

char *writeTapEscaped(char *out, unsigned char c)
{
    static constexpr char hex[] = "0123456789abcdef";
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

constexpr bool isTapHighSurrogate(char16_t c)
{
    return c >= 0xd800 && c < 0xdc00;
}
constexpr bool isTapLowSurrogate(char16_t c)
{
    return c >= 0xdc00 && c < 0xe000;
}

} // namespace

qsizetype stringSize(QByteArrayView text)
{
    qsizetype size = text.size() + 2;
    for (const char ch : text)
        size += tapEscapedSize(uchar(ch)) - 1;
    return size;
}

char *writeString(char *out, QByteArrayView text)
{
    *out++ = '"';
    const char *at = text.data();
    const char *const end = at + text.size();
    while (at < end) {
        const char *const run = at;
        while (at < end && tapEscapedSize(uchar(*at)) == 1)
            ++at;
        if (at > run) {
            std::memcpy(out, run, std::size_t(at - run));
            out += at - run;
        }
        if (at < end)
            out = writeTapEscaped(out, uchar(*at++));
    }
    *out++ = '"';
    return out;
}

char *writeRaw(char *out, QByteArrayView raw)
{
    if (raw.isEmpty())
        return out; // an empty view's data() may be null, which memcpy may not be given
    std::memcpy(out, raw.data(), size_t(raw.size()));
    return out + raw.size();
}

qsizetype stringSize(QStringView text)
{
    qsizetype size = 2;
    const char16_t *c = text.utf16();
    const char16_t *const end = c + text.size();
    for (; c < end; ++c) {
        if (*c < 0x80)
            size += tapEscapedSize(uchar(*c));
        else if (*c < 0x800)
            size += 2;
        else if (isTapHighSurrogate(*c) && c + 1 < end && isTapLowSurrogate(c[1])) {
            size += 4;
            ++c;
        } else if (isTapHighSurrogate(*c) || isTapLowSurrogate(*c))
            size += 1; // '?'
        else
            size += 3;
    }
    return size;
}

char *writeString(char *out, QStringView text)
{
    *out++ = '"';
    const char16_t *c = text.utf16();
    const char16_t *const end = c + text.size();
    while (c < end) {
        if (*c < 0x80) {
            const auto ascii = uchar(*c++);
            if (tapEscapedSize(ascii) == 1)
                *out++ = char(ascii);
            else
                out = writeTapEscaped(out, ascii);
            continue;
        }
        char32_t code = *c++;
        if (code < 0x800) {
            *out++ = char(0xc0 | (code >> 6));
            *out++ = char(0x80 | (code & 0x3f));
            continue;
        }
        if (isTapHighSurrogate(char16_t(code)) && c < end && isTapLowSurrogate(*c))
            code = 0x10000 + ((code - 0xd800) << 10) + (char32_t(*c++) - 0xdc00);
        else if (isTapHighSurrogate(char16_t(code)) || isTapLowSurrogate(char16_t(code))) {
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

} // namespace sb::node::TapJson
