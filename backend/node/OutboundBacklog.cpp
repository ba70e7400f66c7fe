#include "node/OutboundBacklog.h"

#include "node/NodeMetrics.h"

#include <chrono>
#include <ctime>

namespace sb::node {

OutboundBacklog::~OutboundBacklog()
{
    setPending(0);
}

qint64 OutboundBacklog::nowMs()
{
#ifdef CLOCK_MONOTONIC_COARSE
    // The coarse clock (the kernel's last tick, 4 ms here): ~40 ns a read on this VM against
    // ~250 ns for steady_clock, and read for every frame given to a lagging connection.
    timespec now {};
    if (clock_gettime(CLOCK_MONOTONIC_COARSE, &now) == 0)
        return qint64(now.tv_sec) * 1000 + now.tv_nsec / 1000000;
#endif
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

void OutboundBacklog::queued(qint64 bytes, qint64 nowMs)
{
    if (bytes <= 0)
        return;
    m_queuedTotal += bytes;
    if (!m_marks.isEmpty() && nowMs - m_marks.constLast().atMs < kMarkMs)
        m_marks.last().end = m_queuedTotal;
    else
        m_marks.append({ m_queuedTotal, nowMs });
    setPending(m_pending + bytes);
}

void OutboundBacklog::observe(qint64 pendingNow)
{
    pendingNow = qMax<qint64>(0, pendingNow);
    if (pendingNow > m_pending) // another writer's bytes (a control frame): queued as of now
        m_queuedTotal += pendingNow - m_pending;
    const qint64 written = m_queuedTotal - pendingNow;
    while (!m_marks.isEmpty() && m_marks.constFirst().end <= written)
        m_marks.removeFirst();
    if (m_marks.isEmpty() && m_marks.capacity() > kMarksKeptWhenDrained)
        m_marks = {}; // a long lag's marks, given back (an emptied QList keeps its capacity)
    setPending(pendingNow);
}

qint64 OutboundBacklog::ageMs(qint64 nowMs) const
{
    if (m_pending == 0 || m_marks.isEmpty())
        return 0;
    return qMax<qint64>(0, nowMs - m_marks.constFirst().atMs);
}

void OutboundBacklog::setPending(qint64 pending)
{
    if (pending == m_pending)
        return;
    if (m_metrics)
        m_metrics->outboundQueued(pending - m_pending);
    m_pending = pending;
}

} // namespace sb::node
