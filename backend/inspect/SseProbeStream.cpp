#include "inspect/SseProbeStream.h"

namespace sb::inspect {

using protocol::TrafficFrame;

namespace {

// What SseParser accepts as retry: (all ASCII digits), so both agree on every block.
bool sseProbeIsRetryValue(QByteArrayView value)
{
    if (value.isEmpty() || value.size() > 15)
        return false;
    for (const char c : value)
        if (c < '0' || c > '9')
            return false;
    return true;
}

} // namespace

SseProbeStream::SseProbeStream(qsizetype maxLineBytes, qsizetype maxEventBytes, qsizetype maxBodyBytes)
    : m_parser(maxLineBytes, maxEventBytes)
    , m_maxLineBytes(maxLineBytes)
    , m_maxBodyBytes(maxBodyBytes)
{ }

void SseProbeStream::restart()
{
    m_parser.restartStream();
    m_buffer.clear();
    m_pos = 0;
    m_skipLf = false;
    m_firstLine = true;
    m_error.clear();
    resetBlock();
}

void SseProbeStream::resetBlock()
{
    m_blockBytes = 0;
    m_blockHasId = false;
    m_blockHasEvent = false;
    m_blockRetry = -1;
}

QList<TrafficFrame> SseProbeStream::feed(QByteArrayView bytes)
{
    QList<TrafficFrame> out;
    if (hasError() || bytes.isEmpty())
        return out;
    if (m_skipLf) {
        m_skipLf = false;
        if (bytes.front() == '\n') {
            // The LF of a CRLF split across reads: the parser skips it too.
            m_parser.feed(bytes.first(1));
            m_blockBytes += 1;
            bytes = bytes.sliced(1);
        }
    }
    // Drop the consumed prefix once it is at least half the buffer: amortised O(1)/byte.
    if (m_pos > 0 && m_pos * 2 >= m_buffer.size()) {
        m_buffer.remove(0, m_pos);
        m_pos = 0;
    }
    const qsizetype scanFrom = m_buffer.size();
    m_buffer.append(bytes);
    const char *data = m_buffer.constData();
    const qsizetype size = m_buffer.size();
    for (qsizetype i = qMax(scanFrom, m_pos); i < size && !hasError(); ++i) {
        const char c = data[i];
        if (c != '\n' && c != '\r')
            continue;
        qsizetype end = i + 1;
        if (c == '\r') {
            if (end < size && data[end] == '\n')
                ++end;
            else if (end == size)
                m_skipLf = true;
        }
        const QByteArrayView raw(data + m_pos, end - m_pos);
        const QByteArrayView line(data + m_pos, i - m_pos);
        m_pos = end;
        i = end - 1;
        onLine(raw, line, &out);
    }
    if (!hasError() && size - m_pos > m_maxLineBytes)
        m_error = QStringLiteral("event stream line longer than %1 bytes").arg(m_maxLineBytes);
    if (hasError())
        m_buffer = QByteArray();
    return out;
}

void SseProbeStream::onLine(QByteArrayView raw, QByteArrayView line, QList<TrafficFrame> *out)
{
    if (line.size() > m_maxLineBytes) {
        m_error = QStringLiteral("event stream line longer than %1 bytes").arg(m_maxLineBytes);
        return;
    }
    if (m_firstLine) {
        m_firstLine = false;
        if (line.startsWith("\xEF\xBB\xBF"))
            line = line.sliced(3);
    }
    // The parser reads every line (it decides what an event is); this class only watches.
    m_parser.feed(raw);
    const std::optional<protocol::SseEvent> event = m_parser.next();
    if (m_parser.hasError()) {
        m_error = m_parser.errorString();
        return;
    }

    if (line.startsWith(':')) {
        QByteArrayView text = line.sliced(1);
        if (text.startsWith(' '))
            text = text.sliced(1);
        out->append(newFrame(QStringLiteral("COMMENT"), text.toByteArray(), raw.size()));
        return;
    }
    m_blockBytes += raw.size();
    if (!line.isEmpty()) {
        const qsizetype colon = line.indexOf(':');
        const QByteArrayView field = colon >= 0 ? line.first(colon) : line;
        QByteArrayView value = colon >= 0 ? line.sliced(colon + 1) : QByteArrayView();
        if (value.startsWith(' '))
            value = value.sliced(1);
        if (field == "id" && !value.contains('\0'))
            m_blockHasId = true;
        else if (field == "event")
            m_blockHasEvent = true;
        else if (field == "retry" && sseProbeIsRetryValue(value))
            m_blockRetry = m_parser.reconnectionTimeMs(); // the parser took it, by the same rule
        return;
    }

    // A blank line ends the block: the parser dispatched its event, if it had data.
    if (m_blockHasId)
        m_lastEventId = m_parser.lastEventId();
    if (event) {
        QByteArray body = event->data.toUtf8();
        const bool cut = body.size() > m_maxBodyBytes;
        if (cut)
            body.truncate(m_maxBodyBytes);
        TrafficFrame frame = newFrame(event->type, body, m_blockBytes);
        frame.truncated = cut;
        QList<TrafficFrame::Header> headers;
        if (m_blockHasId) {
            frame.messageId = event->id;
            headers.append({ QStringLiteral("id"), event->id });
        }
        if (m_blockHasEvent)
            headers.append({ QStringLiteral("event"), event->type });
        if (m_blockRetry >= 0)
            headers.append({ QStringLiteral("retry"), QString::number(m_blockRetry) });
        frame.setHeaders(headers);
        out->append(frame);
    } else if (m_blockRetry >= 0) {
        TrafficFrame frame = newFrame(QStringLiteral("RETRY"), {}, m_blockBytes);
        frame.setHeaders({ { QStringLiteral("retry"), QString::number(m_blockRetry) } });
        out->append(frame);
    }
    resetBlock();
}

TrafficFrame SseProbeStream::newFrame(const QString &command, const QByteArray &body, qint64 bytes) const
{
    TrafficFrame frame;
    frame.command = command;
    frame.body = body;
    frame.bytes = bytes;
    return frame;
}

} // namespace sb::inspect
