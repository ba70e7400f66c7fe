#include "inspect/RedisLatencyProbe.h"

#include "cluster/RedisConnection.h"

namespace sb::inspect {

RedisLatencyProbe::RedisLatencyProbe(cluster::RedisConnection *connection, int intervalMs, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_intervalMs(qMax(100, intervalMs))
    , m_timer(this) // parented, so moveToThread() takes it along
{
    connect(&m_timer, &QTimer::timeout, this, &RedisLatencyProbe::tick);
}

void RedisLatencyProbe::start()
{
    QMetaObject::invokeMethod(
        this, [this] { m_timer.start(m_intervalMs); }, Qt::QueuedConnection);
}

void RedisLatencyProbe::tick()
{
    if (m_waiting) {
        emit measured(m_sent.elapsed()); // unanswered so far: at least this slow
        return;
    }
    if (!m_connection->isConnected())
        return; // the connection's own state says it is down; nothing to time
    m_waiting = true;
    m_sent.start();
    m_connection->command({ QByteArrayLiteral("PING") }, this, [this](const cluster::RedisReply &reply) {
        m_waiting = false;
        switch (reply.clientError()) {
        case cluster::RedisReply::ClientError::None:
            // Any answer of the server's, an error included (-LOADING, -BUSY), is a round trip.
            emit measured(m_sent.elapsed());
            break;
        case cluster::RedisReply::ClientError::Overloaded:
            break; // never sent: the connection is full of other commands; try at the next tick
        case cluster::RedisReply::ClientError::NotConnected:
        case cluster::RedisReply::ClientError::ConnectionLost:
        case cluster::RedisReply::ClientError::Closed:
            emit lost();
            break;
        }
    });
}

} // namespace sb::inspect
