#pragma once

#include <cstdint>
#include <string>
#include <string_view>

// Splits what a server sends on a WebSocket (unmasked frames, RFC 6455 §5.2) into
// messages. Fragmented messages are joined; control frames are reported on their own.
// Bytes are appended with feed() and read back with next() until it returns None.
class WebSocketFrameReader
{
public:
    enum class Item { None, Message, Ping, Close, Error };

    void feed(std::string_view bytes) { m_buffer.append(bytes); }
    // The next complete item; `payload` stays valid until the next feed() or next().
    Item next(std::string_view &payload);

private:
    std::string m_buffer;
    std::size_t m_pos = 0;
    std::string m_fragments; // a fragmented message's parts so far
    bool m_inFragmentedMessage = false;
};
