#include "node/TapReader.h"

#include "node/NodeMetrics.h"
#include "node/WebSocketWriter.h"

#include <QDateTime>
#include <QMutexLocker>

#include <utility>

namespace sb::node {

TapReader::TapReader(QWebSocket *socket, int maxQueuedFrames, qint64 maxUnsentBytes, NodeMetrics *metrics,
    QObject *parent, QTcpSocket *transport)
    : QObject(parent)
    , m_socket(socket)
    , m_transport(transport)
    , m_maxQueued(maxQueuedFrames)
    , m_maxUnsent(maxUnsentBytes)
    , m_metrics(metrics)
    , m_syncTimer(this)
{
    socket->setParent(this);
    m_syncTimer.setInterval(kDropSyncMs);
    connect(&m_syncTimer, &QTimer::timeout, this, &TapReader::syncDropped);
    m_syncTimer.start();
    // What the TCP socket wrote, when the reader writes to it: QWebSocket's count would miss
    // the frames written around it.
    if (transport)
        connect(transport, &QTcpSocket::bytesWritten, this, &TapReader::onBytesWritten);
    else
        connect(socket, &QWebSocket::bytesWritten, this, &TapReader::onBytesWritten);
    connect(socket, &QWebSocket::disconnected, this, [this] { emit closed(this); });
}

TapReader::~TapReader()
{
    // Out of the hub before any member goes: publishers on other workers reach a listed
    // reader only under the hub's lock, so once this returns none is inside enqueue() and
    // none will find it. A worker's end deletes its readers as QObject children, without
    // the closed() path's removeReader; they stayed listed while their mutex and queue were
    // destroyed, with other workers still publishing (a drain's session closes).
    if (auto leave = std::exchange(m_leaveHub, {}))
        leave(this);
}

void TapReader::enqueue(QByteArrayView json)
{
    if (isSaturated())
        return countDropped();
    QMutexLocker lock(&m_mutex);
    // Bounded in bytes here, not only when flushed: frames the socket will have no room for
    // must not be built (TapHub asks isSaturated() first) only to be dropped.
    const qint64 size = json.size() + 1; // and its newline
    if (m_queuedFrames >= m_maxQueued
        || m_queuedBytes + size + m_unsent.load(std::memory_order_relaxed) > m_maxUnsent) {
        lock.unlock();
        setSaturated(true);
        return countDropped();
    }
    if (m_queue.empty() || m_queue.back().lines.size() + size > kMaxMessageBytes) {
        m_queue.emplace_back();
        // Room for what a busy flush interval brings, grown as needed up to the message size.
        m_queue.back().lines.reserve(qMin<qsizetype>(kMaxMessageBytes, qMax<qsizetype>(size, 4096)));
    }
    Batch &batch = m_queue.back();
    if (batch.frames > 0)
        batch.lines.append('\n');
    batch.lines.append(json);
    ++batch.frames;
    ++m_queuedFrames;
    m_queuedBytes += size;
    if (!m_flushScheduled) {
        m_flushScheduled = true;
        QMetaObject::invokeMethod(this, &TapReader::flush, Qt::QueuedConnection);
    }
}

void TapReader::countDropped()
{
    m_dropped.fetch_add(1, std::memory_order_relaxed);
    m_droppedUncounted.fetch_add(1, std::memory_order_relaxed);
}

void TapReader::foldHubDrops()
{
    if (!m_hubDropped)
        return;
    const qint64 now = m_hubDropped->load(std::memory_order_relaxed);
    if (const qint64 fresh = now - m_hubDroppedSeen; fresh > 0) {
        m_dropped.fetch_add(fresh, std::memory_order_relaxed);
        m_droppedUncounted.fetch_add(fresh, std::memory_order_relaxed);
    }
    m_hubDroppedSeen = now;
}

void TapReader::syncDropped()
{
    foldHubDrops();
    if (const qint64 dropped = m_droppedUncounted.exchange(0); dropped > 0)
        m_metrics->dropped(QByteArrayLiteral("tap_overflow"), dropped);
    reportDropped();
}

void TapReader::setSaturated(bool saturated)
{
    if (m_saturated.exchange(saturated) != saturated && m_saturatedCount)
        m_saturatedCount->fetch_add(saturated ? 1 : -1, std::memory_order_relaxed);
}

void TapReader::attachToHub(std::function<void(TapReader *)> leave, std::atomic<int> *saturatedCount,
    const std::atomic<qint64> *droppedForAll)
{
    m_leaveHub = std::move(leave);
    m_saturatedCount = saturatedCount;
    m_hubDropped = droppedForAll;
    m_hubDroppedSeen = droppedForAll->load();
}

void TapReader::detachFromHub()
{
    syncDropped(); // the hub's drops up to now were this reader's too
    setSaturated(false);
    m_saturatedCount = nullptr;
    m_hubDropped = nullptr;
    m_leaveHub = {};
}

void TapReader::onBytesWritten(qint64 written)
{
    m_unsent.store(qMax<qint64>(0, m_unsent.load() - written));
    foldHubDrops();
    // The reader caught up: tell it what it lost now, not with the next frame, which may
    // never come on a quiet node; and take frames again once half the room is back.
    if (m_dropped.load(std::memory_order_relaxed) > m_reported && !reportDropped())
        return;
    if (isSaturated() && m_unsent <= m_maxUnsent / 2)
        setSaturated(false);
}

void TapReader::flush()
{
    std::deque<Batch> batches;
    {
        QMutexLocker lock(&m_mutex);
        batches.swap(m_queue);
        m_queuedFrames = 0;
        m_queuedBytes = 0;
        m_flushScheduled = false;
    }
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    // A notice still owed goes before any later frame, so the reader sees the gap where it is.
    bool owed = !reportDropped();
    qint64 dropped = 0;
    for (const Batch &batch : batches) {
        if (owed || m_unsent.load() + batch.lines.size() > m_maxUnsent) {
            dropped += batch.frames;
            continue;
        }
        m_unsent.fetch_add(sendText(batch.lines));
    }
    if (dropped > 0) {
        m_dropped.fetch_add(dropped);
        m_metrics->dropped(QByteArrayLiteral("tap_overflow"), dropped);
        setSaturated(true); // until the socket drains (onBytesWritten)
    } else if (m_unsent <= m_maxUnsent / 2) {
        setSaturated(false); // the queue was full, and everything in it went out
    }
}

qint64 TapReader::sendText(QByteArrayView utf8)
{
    // In one frame, as QWebSocket would send it (larger messages, which it splits, are left
    // to it). Written on the socket's thread, as QWebSocket's own frames (pong, close): the
    // frames cannot interleave.
    if (!m_transport || quint64(utf8.size()) > m_socket->outgoingFrameSize())
        return m_socket->sendTextMessage(QString::fromUtf8(utf8));
    m_frame.resize(0);
    WebSocketWriter::appendFrame(m_frame, utf8, WebSocketWriter::Kind::ValidText);
    return qMax<qint64>(0, m_transport->write(m_frame));
}

bool TapReader::reportDropped()
{
    const qint64 dropped = m_dropped.load();
    if (dropped <= m_reported)
        return true;
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return false;
    const QByteArray notice = QByteArrayLiteral("{\"type\":\"dropped\",\"dropped\":")
        + QByteArray::number(dropped) + QByteArrayLiteral(",\"ts\":")
        + QByteArray::number(QDateTime::currentMSecsSinceEpoch()) + '}';
    if (m_unsent.load() + notice.size() > m_maxUnsent)
        return false;
    m_unsent.fetch_add(sendText(notice));
    m_reported = dropped;
    return true;
}

} // namespace sb::node
