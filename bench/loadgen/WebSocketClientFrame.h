#pragma once

#include <cstdint>
#include <string>
#include <string_view>

// RFC 6455 frames as a client must send them: FIN set, masked (§5.3). The mask is a fixed
// non-zero key: it protects proxies from crafted plaintext, which a load generator on
// loopback does not need, and the servers must still unmask it like any other.
namespace WebSocketClientFrame {
enum Opcode : uint8_t { Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA };

// Appends one complete masked frame carrying `payload` to `out`.
void append(std::string &out, Opcode opcode, std::string_view payload);
} // namespace WebSocketClientFrame
