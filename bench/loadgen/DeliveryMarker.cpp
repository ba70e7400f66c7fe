#include "DeliveryMarker.h"

namespace {
constexpr std::string_view kPrefix = "sbq:";

// Reads decimal digits at `pos`; false when there are none or they are not followed by `end`.
bool readNumber(std::string_view bytes, std::size_t &pos, char end, uint64_t &value)
{
    const std::size_t start = pos;
    value = 0;
    while (pos < bytes.size() && bytes[pos] >= '0' && bytes[pos] <= '9')
        value = value * 10 + uint64_t(bytes[pos++] - '0');
    if (pos == start || pos >= bytes.size() || bytes[pos] != end)
        return false;
    ++pos;
    return true;
}
} // namespace

std::string DeliveryMarker::text(uint64_t sequence, int64_t sentMicros, std::size_t bodyBytes)
{
    std::string marker
        = std::string(kPrefix) + std::to_string(sequence) + ':' + std::to_string(sentMicros) + ';';
    if (marker.size() < bodyBytes)
        marker.append(bodyBytes - marker.size(), 'x');
    return marker;
}

std::optional<DeliveryMarker> DeliveryMarker::find(std::string_view bytes)
{
    for (std::size_t at = bytes.find(kPrefix); at != std::string_view::npos;
         at = bytes.find(kPrefix, at + 1)) {
        std::size_t pos = at + kPrefix.size();
        uint64_t sequence = 0;
        uint64_t sent = 0;
        if (readNumber(bytes, pos, ':', sequence) && readNumber(bytes, pos, ';', sent))
            return DeliveryMarker { sequence, int64_t(sent) };
    }
    return std::nullopt;
}
