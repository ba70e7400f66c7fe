#pragma once

#include "inspect/TrafficBatch.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>

namespace sb::inspect {

// Collects the frames and statuses of every traffic source on the capture thread and hands
// them to the GUI thread in batches: every kFlushMs, or at once past kMaxBatchFrames.
// The GUI acknowledges each batch it applied (batchApplied(), thread-safe); while more than
// kMaxBatchesInFlight are unacknowledged — the GUI is behind — new frames are dropped and
// counted (droppedByConsole), so a burst can never queue unbounded memory between threads.
class TrafficBatcher : public QObject
{
    Q_OBJECT
public:
    static constexpr int kFlushMs = 50;
    static constexpr int kMaxBatchFrames = 2000;
    static constexpr int kMaxBatchesInFlight = 40;

    explicit TrafficBatcher(QObject *parent = nullptr);

    // Capture thread.
    void add(protocol::TrafficFrame frame);
    void setStatus(const TapSourceStatus &status);
    void removeSource(const QString &id);
    void flush();

    // Any thread: the receiver applied one batch.
    void batchApplied() { m_inFlight.fetch_sub(1, std::memory_order_relaxed); }
    qint64 droppedByConsole() const { return m_dropped; }

signals:
    void batchReady(const sb::inspect::TrafficBatch &batch);

private:
    QTimer m_timer;
    QList<protocol::TrafficFrame> m_pending;
    QHash<QString, TapSourceStatus> m_sources;
    QStringList m_order;
    bool m_statusChanged = false;
    qint64 m_dropped = 0;
    std::atomic<int> m_inFlight { 0 };
};

} // namespace sb::inspect
