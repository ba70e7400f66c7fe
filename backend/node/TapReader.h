#pragma once

#include <QByteArray>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QWebSocket>

#include <atomic>
#include <deque>

namespace sb::node {

class NodeMetrics;

// One /admin/tap WebSocket reader. Any worker thread may enqueue(); the frames are sent
// from the reader's own thread in batches. A slow reader never slows delivery: beyond its
// bounded queue, frames are dropped and counted (sb_dropped_total{reason="tap_overflow"}).
// A loss is never silent to the reader either: the next time the socket has room, before
// any further frame, it gets {"type":"dropped","dropped":N,"ts":MS}, N its total so far.
class TapReader : public QObject
{
    Q_OBJECT
public:
    // maxUnsentBytes bounds what the socket may hold unsent: a reader that stops reading
    // loses frames (counted as tap_overflow) instead of growing the node's memory.
    TapReader(QWebSocket *socket, int maxQueuedFrames, qint64 maxUnsentBytes, NodeMetrics *metrics,
              QObject *parent = nullptr);
    ~TapReader() override;

    void enqueue(const QByteArray &json); // thread-safe
    qint64 droppedFrames() const { return m_dropped.load(); }
    QWebSocket *socket() const { return m_socket; }

signals:
    void closed(sb::node::TapReader *reader);

private:
    void flush();
    // Sends the dropped notice if frames were lost since the last one and the socket has
    // room for it; false while a notice is still owed.
    bool reportDropped();

    QPointer<QWebSocket> m_socket;
    int m_maxQueued;
    qint64 m_maxUnsent;
    qint64 m_unsent = 0; // handed to the socket, not yet written to the kernel
    NodeMetrics *m_metrics;
    QMutex m_mutex;
    std::deque<QByteArray> m_queue;
    bool m_flushScheduled = false;
    std::atomic<qint64> m_dropped{0};
    qint64 m_reported = 0; // the dropped total the reader was last told (reader's thread only)
};

} // namespace sb::node
