#pragma once

#include "DeliveryMarker.h"
#include "StepTally.h"

#include <atomic>
#include <cstdint>
#include <vector>

// One loop's account of its subscribers' deliveries: which sequence numbers each
// subscriber has received (a bit each, so a duplicate is known exactly, not guessed from
// counts), and the current step's tally. Used on the loop's thread only, but for
// deliveries(), which the main thread polls to see a step drain.
class DeliveryLedger
{
public:
    // A new subscriber's index.
    int addSubscriber();
    void delivered(int subscriber, const DeliveryMarker &marker, int64_t nowMicros);

    // Starts counting the messages [first, end) as the current step.
    void beginStep(uint64_t first, uint64_t end);
    // The current step's tally, leaving a fresh one.
    StepTally takeStep();

    uint64_t deliveries() const { return m_deliveries.load(std::memory_order_relaxed); }

private:
    std::vector<std::vector<uint64_t>> m_seen; // per subscriber, bit per sequence number
    uint64_t m_first = 0;
    uint64_t m_end = 0;
    StepTally m_step;
    std::atomic<uint64_t> m_deliveries { 0 };
};
