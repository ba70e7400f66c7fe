#pragma once

#include "protocol/TrafficFrame.h"

#include <QList>

#include <memory>
#include <vector>

namespace sb::models {

// The Traffic area's capture: a bounded ring of frames, oldest dropped first. Every frame
// gets a sequence number (arrival order) that is never reused, and the frames held are
// always the seq range [firstSeq(), nextSeq()), so a seq finds its frame in O(1). Memory is
// bounded by the capacity (frames) times the size of a frame, whose bodies the node
// already cuts (--tap-body-bytes). The ring's slots come in chunks of kChunkFrames,
// allocated as it fills: a vector doubling towards 200,000 frames moved every frame it
// held at each step, on the GUI thread (stalls of 100–240 ms while it filled at 50,000
// frames/s, docs/benchmarks.md, "Traffic area"). Not thread-safe: GUI thread.
class TrafficBuffer
{
public:
    static constexpr qsizetype kDefaultCapacity = 200000;
    static constexpr qsizetype kMaxCapacity = 5000000;
    static constexpr qsizetype kChunkFrames = 2048; // slots allocated at a time

    explicit TrafficBuffer(qsizetype capacity = kDefaultCapacity);

    // Appends in order, numbering them; returns how many of the oldest frames this evicted.
    // A list shared with its sender (a queued batch) is copied from, never detached.
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
    const protocol::TrafficFrame *bySeq(qint64 seq) const; // null when not held

    // An estimate of the bytes the held frames use (record + heap), for the budget shown.
    qint64 approximateBytes() const { return m_bytes; }
    static qint64 approximateBytes(const protocol::TrafficFrame &frame);

private:
    qsizetype slot(qsizetype index) const { return (m_head + index) % m_ringSize; }
    protocol::TrafficFrame &slotFrame(qsizetype s)
    {
        return m_chunks[size_t(s / kChunkFrames)][s % kChunkFrames];
    }
    const protocol::TrafficFrame &slotFrame(qsizetype s) const
    {
        return m_chunks[size_t(s / kChunkFrames)][s % kChunkFrames];
    }
    // Stores one frame at the newest end (evicting the oldest when full); returns it.
    template<typename Frame> protocol::TrafficFrame &appendOne(Frame &&frame);
    void evictOldest(qsizetype count);

    qsizetype m_capacity;
    std::vector<std::unique_ptr<protocol::TrafficFrame[]>> m_chunks; // slot s: chunk s / kChunkFrames
    qsizetype m_ringSize = 0; // slots in the ring: grows up to m_capacity, then it wraps
    qsizetype m_head = 0; // slot of the oldest frame
    qsizetype m_count = 0;
    qint64 m_nextSeq = 1;
    qint64 m_evicted = 0;
    qsizetype m_evictedByAppend = 0; // by the append() under way
    qint64 m_bytes = 0;
};

} // namespace sb::models
