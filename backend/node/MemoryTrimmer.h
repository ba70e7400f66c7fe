#pragma once

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
// It runs on the thread it lives on (the node's main thread), never on a worker.
class MemoryTrimmer : public QObject
{
    Q_OBJECT
public:
    static constexpr int kIntervalMs = 2000;
    static constexpr qint64 kMinShed = 1000; // connections closed since the peak

    explicit MemoryTrimmer(
        const NodeMetrics *metrics, QObject *parent = nullptr, int intervalMs = kIntervalMs);

    void start();
    // One look at the open connections (the timer's; public so a test can drive it).
    void check();
    int trims() const { return m_trims; }

private:
    void trim(qint64 shed);

    const NodeMetrics *m_metrics;
    QTimer m_timer;
    qint64 m_peak = 0;
    qint64 m_last = 0;
    int m_trims = 0;
};

} // namespace sb::node
