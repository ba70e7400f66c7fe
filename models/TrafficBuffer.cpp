#include "models/TrafficBuffer.h"

#include <algorithm>

namespace sb::models {

TrafficBuffer::TrafficBuffer(qsizetype capacity)
    : m_capacity(std::clamp<qsizetype>(capacity, 1, kMaxCapacity))
{
}

qint64 TrafficBuffer::approximateBytes(const protocol::TrafficFrame &frame)
{
    // Shared strings (source, user, session, destination, command) are counted once per
    // frame as a pointer, not per character: the decoders share them between frames.
    auto heap = [](qsizetype bytes) { return bytes > 0 ? bytes + 24 : 0; }; // allocation header + rounding
    return qint64(sizeof(protocol::TrafficFrame)) + heap(frame.messageId.size() * 2) + heap(frame.headerBlock.size())
         + heap(frame.body.size());
}

qsizetype TrafficBuffer::append(QList<protocol::TrafficFrame> frames)
{
    qsizetype evictedNow = 0;
    for (protocol::TrafficFrame &frame : frames) {
        frame.seq = m_nextSeq++;
        m_bytes += approximateBytes(frame);
        if (qsizetype(m_ring.size()) < m_capacity && m_head == 0) {
            m_ring.push_back(std::move(frame));
            ++m_count;
            continue;
        }
        if (m_count == m_capacity) {
            m_bytes -= approximateBytes(m_ring[m_head]);
            m_ring[m_head] = std::move(frame);
            m_head = (m_head + 1) % qsizetype(m_ring.size());
            ++m_evicted;
            ++evictedNow;
        } else {
            m_ring[slot(m_count)] = std::move(frame);
            ++m_count;
        }
    }
    return evictedNow;
}

void TrafficBuffer::evictOldest(qsizetype count)
{
    for (qsizetype i = 0; i < count; ++i) {
        m_bytes -= approximateBytes(m_ring[m_head]);
        m_ring[m_head] = {};
        m_head = (m_head + 1) % qsizetype(m_ring.size());
    }
    m_count -= count;
    m_evicted += count;
}

qsizetype TrafficBuffer::setCapacity(qsizetype capacity)
{
    capacity = std::clamp<qsizetype>(capacity, 1, kMaxCapacity);
    const qsizetype excess = qMax<qsizetype>(0, m_count - capacity);
    if (excess > 0)
        evictOldest(excess);
    // Re-lay the ring oldest-first at its new size.
    std::vector<protocol::TrafficFrame> ring;
    ring.reserve(size_t(qMin(capacity, m_count)));
    for (qsizetype i = 0; i < m_count; ++i)
        ring.push_back(std::move(m_ring[slot(i)]));
    m_ring.swap(ring);
    m_head = 0;
    m_capacity = capacity;
    return excess;
}

void TrafficBuffer::clear()
{
    m_evicted += m_count;
    m_ring.clear();
    m_ring.shrink_to_fit();
    m_head = 0;
    m_count = 0;
    m_bytes = 0;
}

const protocol::TrafficFrame &TrafficBuffer::at(qsizetype index) const
{
    Q_ASSERT(index >= 0 && index < m_count);
    return m_ring[size_t(slot(index))];
}

const protocol::TrafficFrame *TrafficBuffer::bySeq(qint64 seq) const
{
    const qint64 index = seq - firstSeq();
    if (index < 0 || index >= m_count)
        return nullptr;
    return &m_ring[size_t(slot(qsizetype(index)))];
}

} // namespace sb::models
