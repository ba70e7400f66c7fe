#pragma once

#include <QtGlobal>

#include <chrono>

namespace sb::node {

// Microseconds since the Unix epoch. Envelope::publishedAtUs is stamped on one replica and
// read on another (sb_delivery_latency_seconds), so it must be the wall clock: a monotonic
// clock has no epoch shared between processes or hosts.
inline qint64 wallClockMicros()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

} // namespace sb::node
