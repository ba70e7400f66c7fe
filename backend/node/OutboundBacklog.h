#pragma once

#include <QList>
#include <QtGlobal>

namespace sb::node {

class NodeMetrics;

// What one connection has queued and not yet handed to the kernel, and how long the oldest
// of it has waited. A byte limit alone (--limit-outbound-bytes) never trips when every
// connection lags a little: at 1,000 subscribers each queue grew towards its 1 MiB, ~1 GiB
// in all, and no slow consumer was dropped (docs/benchmarks.md, "Scenario 3"). The age of
// the oldest unsent byte says how far behind the client is, whatever the rate and the
// number of connections (--limit-outbound-age-ms).
//
// The connection says how many bytes it queued (what the kernel did not take at once) and,
// when it looks, how many are still queued (the socket's bytesToWrite()); the bytes leave in
// order, so the cumulative count written so far tells which of the queued writes are gone.
// Writes are kept as marks of kMarkMs each (the time of the mark's first byte): a lag of
// seconds costs tens of marks, not one per frame, and the age errs by at most kMarkMs on
// the old side. The node-wide total (NodeMetrics::outboundQueuedBytes, which MemoryTrimmer
// watches) moves with each look. Pure: the caller passes the time (nowMs, monotonic).
class OutboundBacklog
{
public:
    static constexpr qint64 kMarkMs = 100;

    explicit OutboundBacklog(NodeMetrics *metrics = nullptr)
        : m_metrics(metrics)
    { }
    ~OutboundBacklog(); // its bytes leave the node-wide total
    OutboundBacklog(const OutboundBacklog &) = delete;
    OutboundBacklog &operator=(const OutboundBacklog &) = delete;

    // `bytes` more were queued at nowMs, after those last observed.
    void queued(qint64 bytes, qint64 nowMs);
    // `pendingNow` bytes are still queued (fewer as the socket drains; more if something
    // else wrote to it, which is counted from now on).
    void observe(qint64 pendingNow);
    // How long the oldest byte still queued has waited; 0 when nothing is queued.
    qint64 ageMs(qint64 nowMs) const;
    qint64 pending() const { return m_pending; }
    // Marks held (a test's view of the bound on them).
    qsizetype marks() const { return qsizetype(m_marks.size()); }

    // Milliseconds of a monotonic clock, for nowMs: a coarse one where there is one (a tick
    // late at most, against marks of kMarkMs and limits of seconds).
    static qint64 nowMs();

private:
    struct Mark
    {
        qint64 end; // cumulative bytes queued up to and including this mark's
        qint64 atMs; // when its first byte was queued
    };

    void setPending(qint64 pending);

    // Room for this many marks stays once they have all left (a connection that lags now
    // and then); a longer lag's list is given back.
    static constexpr qsizetype kMarksKeptWhenDrained = 8;

    NodeMetrics *m_metrics;
    // A QList: empty, it allocates nothing, where libstdc++'s std::deque allocated a 512-byte
    // block and its map as it was made, ~0.4 KiB of every idle session (docs/benchmarks.md,
    // "Idle connections: where the bytes go"). Marks leave from the front (O(1) in Qt 6's
    // QList, which reuses the room they leave).
    QList<Mark> m_marks;
    qint64 m_queuedTotal = 0; // every byte ever counted as queued
    qint64 m_pending = 0; // as last seen
};

} // namespace sb::node
