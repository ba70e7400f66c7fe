#pragma once

#include "LatencyHistogram.h"

#include <cstdint>

// What the subscribers of one loop saw of one step's messages (sequence numbers in
// [first, end)); summed over the loops for the step's report.
struct StepTally
{
    uint64_t unique = 0; // (subscriber, sequence) pairs received at least once
    uint64_t duplicates = 0; // further copies of a pair already received
    uint64_t outsideStep = 0; // deliveries of an earlier step's message, late
    uint64_t misrouted = 0; // deliveries of a message published on another channel (ChannelSpread)
    int64_t lastDeliveryMicros = 0; // monotonicMicros() of the step's last delivery
    LatencyHistogram latency;

    void merge(const StepTally &other);
};
