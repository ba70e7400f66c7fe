#include "SseEventReader.h"

#include <charconv>

void SseEventReader::feed(std::string_view bytes)
{
    if (!m_chunked) {
        m_buffer.append(bytes);
        return;
    }
    m_raw.append(bytes);
    dechunk();
}

void SseEventReader::dechunk()
{
    std::size_t pos = 0;
    while (pos < m_raw.size()) {
        if (m_chunkLeft > 0) {
            const std::size_t take = std::min(m_chunkLeft, m_raw.size() - pos);
            m_buffer.append(m_raw, pos, take);
            pos += take;
            m_chunkLeft -= take;
            continue;
        }
        // A chunk-size line, possibly preceded by the CRLF that ended the previous chunk.
        if (m_raw.compare(pos, 2, "\r\n") == 0) {
            pos += 2;
            continue;
        }
        const std::size_t lineEnd = m_raw.find("\r\n", pos);
        if (lineEnd == std::string::npos)
            break;
        std::size_t size = 0;
        const auto parsed = std::from_chars(m_raw.data() + pos, m_raw.data() + lineEnd, size, 16);
        if (parsed.ec != std::errc()) {
            m_error = true;
            break;
        }
        pos = lineEnd + 2;
        m_chunkLeft = size;
        if (size == 0) {
            m_error = true; // the last chunk: the stream ended
            break;
        }
    }
    m_raw.erase(0, pos);
}

bool SseEventReader::next(std::string_view &event)
{
    if (m_pos > 0 && m_pos * 2 >= m_buffer.size()) {
        m_buffer.erase(0, m_pos);
        m_pos = 0;
    }
    const std::string_view rest(m_buffer.data() + m_pos, m_buffer.size() - m_pos);
    std::size_t end = rest.find("\n\n");
    std::size_t skip = 2;
    // A CRLF blank line can only come first if it ends before the LF one: search that far only,
    // or a buffer of many LF events would be scanned to its end once per event.
    const std::string_view before = end == std::string_view::npos ? rest : rest.substr(0, end + 2);
    const std::size_t crlf = before.find("\r\n\r\n");
    if (crlf != std::string_view::npos) {
        end = crlf;
        skip = 4;
    }
    if (end == std::string_view::npos)
        return false;
    event = rest.substr(0, end);
    m_pos += end + skip;
    return true;
}
