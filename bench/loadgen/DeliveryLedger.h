#pragma once

#include "ChannelSpread.h"
#include "DeliveryMarker.h"
#include "StepTally.h"

#include <atomic>
#include <cstdint>
#include <vector>

// One loop's account of its subscribers' deliveries: which sequence numbers each
// subscriber has received (a bit each, so a duplicate is known exactly, not guessed from
// counts), and the current step's tally. A delivery of a message published on another
// channel than the subscriber's (ChannelSpread) counts as misrouted, not as received. Used
// on the loop's thread only, but for deliveries(), which the main thread polls to see a
// step drain.
class DeliveryLedger
{
public:
    explicit DeliveryLedger(ChannelSpread spread = ChannelSpread());

    // A new subscriber's index; it listens on `channel` of the spread.
    int addSubscriber(int channel = 0);
    void delivered(int subscriber, const DeliveryMarker &marker, int64_t nowMicros);

    // Starts counting the messages [first, end) as the current step.
    void beginStep(uint64_t first, uint64_t end);
    // The current step's tally, leaving a fresh one.
    StepTally takeStep();

    uint64_t deliveries() const { return m_deliveries.load(std::memory_order_relaxed); }

private:
    ChannelSpread m_spread;
    // Per subscriber, a bit per sequence number of its channel (sequence / channels).
    std::vector<std::vector<uint64_t>> m_seen;
    std::vector<int> m_channelOf; // per subscriber
    uint64_t m_first = 0;
    uint64_t m_end = 0;
    StepTally m_step;
    std::atomic<uint64_t> m_deliveries { 0 };
};
