#pragma once

namespace sb::protocol::WebSocketOpcode {

// RFC 6455 §5.2's frame opcodes, as the node reads them (WebSocketFrameDecoder) and writes
// them (node::WebSocketWriter).
constexpr int Continuation = 0x0;
constexpr int Text = 0x1;
constexpr int Binary = 0x2;
constexpr int Close = 0x8;
constexpr int Ping = 0x9;
constexpr int Pong = 0xA;

} // namespace sb::protocol::WebSocketOpcode
