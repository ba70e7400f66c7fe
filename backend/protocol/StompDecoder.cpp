#include "protocol/StompDecoder.h"

#include <cstring>
#include <utility>

namespace sb::protocol {

namespace {

// Longest legal command is UNSUBSCRIBE (11 bytes); anything longer without an EOL is
// not a command, so we need not wait for maxHeaderLineBytes to say so.
constexpr qsizetype MaxCommandBytes = 16;
// Error messages quote at most this much of what the peer sent.
constexpr qsizetype MaxQuotedBytes = 40;

// Renders untrusted bytes for an error message: printable ASCII only, shortened, so the
// message itself can never smuggle control characters into an ERROR frame or a log.
QString printableQuote(QByteArrayView bytes)
{
    QString text;
    const qsizetype shown = qMin(bytes.size(), MaxQuotedBytes);
    text.reserve(shown + 5);
    text += u'\'';
    for (qsizetype i = 0; i < shown; ++i) {
        const char c = bytes[i];
        text += (c >= 0x20 && c < 0x7f) ? QChar(QLatin1Char(c)) : QChar(u'?');
    }
    if (shown < bytes.size())
        text += QStringLiteral("...");
    text += u'\'';
    return text;
}

// STOMP 1.1/1.2 §Value Encoding. 1.1 has no \r; any other escape is a fatal error.
bool unescape(QByteArrayView in, StompVersion version, QByteArray *out)
{
    out->clear();
    out->reserve(in.size());
    for (qsizetype i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c != '\\') {
            out->append(c);
            continue;
        }
        if (++i == in.size())
            return false;
        switch (in[i]) {
        case 'n':
            out->append('\n');
            break;
        case 'c':
            out->append(':');
            break;
        case '\\':
            out->append('\\');
            break;
        case 'r':
            if (version < StompVersion::V1_2)
                return false;
            out->append('\r');
            break;
        default:
            return false;
        }
    }
    return true;
}

bool isAccepted(QByteArrayView command, StompDecoder::Accept accept)
{
    switch (accept) {
    case StompDecoder::Accept::ClientFrames:
        return StompFrame::isClientCommand(command);
    case StompDecoder::Accept::ServerFrames:
        return StompFrame::isServerCommand(command);
    case StompDecoder::Accept::AnyFrames:
        return StompFrame::isClientCommand(command) || StompFrame::isServerCommand(command);
    }
    return false;
}

} // namespace

StompDecoder::StompDecoder(Accept accept, const StompLimits &limits)
    : m_limits(limits)
    , m_accept(accept)
{ }

void StompDecoder::feed(QByteArrayView bytes)
{
    if (m_state == State::Failed || bytes.isEmpty())
        return;
    compact();
    m_buffer.append(bytes);
}

StompDecoder::Status StompDecoder::next()
{
    for (;;) {
        Status status = Status::NeedMoreData;
        switch (m_state) {
        case State::Failed:
            return Status::Error;
        case State::FrameStart:
            status = startFrame();
            break;
        case State::Command:
            status = parseCommand();
            break;
        case State::Headers:
            status = parseHeaders();
            break;
        case State::Body:
            status = parseBody();
            break;
        }
        // A state that made progress without producing anything returns Frame/HeartBeat
        // or moves on to the next state; loop until something is reportable.
        if (status != Status::NeedMoreData || m_state == State::Failed)
            return m_state == State::Failed ? Status::Error : status;
        if (m_pos == m_buffer.size() || m_scan == m_buffer.size())
            return Status::NeedMoreData;
    }
}

StompFrame StompDecoder::takeFrame()
{
    return std::exchange(m_frame, StompFrame());
}

void StompDecoder::reset()
{
    m_state = State::FrameStart;
    m_buffer.clear();
    m_pos = m_scan = m_frameBytes = 0;
    m_contentLength = -1;
    m_frame = StompFrame();
    m_error.clear();
    m_heartBeats = m_frames = 0;
}

StompDecoder::Status StompDecoder::fail(const QString &message)
{
    m_state = State::Failed;
    m_error = message;
    // Nothing will ever be decoded again; do not keep the peer's bytes around.
    m_buffer = QByteArray();
    m_pos = m_scan = 0;
    return Status::Error;
}

void StompDecoder::consume(qsizetype bytes)
{
    m_pos += bytes;
    m_scan = m_pos;
}

