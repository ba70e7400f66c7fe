#pragma once

namespace sb::node {

// Which WebSocket endpoint an upgrade was accepted for (HttpApi decides, after its checks):
// /ws carries STOMP sessions, /admin/tap the tap's frames to an admin.
enum class WebSocketEndpoint { Stomp, Tap };

} // namespace sb::node
