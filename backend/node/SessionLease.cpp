#include "node/SessionLease.h"

#include "cluster/SessionStore.h"
#include "node/NodeServices.h"

#include <QDateTime>

namespace sb::node {

SessionLease::SessionLease(NodeServices *services, const QString &sessionId, const QString &user,
                           const QByteArray &transport, const QString &remote, QObject *parent)
    : QObject(parent)
    , m_services(services)
    , m_sessionId(sessionId)
{
    services->sessions->open(sessionId,
                             {{"user", user.toUtf8()},
                              {"node", services->config.id.toUtf8()},
                              {"transport", transport},
                              {"since", QByteArray::number(QDateTime::currentMSecsSinceEpoch())},
                              {"remote", remote.toUtf8()}},
                             kTtlSeconds);
    // A third of the TTL: two refreshes may be lost before the entry expires.
    m_refresh.setInterval(kTtlSeconds * 1000 / 3);
    connect(&m_refresh, &QTimer::timeout, this, [this] { m_services->sessions->touch(m_sessionId, kTtlSeconds); });
    m_refresh.start();
}

SessionLease::~SessionLease()
{
    m_services->sessions->close(m_sessionId);
}

} // namespace sb::node