void StompDecoder::compact()
{
    // Dropping the consumed prefix only once it is at least half the buffer keeps the
    // copying amortised O(1) per byte.
    if (m_pos == 0)
        return;
    if (m_pos == m_buffer.size()) {
        m_buffer.clear();
    } else if (m_pos * 2 >= m_buffer.size()) {
        m_buffer.remove(0, m_pos);
    } else {
        return;
    }
    m_scan -= m_pos;
    m_pos = 0;
}

StompDecoder::Status StompDecoder::startFrame()
{
    if (m_pos == m_buffer.size())
        return Status::NeedMoreData;
    const char first = m_buffer.at(m_pos);
    if (first == '\n') {
        consume(1);
        ++m_heartBeats;
        return Status::HeartBeat;
    }
    if (first == '\r') {
        if (m_pos + 1 == m_buffer.size()) {
            m_scan = m_buffer.size(); // wait for the LF
            return Status::NeedMoreData;
        }
        if (m_buffer.at(m_pos + 1) != '\n')
            return fail(QStringLiteral("Expected LF after CR between frames"));
        consume(2);
        ++m_heartBeats;
        return Status::HeartBeat;
    }
    m_state = State::Command;
    m_scan = m_pos;
    m_frame = StompFrame();
    m_frameBytes = 0;
    m_contentLength = -1;
    return Status::NeedMoreData;
}

StompDecoder::LineResult StompDecoder::readLine(QByteArrayView *line, qsizetype maxLineBytes)
{
    const char *data = m_buffer.constData();
    const qsizetype size = m_buffer.size();
    qsizetype i = m_scan;
    while (i < size && data[i] != '\n' && data[i] != '\0')
        ++i;
    m_scan = i;

    // +1: a CR of a CRLF may already be here while its LF has not arrived yet. A line
    // still arriving fails early once it is longer than the limit, unless its one byte
    // over is that CR: then only its LF can tell (fed whole, the same line would pass).
    const qsizetype pending = i - m_pos;
    const bool crAwaitingLf = i == size && pending == maxLineBytes + 1 && data[i - 1] == '\r';
    if (pending > maxLineBytes + 1 || (i == size && pending > maxLineBytes && !crAwaitingLf)) {
        const bool isCommand = m_state == State::Command;
        if (isCommand)
            fail(QStringLiteral("Unknown command ") % printableQuote(QByteArrayView(data + m_pos, pending)));
        else
            fail(QStringLiteral("Header line longer than %1 bytes").arg(maxLineBytes));
        return LineResult::Failed;
    }
    if (m_frameBytes + pending + 1 > m_limits.maxFrameBytes) {
        fail(QStringLiteral("Frame larger than %1 bytes").arg(m_limits.maxFrameBytes));
        return LineResult::Failed;
    }
    if (i == size)
        return LineResult::Incomplete;
    if (data[i] == '\0') {
        fail(m_state == State::Command
                ? QStringLiteral("Frame has no headers: NUL in the command line")
                : QStringLiteral("NUL before the end of the headers (missing blank line?)"));
        return LineResult::Failed;
    }

    qsizetype length = pending;
    if (length > 0 && data[m_pos + length - 1] == '\r')
        --length;
    if (length > maxLineBytes) {
        fail(QStringLiteral("Header line longer than %1 bytes").arg(maxLineBytes));
        return LineResult::Failed;
    }
    *line = QByteArrayView(data + m_pos, length);
    if (line->contains('\r')) {
        fail(QStringLiteral("Bare CR inside a command or header line"));
        return LineResult::Failed;
    }
    m_frameBytes += pending + 1;
    // The view stays valid: nothing touches m_buffer until the caller returns to feed().
    consume(pending + 1);
    return LineResult::Complete;
}

StompDecoder::Status StompDecoder::parseCommand()
{
    QByteArrayView line;
    switch (readLine(&line, MaxCommandBytes)) {
    case LineResult::Incomplete:
        return Status::NeedMoreData;
    case LineResult::Failed:
        return Status::Error;
    case LineResult::Complete:
        break;
    }
    if (!line.isValidUtf8())
        return fail(QStringLiteral("Command is not valid UTF-8"));
    if (!isAccepted(line, m_accept))
        return fail(QStringLiteral("Unknown command ") % printableQuote(line));
    m_frame.setCommand(line.toByteArray());
    m_state = State::Headers;
    return Status::NeedMoreData;
}

