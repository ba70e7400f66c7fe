#pragma once

#include "cluster/ReplayEvent.h"

#include <QByteArray>

#include <utility>

namespace sb::node {

// One SSE event for every stream a broadcast reaches: encoded (SseEncoder) on the first
// stream's use and the bytes shared by the rest. Each stream encoded its own copy before,
// through QString and back: ~7 % of the worker's time at 200 streams (docs/benchmarks.md,
// "SSE: write batches and one encoding per broadcast"). Made and used on one worker's thread.
class SharedSseEvent
{
public:
    explicit SharedSseEvent(cluster::ReplayEvent event)
        : m_event(std::move(event))
    { }

    const cluster::ReplayEvent &event() const { return m_event; }
    // id, event, data lines and the blank line, as SseEncoder::encode writes them.
    const QByteArray &bytes() const;

private:
    cluster::ReplayEvent m_event;
    mutable QByteArray m_bytes; // empty until asked: never an encoded event's value
};

} // namespace sb::node
