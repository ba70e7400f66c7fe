#include "protocol/StompEncoder.h"

#include <algorithm>

namespace sb::protocol {

namespace {

// Whether escape() changes byte c: what appendRaw drops from a value (1.0) or appendEscaped
// rewrites or drops (1.1, 1.2). One definition, so the copy-free overload cannot disagree.
bool changesUnderEscape(char c, StompVersion version)
{
    if (c == '\r' || c == '\n')
        return true;
    return version != StompVersion::V1_0 && (c == '\\' || c == ':');
}

void appendRaw(QByteArray &out, QByteArrayView text, bool isName)
{
    for (const char c : text) {
        if (c == '\r' || c == '\n' || (isName && c == ':'))
            continue;
        out.append(c);
    }
}

void appendEscaped(QByteArray &out, QByteArrayView text, StompVersion version)
{
    for (const char c : text) {
        switch (c) {
        case '\\':
            out.append("\\\\", 2);
            break;
        case '\n':
            out.append("\\n", 2);
            break;
        case ':':
            out.append("\\c", 2);
            break;
        case '\r':
            // 1.1 has no escape for CR; dropping it is the only safe choice.
            if (version >= StompVersion::V1_2)
                out.append("\\r", 2);
            break;
        default:
            out.append(c);
        }
    }
}

} // namespace

QByteArray StompEncoder::escape(QByteArrayView text, StompVersion version)
{
    QByteArray out;
    out.reserve(text.size());
    if (version == StompVersion::V1_0)
        appendRaw(out, text, false);
    else
        appendEscaped(out, text, version);
    return out;
}

QByteArray StompEncoder::escape(const QByteArray &text, StompVersion version)
{
    const bool unchanged = std::none_of(
        text.cbegin(), text.cend(), [version](char c) { return changesUnderEscape(c, version); });
    return unchanged ? text : escape(QByteArrayView(text), version);
}

QByteArray StompEncoder::encode(const StompFrame &frame, StompVersion version)
{
    const bool escaped = version != StompVersion::V1_0 && !StompFrame::isUnescapedCommand(frame.command());
    const bool withLength = !frame.body().isEmpty() || frame.hasHeader("content-length");

    QByteArray out;
    out.reserve(frame.command().size() + frame.body().size() + 64 + frame.headers().size() * 32);
    for (const char c : frame.command()) {
        if (c != '\r' && c != '\n' && c != '\0')
            out.append(c);
    }
    out.append('\n');

    bool lengthWritten = false;
    for (const StompHeader &header : frame.headers()) {
        if (header.first == "content-length") {
            // Keep its position (first occurrence) but never a stale or repeated value.
            if (lengthWritten)
                continue;
            out.append("content-length:");
            out.append(QByteArray::number(frame.body().size()));
            out.append('\n');
            lengthWritten = true;
            continue;
        }
        if (escaped) {
            appendEscaped(out, header.first, version);
            out.append(':');
            appendEscaped(out, header.second, version);
        } else {
            appendRaw(out, header.first, true);
            out.append(':');
            appendRaw(out, header.second, false);
        }
        out.append('\n');
    }
    if (withLength && !lengthWritten) {
        out.append("content-length:");
        out.append(QByteArray::number(frame.body().size()));
        out.append('\n');
    }
    out.append('\n');
    out.append(frame.body());
    out.append('\0');
    return out;
}

} // namespace sb::protocol
