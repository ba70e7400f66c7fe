#pragma once

#include <chrono>
#include <cstdint>

// The one clock the load generator stamps and reads: the publisher writes it into each
// message and the subscribers read it on arrival, in the same process, so a steady clock
// (never stepped by NTP) is the right one.
inline int64_t monotonicMicros()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}
