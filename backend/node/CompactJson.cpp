#include "node/CompactJson.h"

namespace sb::node::CompactJson {

namespace {
char lowerHexDigit(uint value)
{
    return "0123456789abcdef"[value & 0xf];
}

void appendUnicodeEscape(QByteArray &out, char16_t unit)
{
    const char escape[] = { '\\', 'u', lowerHexDigit(unit >> 12), lowerHexDigit(unit >> 8),
        lowerHexDigit(unit >> 4), lowerHexDigit(unit) };
    out.append(escape, sizeof escape);
}
} // namespace

void appendString(QByteArray &out, QStringView text)
{
    out.reserve(out.size() + text.size() + 2);
    out.append('"');
    const char16_t *it = text.utf16();
    const char16_t *const end = it + text.size();
    while (it != end) {
        const char16_t unit = *it++;
        if (unit < 0x80) {
            if (unit >= 0x20 && unit != u'"' && unit != u'\\') {
                out.append(char(unit));
                continue;
            }
            switch (unit) {
            case u'"':
                out.append("\\\"", 2);
                break;
            case u'\\':
                out.append("\\\\", 2);
                break;
            case u'\b':
                out.append("\\b", 2);
                break;
            case u'\f':
                out.append("\\f", 2);
                break;
            case u'\n':
                out.append("\\n", 2);
                break;
            case u'\r':
                out.append("\\r", 2);
                break;
            case u'\t':
                out.append("\\t", 2);
                break;
            default:
                appendUnicodeEscape(out, unit);
            }
        } else if (unit < 0x800) {
            out.append(char(0xc0 | (unit >> 6)));
            out.append(char(0x80 | (unit & 0x3f)));
        } else if (QChar::isHighSurrogate(unit) && it != end && QChar::isLowSurrogate(*it)) {
            const char32_t code = QChar::surrogateToUcs4(unit, *it++);
            const char bytes[] = { char(0xf0 | (code >> 18)), char(0x80 | ((code >> 12) & 0x3f)),
                char(0x80 | ((code >> 6) & 0x3f)), char(0x80 | (code & 0x3f)) };
            out.append(bytes, sizeof bytes);
        } else if (QChar::isSurrogate(unit)) {
            appendUnicodeEscape(out, unit); // not UTF-8 encodable alone: Qt escapes it
        } else {
            const char bytes[] = { char(0xe0 | (unit >> 12)), char(0x80 | ((unit >> 6) & 0x3f)),
                char(0x80 | (unit & 0x3f)) };
            out.append(bytes, sizeof bytes);
        }
    }
    out.append('"');
}

} // namespace sb::node::CompactJson
