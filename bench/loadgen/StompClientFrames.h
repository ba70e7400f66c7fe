#pragma once

#include <string>
#include <string_view>

// The STOMP frames the generator sends, built with the project's encoder
// (sb::protocol::StompEncoder), so they are what Switchboard's own clients send.
namespace StompClientFrames {
// CONNECT with a Bearer token (the node) or login/passcode (RabbitMQ), and the heart-beats
// offered in both directions (0: none).
std::string connect(std::string_view bearerToken, std::string_view login, std::string_view passcode,
    std::string_view host, int heartBeatMs);
// SUBSCRIBE id 0 with a receipt, so the client knows when deliveries can start.
std::string subscribe(std::string_view destination);
std::string send(std::string_view destination, std::string_view body, std::string_view contentType);
} // namespace StompClientFrames
