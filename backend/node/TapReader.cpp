#include "node/TapReader.h"

#include "node/NodeMetrics.h"

#include <QDateTime>
#include <QMutexLocker>

namespace sb::node {

TapReader::TapReader(QWebSocket *socket, int maxQueuedFrames, qint64 maxUnsentBytes, NodeMetrics *metrics,
                     QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_maxQueued(maxQueuedFrames)
    , m_maxUnsent(maxUnsentBytes)
    , m_metrics(metrics)
{
    socket->setParent(this);
    connect(socket, &QWebSocket::bytesWritten, this, [this](qint64 written) {
        m_unsent = qMax<qint64>(0, m_unsent - written);
        // The reader caught up: tell it what it lost now, not with the next frame, which may
        // never come on a quiet node.
        if (m_dropped.load(std::memory_order_relaxed) > m_reported)
            reportDropped();
    });
    connect(socket, &QWebSocket::disconnected, this, [this] { emit closed(this); });
}

TapReader::~TapReader() = default;

void TapReader::enqueue(const QByteArray &json)
{
    QMutexLocker lock(&m_mutex);
    if (int(m_queue.size()) >= m_maxQueued) {
        m_dropped.fetch_add(1);
        m_metrics->dropped(QByteArrayLiteral("tap_overflow"));
        return;
    }
    m_queue.push_back(json);
    if (!m_flushScheduled) {
        m_flushScheduled = true;
        QMetaObject::invokeMethod(this, &TapReader::flush, Qt::QueuedConnection);
    }
}

void TapReader::flush()
{
    std::deque<QByteArray> batch;
    {
        QMutexLocker lock(&m_mutex);
        batch.swap(m_queue);
        m_flushScheduled = false;
    }
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    // A notice still owed goes before any later frame, so the reader sees the gap where it is.
    bool owed = !reportDropped();
    qint64 dropped = 0;
    for (const QByteArray &json : batch) {
        if (owed || m_unsent + json.size() > m_maxUnsent) {
            ++dropped;
            continue;
        }
        m_unsent += m_socket->sendTextMessage(QString::fromUtf8(json));
    }
    if (dropped > 0) {
        m_dropped.fetch_add(dropped);
        m_metrics->dropped(QByteArrayLiteral("tap_overflow"), dropped);
    }
}

bool TapReader::reportDropped()
{
    const qint64 dropped = m_dropped.load();
    if (dropped <= m_reported)
        return true;
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return false;
    const QByteArray notice = QByteArrayLiteral("{\"type\":\"dropped\",\"dropped\":") + QByteArray::number(dropped)
                              + QByteArrayLiteral(",\"ts\":") + QByteArray::number(QDateTime::currentMSecsSinceEpoch()) + '}';
    if (m_unsent + notice.size() > m_maxUnsent)
        return false;
    m_unsent += m_socket->sendTextMessage(QString::fromLatin1(notice));
    m_reported = dropped;
    return true;
}

} // namespace sb::node
