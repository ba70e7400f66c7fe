#pragma once

#include "node/PeriodicTimers.h"

#include <QByteArray>
#include <QPointer>
#include <QString>

namespace sb::cluster {
class SessionStore;
}

namespace sb::node {

// One client connection's entry in the cluster's SessionStore (sb:session:{id}: user,
// node, transport, since, remote). Opened when the session is authenticated, refreshed
// well inside its TTL while the connection lives, closed when the lease is destroyed; a
// replica that crashes leaves entries that simply expire.
// Not a QObject: nothing connects to it, and a QObject's private was ~0.1 KiB of every idle
// session (docs/benchmarks.md, "Idle connections: where the bytes go").
class SessionLease
{
public:
    static constexpr int kTtlSeconds = 60;

    // store: the cluster's SessionStore, which outlives the lease; timers: the worker's, for
    // the refresh (may go first, at the worker's end); nodeId: this replica's id.
    SessionLease(cluster::SessionStore *store, PeriodicTimers *timers, const QString &nodeId,
        const QString &sessionId, const QString &user, const QByteArray &transport, const QString &remote);
    ~SessionLease();
    SessionLease(const SessionLease &) = delete;
    SessionLease &operator=(const SessionLease &) = delete;

private:
    cluster::SessionStore *m_store;
    QString m_sessionId;
    QPointer<PeriodicTimers> m_timers;
    PeriodicTimers::Id m_refresh = 0;
};

} // namespace sb::node
