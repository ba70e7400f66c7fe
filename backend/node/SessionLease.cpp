#include "node/SessionLease.h"

#include "cluster/SessionStore.h"

#include <QDateTime>

namespace sb::node {

SessionLease::SessionLease(cluster::SessionStore *store, const QString &nodeId, const QString &sessionId,
    const QString &user, const QByteArray &transport, const QString &remote, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_sessionId(sessionId)
{
    store->open(sessionId,
        { { "user", user.toUtf8() }, { "node", nodeId.toUtf8() }, { "transport", transport },
            { "since", QByteArray::number(QDateTime::currentMSecsSinceEpoch()) },
            { "remote", remote.toUtf8() } },
        kTtlSeconds);
    // A third of the TTL: two refreshes may be lost before the entry expires.
    m_refresh.setInterval(kTtlSeconds * 1000 / 3);
    connect(&m_refresh, &QTimer::timeout, this, [this] { m_store->touch(m_sessionId, kTtlSeconds); });
    m_refresh.start();
}

SessionLease::~SessionLease()
{
    m_store->close(m_sessionId);
}

} // namespace sb::node
