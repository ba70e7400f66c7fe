#include "protocol/SseParser.h"

#include "protocol/Utf8Text.h"

#include <utility>

namespace sb::protocol {

SseParser::SseParser(qsizetype maxLineBytes, qsizetype maxEventBytes)
    : m_maxLineBytes(maxLineBytes)
    , m_maxEventBytes(maxEventBytes)
{ }

void SseParser::feed(QByteArrayView bytes)
{
    if (hasError() || bytes.isEmpty())
        return;
    // Drop the consumed prefix once it is at least half the buffer: amortised O(1)/byte.
    if (m_pos > 0 && m_pos * 2 >= m_buffer.size()) {
        m_buffer.remove(0, m_pos);
        m_scan -= m_pos;
        m_pos = 0;
    }
    m_buffer.append(bytes);
}

void SseParser::restartStream()
{
    m_buffer.clear();
    m_pos = m_scan = 0;
    m_bomChecked = false;
    m_skipLf = false;
    m_data.clear();
    m_type.clear();
    m_idBuffer = m_lastEventId;
    m_haveData = false;
    m_ready.reset();
    m_error.clear();
}

void SseParser::fail(const QString &message)
{
    m_error = message;
    m_buffer = QByteArray();
    m_pos = m_scan = 0;
    m_data.clear();
}

std::optional<SseEvent> SseParser::next()
{
    if (!m_bomChecked) {
        static constexpr QByteArrayView Bom = "\xEF\xBB\xBF";
        const QByteArrayView head = QByteArrayView(m_buffer).sliced(m_pos);
        if (head.size() < Bom.size() && Bom.startsWith(head))
            return std::nullopt; // could still become a BOM
        if (head.startsWith(Bom)) {
            m_pos += Bom.size();
            m_scan = m_pos;
        }
        m_bomChecked = true;
    }

    while (!hasError()) {
        const char *data = m_buffer.constData();
        const qsizetype size = m_buffer.size();
        if (m_skipLf && m_pos < size) {
            if (data[m_pos] == '\n')
                m_scan = ++m_pos;
            m_skipLf = false;
        }
        qsizetype i = m_scan;
        while (i < size && data[i] != '\n' && data[i] != '\r')
            ++i;
        if (i - m_pos > m_maxLineBytes) {
            fail(QStringLiteral("Event stream line longer than %1 bytes").arg(m_maxLineBytes));
            break;
        }
        if (i == size) {
            m_scan = i;
            break;
        }
        m_skipLf = data[i] == '\r';
        const QByteArrayView line(data + m_pos, i - m_pos);
        m_pos = m_scan = i + 1;
        processLine(line);
        if (m_ready)
            return std::exchange(m_ready, std::nullopt);
    }
    return std::nullopt;
}

void SseParser::processLine(QByteArrayView line)
{
    if (line.isEmpty()) {
        m_ready = dispatch();
        return;
    }
    if (line.front() == ':') {
        ++m_comments;
        return;
    }
    const qsizetype colon = line.indexOf(':');
    QByteArrayView field = line;
    QByteArrayView value;
    if (colon >= 0) {
        field = line.first(colon);
        value = line.sliced(colon + 1);
        if (value.startsWith(' '))
            value = value.sliced(1);
    }

    if (field == QByteArrayView("data")) {
        if (m_data.size() + value.size() + 1 > m_maxEventBytes) {
            fail(QStringLiteral("Event data larger than %1 bytes").arg(m_maxEventBytes));
            return;
        }
        m_data += decodeUtf8KeepingBom(value);
        m_data += u'\n';
        m_haveData = true;
    } else if (field == QByteArrayView("event")) {
        m_type = decodeUtf8KeepingBom(value);
    } else if (field == QByteArrayView("id")) {
        if (!value.contains('\0'))
            m_idBuffer = decodeUtf8KeepingBom(value);
    } else if (field == QByteArrayView("retry")) {
        bool digits = !value.isEmpty() && value.size() <= 15;
        for (const char c : value)
            digits = digits && c >= '0' && c <= '9';
        if (digits)
            m_retryMs = value.toByteArray().toLongLong();
    }
    // Any other field is ignored, per spec.
}

std::optional<SseEvent> SseParser::dispatch()
{
    // The last event ID updates even when no event is dispatched.
    m_lastEventId = m_idBuffer;
    if (!m_haveData) {
        m_type.clear();
        return std::nullopt;
    }
    SseEvent event;
    event.id = m_lastEventId;
    event.type = m_type.isEmpty() ? QStringLiteral("message") : m_type;
    m_data.chop(1); // the LF appended after the last data line
    event.data = std::exchange(m_data, QString());
    m_type.clear();
    m_haveData = false;
    return event;
}

} // namespace sb::protocol