StompDecoder::Status StompDecoder::parseHeaders()
{
    for (;;) {
        QByteArrayView line;
        switch (readLine(&line, m_limits.maxHeaderLineBytes)) {
        case LineResult::Incomplete:
            return Status::NeedMoreData;
        case LineResult::Failed:
            return Status::Error;
        case LineResult::Complete:
            break;
        }
        if (line.isEmpty())
            return finishHeaders();
        if (m_frame.headers().size() >= m_limits.maxHeaders)
            return fail(QStringLiteral("More than %1 headers in one frame").arg(m_limits.maxHeaders));
        if (!parseHeaderLine(line))
            return Status::Error;
    }
}

bool StompDecoder::parseHeaderLine(QByteArrayView line)
{
    if (!line.isValidUtf8()) {
        fail(QStringLiteral("Header is not valid UTF-8"));
        return false;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon < 0) {
        fail(QStringLiteral("Header without ':' ") % printableQuote(line));
        return false;
    }
    if (colon == 0) {
        fail(QStringLiteral("Header with an empty name ") % printableQuote(line));
        return false;
    }
    const QByteArrayView rawName = line.first(colon);
    const QByteArrayView rawValue = line.sliced(colon + 1);
    // 1.2: values are not trimmed. 1.0 servers often trimmed, but 1.0 clients did not
    // rely on it, so one rule for all versions keeps the round trip exact.
    if (m_version == StompVersion::V1_0 || StompFrame::isUnescapedCommand(m_frame.command())) {
        m_frame.addHeader(rawName.toByteArray(), rawValue.toByteArray());
        return true;
    }
    QByteArray name;
    QByteArray value;
    if (!unescape(rawName, m_version, &name) || !unescape(rawValue, m_version, &value)) {
        fail(QStringLiteral("Undefined escape sequence in header ") % printableQuote(line));
        return false;
    }
    m_frame.addHeader(name, value);
    return true;
}

StompDecoder::Status StompDecoder::finishHeaders()
{
    m_state = State::Body;
    if (!m_frame.hasHeader("content-length"))
        return Status::NeedMoreData;

    const QByteArray text = m_frame.header("content-length");
    // Digits only: no sign, no spaces, and few enough that the value cannot overflow.
    bool digits = !text.isEmpty() && text.size() <= 18;
    for (const char c : text)
        digits = digits && c >= '0' && c <= '9';
    if (!digits)
        return fail(QStringLiteral("Invalid content-length ") % printableQuote(text));
    m_contentLength = text.toLongLong();
    // Fail now rather than after buffering a body we would reject anyway.
    if (m_contentLength > m_limits.maxFrameBytes - m_frameBytes - 1) {
        return fail(QStringLiteral("Frame larger than %1 bytes (content-length %2)")
                        .arg(m_limits.maxFrameBytes)
                        .arg(m_contentLength));
    }
    return Status::NeedMoreData;
}

StompDecoder::Status StompDecoder::parseBody()
{
    const char *data = m_buffer.constData();
    const qsizetype size = m_buffer.size();
    qsizetype end = -1;
    if (m_contentLength >= 0) {
        if (size - m_pos < m_contentLength + 1) {
            m_scan = size;
            return Status::NeedMoreData;
        }
        end = m_pos + m_contentLength;
        if (data[end] != '\0')
            return fail(QStringLiteral("Frame body is not followed by NUL after content-length bytes"));
    } else {
        const void *nul = std::memchr(data + m_scan, '\0', size_t(size - m_scan));
        if (!nul) {
            m_scan = size;
            if (m_frameBytes + (size - m_pos) + 1 > m_limits.maxFrameBytes)
                return fail(QStringLiteral("Frame larger than %1 bytes").arg(m_limits.maxFrameBytes));
            return Status::NeedMoreData;
        }
        end = static_cast<const char *>(nul) - data;
        if (m_frameBytes + (end - m_pos) + 1 > m_limits.maxFrameBytes)
            return fail(QStringLiteral("Frame larger than %1 bytes").arg(m_limits.maxFrameBytes));
    }
    m_frame.setBody(m_buffer.mid(m_pos, end - m_pos));
    consume(end - m_pos + 1);
    m_state = State::FrameStart;
    ++m_frames;
    return Status::Frame;
}

} // namespace sb::protocol
