#include "WebSocketFrameReader.h"

WebSocketFrameReader::Item WebSocketFrameReader::next(std::string_view &payload)
{
    for (;;) {
        // Drop what earlier calls consumed once it is most of the buffer (amortised O(n)).
        if (m_pos > 0 && m_pos * 2 >= m_buffer.size()) {
            m_buffer.erase(0, m_pos);
            m_pos = 0;
        }
        const std::size_t available = m_buffer.size() - m_pos;
        if (available < 2)
            return Item::None;
        const auto *p = reinterpret_cast<const unsigned char *>(m_buffer.data() + m_pos);
        const bool fin = p[0] & 0x80;
        const int opcode = p[0] & 0x0f;
        if (p[1] & 0x80)
            return Item::Error; // servers never mask
        uint64_t size = p[1] & 0x7f;
        std::size_t head = 2;
        if (size == 126) {
            if (available < 4)
                return Item::None;
            size = (uint64_t(p[2]) << 8) | p[3];
            head = 4;
        } else if (size == 127) {
            if (available < 10)
                return Item::None;
            size = 0;
            for (int i = 0; i < 8; ++i)
                size = (size << 8) | p[2 + i];
            head = 10;
        }
        if (available < head + size)
            return Item::None;
        const std::string_view body(m_buffer.data() + m_pos + head, std::size_t(size));
        m_pos += head + std::size_t(size);
        switch (opcode) {
        case 0x0: // continuation
            m_fragments.append(body);
            if (!fin)
                continue;
            m_inFragmentedMessage = false;
            payload = m_fragments;
            return Item::Message;
        case 0x1:
        case 0x2:
            if (fin) {
                payload = body;
                return Item::Message;
            }
            m_fragments.assign(body);
            m_inFragmentedMessage = true;
            continue;
        case 0x8:
            payload = body;
            return Item::Close;
        case 0x9:
            payload = body;
            return Item::Ping;
        case 0xA:
            continue; // pong
        default:
            return Item::Error;
        }
    }
}
