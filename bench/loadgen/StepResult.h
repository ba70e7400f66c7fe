#pragma once

#include "StepTally.h"

#include <cstdint>
#include <string>

// One step's figures as sb_loadgen prints them: one line of key=value pairs, so
// bench/compare can read them back with awk.
struct StepResult
{
    double rate = 0; // offered, messages/s
    uint64_t sent = 0;
    int subscribers = 0; // ready when the step began
    uint64_t expected = 0; // per channel, its messages × its subscribers (ChannelSpread), summed
    StepTally tally;
    double windowSeconds = 0; // step start to its last delivery
    double serverCpuSeconds = 0; // over the window
    double generatorCpuSeconds = 0;
    int64_t serverResidentKiB = 0;
    int closedDuring = 0; // subscribers the server closed during the step
    double slowConsumerDrops = -1; // the node's counter's increase; -1 unknown
    double ceiling = 0;
    double ceilingCpu = 0; // the generator's CPU % at its ceiling (0: unknown)
    uint64_t publishesRefused = 0; // HTTP publishers: answers other than 2xx, so far
    bool publisherOpen = true; // false: the server closed the publisher's connection

    uint64_t losses() const { return expected > tally.unique ? expected - tally.unique : 0; }
    double deliveriesPerSecond() const
    {
        return windowSeconds > 0 ? double(tally.unique) / windowSeconds : 0;
    }
    // Why the figure says more about the generator than the server; empty when it is valid.
    std::string invalidBecause() const;
    std::string line() const;
};
