#pragma once

#include <cstdint>
#include <vector>

// How a run spreads its clients over several channels (scenario 4, --channels N):
// subscriber i listens on channel i mod N and message sequence s goes to channel s mod N,
// so every channel gets the same share of the subscribers (±1) and of the rate. From the
// same rule the ledger tells a delivery on the wrong channel from a right one, and the run
// how many deliveries a step owes: on each channel, its messages times its ready subscribers.
class ChannelSpread
{
public:
    explicit ChannelSpread(int channels = 1);

    int channels() const { return m_channels; }
    int channelOfSubscriber(int index) const { return index % m_channels; }
    int channelOfMessage(uint64_t sequence) const { return int(sequence % uint64_t(m_channels)); }
    // How many of the sequence numbers [first, first + count) go to `channel`.
    uint64_t messagesOn(int channel, uint64_t first, uint64_t count) const;
    // The deliveries [first, first + count) owe when `readyPerChannel[c]` subscribers of
    // channel c are listening.
    uint64_t expectedDeliveries(
        uint64_t first, uint64_t count, const std::vector<int> &readyPerChannel) const;

private:
    int m_channels;
};
