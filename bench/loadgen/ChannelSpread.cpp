#include "ChannelSpread.h"

#include <algorithm>

ChannelSpread::ChannelSpread(int channels)
    : m_channels(std::max(1, channels))
{ }

uint64_t ChannelSpread::messagesOn(int channel, uint64_t first, uint64_t count) const
{
    const auto channels = uint64_t(m_channels);
    // The range's first sequence on `channel` is this many places after `first`.
    const uint64_t offset = (uint64_t(channel) + channels - first % channels) % channels;
    return count / channels + (offset < count % channels ? 1 : 0);
}

uint64_t ChannelSpread::expectedDeliveries(
    uint64_t first, uint64_t count, const std::vector<int> &readyPerChannel) const
{
    uint64_t expected = 0;
    for (std::size_t channel = 0; channel < readyPerChannel.size() && int(channel) < m_channels; ++channel)
        expected += uint64_t(readyPerChannel[channel]) * messagesOn(int(channel), first, count);
    return expected;
}
