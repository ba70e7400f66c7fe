#pragma once

#include <QByteArray>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>

#include <atomic>
#include <deque>
#include <functional>

namespace sb::node {

class NodeMetrics;

// One /admin/tap WebSocket reader. Any worker thread may enqueue(); the frames are sent
// from the reader's own thread in batches: one WebSocket text message carries the frames
// queued since the last flush, one JSON object per line, up to kMaxMessageBytes
// (docs/protocol.md, "Tap frames"). A frame is copied into the batch as it comes, so it
// costs no allocation of its own, on the worker or here. A slow reader never slows delivery: beyond its
// bounded queue, frames are dropped and counted (sb_dropped_total{reason="tap_overflow"}).
// A loss is never silent to the reader either: the next time the socket has room, before
// any further frame, it gets {"type":"dropped","dropped":N,"ts":MS}, N its total so far.
//
// Saturated (its queue full, or what it queued plus what its socket holds unsent over
// maxUnsentBytes, until the socket drains to half of that) it takes no frame: TapHub then counts the frames
// it would have had as dropped without building them, so a reader that cannot keep up costs the node an
// atomic increment per frame, not a serialisation.
class TapReader : public QObject
{
    Q_OBJECT
public:
    // maxUnsentBytes bounds what the socket may hold unsent: a reader that stops reading
    // loses frames (counted as tap_overflow) instead of growing the node's memory.
    // transport: the WebSocket's TCP socket, when known. The batches are then framed here as
    // text messages straight from their UTF-8 bytes and written to it: sendTextMessage()
    // took a QString, so every batch went UTF-8 -> UTF-16 -> UTF-8 (~1,100 instructions a
    // tapped delivery; docs/benchmarks.md, "Tap overhead"). The bytes on the wire are the same.
    TapReader(QWebSocket *socket, int maxQueuedFrames, qint64 maxUnsentBytes, NodeMetrics *metrics,
        QObject *parent = nullptr, QTcpSocket *transport = nullptr);
    ~TapReader() override;

    void enqueue(QByteArrayView json); // thread-safe; counts the frame dropped when saturated
    void countDropped(); // thread-safe: one frame this reader did not get; lock-free
    bool isSaturated() const { return m_saturated.load(std::memory_order_relaxed); }
    qint64 droppedFrames() const { return m_dropped.load(); }
    QWebSocket *socket() const { return m_socket; }

    // TapHub's count of saturated readers, which this one keeps up to date while attached,
    // and its count of frames not built because every reader was saturated, which are this
    // reader's drops too (set and cleared under TapHub's lock, from the reader's thread).
    // `leave` takes this reader out of the hub (TapHub::removeReader): its destructor calls
    // it if nobody did before.
    void attachToHub(std::function<void(TapReader *)> leave, std::atomic<int> *saturatedCount,
        const std::atomic<qint64> *droppedForAll);
    void detachFromHub();

    // How often drops counted on the workers reach the metrics and the reader's notice.
    static constexpr int kDropSyncMs = 200;
    // A batch message grows to about this before the next frame starts another. Small
    // enough that the batch, and the QString sendTextMessage() takes (twice its size), stay
    // under glibc's mmap threshold (128 KiB): reused heap, not fresh pages faulted in.
    static constexpr qsizetype kMaxMessageBytes = 32 * 1024;

signals:
    void closed(sb::node::TapReader *reader);

private:
    void flush();
    // Sends the dropped notice if frames were lost since the last one and the socket has
    // room for it; false while a notice is still owed.
    bool reportDropped();
    // Takes in the hub's drops since the last look (reader's thread).
    void foldHubDrops();
    // Moves the drops counted on other threads into the metrics, then tells the reader.
    // On a timer, not posted per drop: a post per burst of drops woke the reader's thread
    // (and allocated an event) thousands of times a second when it was saturated.
    void syncDropped();
    void setSaturated(bool saturated);
    void onBytesWritten(qint64 written);
    // One text message (valid UTF-8); the bytes handed to the socket.
    qint64 sendText(QByteArrayView utf8);

    QPointer<QWebSocket> m_socket;
    QPointer<QTcpSocket> m_transport;
    QByteArray m_frame; // the message framed, its capacity kept (reader's thread)
    int m_maxQueued;
    qint64 m_maxUnsent;
    // Handed to the socket, not yet written to the kernel. Written on the reader's thread;
    // enqueue() reads it to stop taking frames the socket has no room for.
    std::atomic<qint64> m_unsent { 0 };
    NodeMetrics *m_metrics;
    // Frames taken and not yet handed to the socket, newline-separated, one message each.
    struct Batch
    {
        QByteArray lines;
        int frames = 0;
    };
    QMutex m_mutex;
    std::deque<Batch> m_queue;
    int m_queuedFrames = 0; // in m_queue
    qint64 m_queuedBytes = 0; // in m_queue
    bool m_flushScheduled = false;
    std::atomic<qint64> m_dropped { 0 };
    std::atomic<qint64> m_droppedUncounted { 0 }; // in m_dropped, not yet in the metrics
    QTimer m_syncTimer;
    std::atomic<bool> m_saturated { false };
    std::atomic<int> *m_saturatedCount = nullptr;
    // How to leave the hub this reader is listed in (reader's thread only); empty once out.
    std::function<void(TapReader *)> m_leaveHub;
    const std::atomic<qint64> *m_hubDropped = nullptr;
    qint64 m_hubDroppedSeen = 0; // reader's thread only
    qint64 m_reported = 0; // the dropped total the reader was last told (reader's thread only)
};

} // namespace sb::node
