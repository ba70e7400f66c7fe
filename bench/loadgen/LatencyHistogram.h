#pragma once

#include <cstdint>
#include <vector>

// Delivery latencies in 20 µs buckets up to 20 s (the last bucket holds everything
// slower), so a step with millions of deliveries costs one increment each and a fixed
// 8 MB rather than a growing list; percentiles are exact to the bucket width.
class LatencyHistogram
{
public:
    LatencyHistogram();

    void add(int64_t micros);
    void merge(const LatencyHistogram &other);
    void clear();

    uint64_t count() const { return m_count; }
    int64_t maxMicros() const { return m_max; }
    // The latency below which `fraction` (0..1) of the samples fall, in µs (upper bucket edge).
    int64_t percentileMicros(double fraction) const;

private:
    static constexpr int64_t kBucketMicros = 20;
    static constexpr std::size_t kBuckets = 1'000'000;

    std::vector<uint64_t> m_buckets;
    uint64_t m_count = 0;
    int64_t m_max = 0;
};
