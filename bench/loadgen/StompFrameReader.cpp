#include "StompFrameReader.h"

#include <charconv>

std::string_view StompFrameReader::Frame::header(std::string_view name) const
{
    std::size_t line = 0;
    while (line < headers.size()) {
        std::size_t end = headers.find('\n', line);
        if (end == std::string_view::npos)
            end = headers.size();
        std::string_view text = headers.substr(line, end - line);
        if (!text.empty() && text.back() == '\r')
            text.remove_suffix(1);
        if (text.size() > name.size() && text.substr(0, name.size()) == name && text[name.size()] == ':')
            return text.substr(name.size() + 1);
        line = end + 1;
    }
    return {};
}

bool StompFrameReader::next(Frame &frame)
{
    if (m_pos > 0 && m_pos * 2 >= m_buffer.size()) {
        m_buffer.erase(0, m_pos);
        m_pos = 0;
    }
    // Heart-beats: EOLs between frames.
    while (m_pos < m_buffer.size() && (m_buffer[m_pos] == '\n' || m_buffer[m_pos] == '\r'))
        ++m_pos;
    const std::string_view rest(m_buffer.data() + m_pos, m_buffer.size() - m_pos);
    const std::size_t commandEnd = rest.find('\n');
    if (commandEnd == std::string_view::npos)
        return false;
    std::size_t headersEnd = rest.find("\n\n", commandEnd);
    std::size_t bodyStart = headersEnd + 2;
    // Only up to the LF blank line, so many buffered frames are not rescanned to the end each.
    const std::string_view before
        = headersEnd == std::string_view::npos ? rest : rest.substr(0, headersEnd + 2);
    const std::size_t crlf = before.find("\r\n\r\n", commandEnd);
    if (crlf != std::string_view::npos) {
        headersEnd = crlf + 1;
        bodyStart = crlf + 4;
    }
    if (headersEnd == std::string_view::npos)
        return false;
    Frame candidate;
    candidate.command = rest.substr(0, commandEnd);
    if (!candidate.command.empty() && candidate.command.back() == '\r')
        candidate.command.remove_suffix(1);
    candidate.headers = rest.substr(commandEnd + 1, headersEnd + 1 - (commandEnd + 1));
    const std::string_view length = candidate.header("content-length");
    std::size_t bodyEnd = std::string_view::npos;
    if (!length.empty()) {
        std::size_t size = 0;
        std::from_chars(length.data(), length.data() + length.size(), size);
        if (rest.size() < bodyStart + size + 1)
            return false;
        bodyEnd = bodyStart + size;
    } else {
        bodyEnd = rest.find('\0', bodyStart);
        if (bodyEnd == std::string_view::npos)
            return false;
    }
    candidate.body = rest.substr(bodyStart, bodyEnd - bodyStart);
    m_pos += bodyEnd + 1; // past the NUL
    frame = candidate;
    return true;
}
