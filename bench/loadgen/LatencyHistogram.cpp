#include "LatencyHistogram.h"

#include <algorithm>
#include <cmath>

LatencyHistogram::LatencyHistogram()
    : m_buckets(kBuckets, 0)
{ }

void LatencyHistogram::add(int64_t micros)
{
    const int64_t clamped = std::max<int64_t>(0, micros);
    ++m_buckets[std::min<std::size_t>(std::size_t(clamped / kBucketMicros), kBuckets - 1)];
    ++m_count;
    m_max = std::max(m_max, clamped);
}

void LatencyHistogram::merge(const LatencyHistogram &other)
{
    for (std::size_t i = 0; i < kBuckets; ++i)
        m_buckets[i] += other.m_buckets[i];
    m_count += other.m_count;
    m_max = std::max(m_max, other.m_max);
}

void LatencyHistogram::clear()
{
    std::fill(m_buckets.begin(), m_buckets.end(), 0);
    m_count = 0;
    m_max = 0;
}

int64_t LatencyHistogram::percentileMicros(double fraction) const
{
    if (m_count == 0)
        return 0;
    const auto rank = uint64_t(std::ceil(fraction * double(m_count)));
    uint64_t seen = 0;
    for (std::size_t i = 0; i < kBuckets; ++i) {
        seen += m_buckets[i];
        if (seen >= std::max<uint64_t>(rank, 1))
            return std::min(m_max, int64_t(i + 1) * kBucketMicros);
    }
    return m_max;
}
