#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// What every published message carries in its body, whatever the server wraps around it
// (the node's JSON, a STOMP MESSAGE, an SSE data line): "sbq:<sequence>:<send time µs>;",
// padded to the requested size. Subscribers find the first marker in what they receive, so
// losses and duplicates are counted by sequence, and latency is measured, the same way
// for every server.
struct DeliveryMarker
{
    uint64_t sequence = 0;
    int64_t sentMicros = 0;

    // The marker followed by 'x' up to `bodyBytes` (never shorter than the marker itself).
    static std::string text(uint64_t sequence, int64_t sentMicros, std::size_t bodyBytes);
    // The first marker in `bytes`, if any.
    static std::optional<DeliveryMarker> find(std::string_view bytes);
};
