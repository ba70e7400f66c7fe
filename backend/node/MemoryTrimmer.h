#pragma once

#include <QByteArray>
#include <QObject>
#include <QTimer>

namespace sb::node {

class NodeMetrics;

// Gives memory back to the system once many connections have closed. Every connection
// allocates on its worker thread, and glibc keeps what a thread frees in that thread's arena
// for reuse, returning pages only from the top of a heap: after a burst of 10,000
// connections the node kept ~100 MB it no longer used (docs/benchmarks.md, "Node: memory
// after mass disconnects"). So when the open connections have fallen by `minShed` or more
// from their peak and stopped falling, malloc_trim(0) hands every arena's free pages back.
// The same goes for the bytes queued to clients (NodeMetrics::outboundQueuedBytes): under
// overload 1,000 connections' queues held hundreds of MiB, and the node kept them resident
// after they drained or their slow consumers were dropped, whether or not 1,000 connections
// closed (docs/benchmarks.md, "Scenario 3"). So a fall of `kMinOutboundShedBytes` from their
// peak, once it stopped falling, trims too.
// It runs on the thread it lives on (the node's main thread), never on a worker.
class MemoryTrimmer : public QObject
{
    Q_OBJECT
public:
    static constexpr int kIntervalMs = 2000;
    static constexpr qint64 kMinShed = 1000; // connections closed since the peak
    static constexpr qint64 kMinOutboundShedBytes = 32 * 1024 * 1024; // queued bytes gone since the peak

    explicit MemoryTrimmer(
        const NodeMetrics *metrics, QObject *parent = nullptr, int intervalMs = kIntervalMs);

    void start();
    // One look at the open connections and the queued bytes (the timer's; public so a test
    // can drive it).
    void check();
    int trims() const { return m_trims; }

private:
    // Whether what `now` says, against its peak and its last look, calls for a trim; moves both.
    static bool settledAfterFall(qint64 now, qint64 minFall, qint64 *peak, qint64 *last);
    void trim(const QByteArray &why);

    const NodeMetrics *m_metrics;
    QTimer m_timer;
    qint64 m_peak = 0;
    qint64 m_last = 0;
    qint64 m_outboundPeak = 0;
    qint64 m_outboundLast = 0;
    int m_trims = 0;
};

} // namespace sb::node
