#pragma once

#include "protocol/TrafficFrame.h"

#include <QList>

#include <vector>

namespace sb::models {

// The Traffic area's capture: a bounded ring of frames, oldest dropped first. Every frame
// gets a sequence number (arrival order) that is never reused, and the frames held are
// always the seq range [firstSeq(), nextSeq()), so a seq finds its frame in O(1). Memory is
// bounded by the capacity (frames) times the size of a frame, whose bodies the node
// already cuts (--tap-body-bytes). Not thread-safe: GUI thread.
class TrafficBuffer
{
public:
    static constexpr qsizetype kDefaultCapacity = 200000;
    static constexpr qsizetype kMaxCapacity = 5000000;

    explicit TrafficBuffer(qsizetype capacity = kDefaultCapacity);

    // Appends in order, numbering them; returns how many of the oldest frames this evicted.
    qsizetype append(QList<protocol::TrafficFrame> frames);
    // Keeps the newest `capacity` frames (clamped to 1 … kMaxCapacity); returns how many went.
    qsizetype setCapacity(qsizetype capacity);
    void clear(); // keeps numbering: seqs are never reused

    qsizetype size() const { return m_count; }
    qsizetype capacity() const { return m_capacity; }
    bool isEmpty() const { return m_count == 0; }
    qint64 firstSeq() const { return m_nextSeq - m_count; }
    qint64 nextSeq() const { return m_nextSeq; }
    qint64 evicted() const { return m_evicted; } // frames aged out, over the whole session

    const protocol::TrafficFrame &at(qsizetype index) const; // 0 = oldest held
    const protocol::TrafficFrame *bySeq(qint64 seq) const;   // null when not held

    // An estimate of the bytes the held frames use (record + heap), for the budget shown.
    qint64 approximateBytes() const { return m_bytes; }
    static qint64 approximateBytes(const protocol::TrafficFrame &frame);

private:
    qsizetype slot(qsizetype index) const { return (m_head + index) % qsizetype(m_ring.size()); }
    void evictOldest(qsizetype count);

    qsizetype m_capacity;
    std::vector<protocol::TrafficFrame> m_ring; // grows up to m_capacity, then wraps
    qsizetype m_head = 0;  // index of the oldest frame
    qsizetype m_count = 0;
    qint64 m_nextSeq = 1;
    qint64 m_evicted = 0;
    qint64 m_bytes = 0;
};

} // namespace sb::models
