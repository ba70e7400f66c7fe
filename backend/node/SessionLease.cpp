#include "node/SessionLease.h"

#include "cluster/SessionStore.h"

#include <QDateTime>

namespace sb::node {

SessionLease::SessionLease(cluster::SessionStore *store, PeriodicTimers *timers, const QString &nodeId,
    const QString &sessionId, const QString &user, const QByteArray &transport, const QString &remote)
    : m_store(store)
    , m_sessionId(sessionId)
    , m_timers(timers)
{
    store->open(sessionId,
        { { "user", user.toUtf8() }, { "node", nodeId.toUtf8() }, { "transport", transport },
            { "since", QByteArray::number(QDateTime::currentMSecsSinceEpoch()) },
            { "remote", remote.toUtf8() } },
        kTtlSeconds);
    // A third of the TTL: two refreshes may be lost before the entry expires. The worker's
    // timers, not a QTimer per lease: Qt re-inserts every re-armed QTimer by walking the
    // thread's timer list (PeriodicTimers).
    if (m_timers)
        m_refresh
            = m_timers->start(kTtlSeconds * 1000 / 3, [this] { m_store->touch(m_sessionId, kTtlSeconds); });
}

SessionLease::~SessionLease()
{
    if (m_timers)
        m_timers->stop(m_refresh);
    m_store->close(m_sessionId);
}

} // namespace sb::node
