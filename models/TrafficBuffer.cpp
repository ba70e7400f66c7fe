#include "models/TrafficBuffer.h"

#include <algorithm>

namespace sb::models {

TrafficBuffer::TrafficBuffer(qsizetype capacity)
    : m_capacity(std::clamp<qsizetype>(capacity, 1, kMaxCapacity))
{ }

qint64 TrafficBuffer::approximateBytes(const protocol::TrafficFrame &frame)
{
    // Shared strings (source, user, session, destination, command) are counted once per
    // frame as a pointer, not per character: the decoders share them between frames.
    auto heap = [](qsizetype bytes) { return bytes > 0 ? bytes + 24 : 0; }; // allocation header + rounding
    return qint64(sizeof(protocol::TrafficFrame)) + heap(frame.messageId.size() * 2)
        + heap(frame.headerBlock.size()) + heap(frame.body.size());
}

template<typename Frame> protocol::TrafficFrame &TrafficBuffer::appendOne(Frame &&frame)
{
    m_bytes += approximateBytes(frame);
    if (m_count == m_ringSize && m_ringSize < m_capacity && m_head == 0) {
        // Growing: the next slot, in a chunk allocated when the ring first reaches it.
        if (m_ringSize % kChunkFrames == 0 && size_t(m_ringSize / kChunkFrames) == m_chunks.size())
            m_chunks.push_back(std::make_unique<protocol::TrafficFrame[]>(
                size_t(qMin(kChunkFrames, m_capacity - m_ringSize))));
        protocol::TrafficFrame &stored = slotFrame(m_ringSize++);
        stored = std::forward<Frame>(frame);
        ++m_count;
        return stored;
    }
    if (m_count == m_capacity) {
        protocol::TrafficFrame &oldest = slotFrame(m_head);
        m_bytes -= approximateBytes(oldest);
        oldest = std::forward<Frame>(frame);
        m_head = (m_head + 1) % m_ringSize;
        ++m_evicted;
        ++m_evictedByAppend;
        return oldest;
    }
    protocol::TrafficFrame &stored = slotFrame(slot(m_count++));
    stored = std::forward<Frame>(frame);
    return stored;
}

qsizetype TrafficBuffer::append(QList<protocol::TrafficFrame> frames)
{
    m_evictedByAppend = 0;
    if (frames.isDetached()) {
        for (protocol::TrafficFrame &frame : frames)
            appendOne(std::move(frame)).seq = m_nextSeq++;
    } else {
        // A list shared with its sender (a queued batch): copied from, where detaching it
        // would first allocate and copy the whole list.
        for (const protocol::TrafficFrame &frame : std::as_const(frames))
            appendOne(frame).seq = m_nextSeq++;
    }
    return m_evictedByAppend;
}

void TrafficBuffer::evictOldest(qsizetype count)
{
    for (qsizetype i = 0; i < count; ++i) {
        protocol::TrafficFrame &oldest = slotFrame(m_head);
        m_bytes -= approximateBytes(oldest);
        oldest = {};
        m_head = (m_head + 1) % m_ringSize;
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
    std::vector<protocol::TrafficFrame> held;
    held.reserve(size_t(m_count));
    for (qsizetype i = 0; i < m_count; ++i)
        held.push_back(std::move(slotFrame(slot(i))));
    m_chunks.clear();
    m_ringSize = 0;
    m_head = 0;
    m_count = 0;
    m_capacity = capacity;
    const qint64 bytes = m_bytes;
    for (protocol::TrafficFrame &frame : held)
        appendOne(std::move(frame)); // keeps its seq
    m_bytes = bytes; // appendOne counted them again
    return excess;
}

void TrafficBuffer::clear()
{
    m_evicted += m_count;
    m_chunks.clear();
    m_ringSize = 0;
    m_head = 0;
    m_count = 0;
    m_bytes = 0;
}

const protocol::TrafficFrame &TrafficBuffer::at(qsizetype index) const
{
    Q_ASSERT(index >= 0 && index < m_count);
    return slotFrame(slot(index));
}

const protocol::TrafficFrame *TrafficBuffer::bySeq(qint64 seq) const
{
    const qint64 index = seq - firstSeq();
    if (index < 0 || index >= m_count)
        return nullptr;
    return &slotFrame(slot(qsizetype(index)));
}

} // namespace sb::models
