#include "node/TapReader.h"

#include "node/NodeMetrics.h"

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
    connect(socket, &QWebSocket::bytesWritten, this, [this](qint64 written) { m_unsent = qMax<qint64>(0, m_unsent - written); });
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
    qint64 dropped = 0;
    for (const QByteArray &json : batch) {
        if (m_unsent + json.size() > m_maxUnsent) {
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

} // namespace sb::node
