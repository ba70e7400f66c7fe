#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QTimer>

namespace sb::node {

struct NodeServices;

// One client connection's entry in the cluster's SessionStore (sb:session:{id}: user,
// node, transport, since, remote). Opened when the session is authenticated, refreshed
// well inside its TTL while the connection lives, closed when the lease is destroyed; a
// replica that crashes leaves entries that simply expire.
class SessionLease : public QObject
{
    Q_OBJECT
public:
    static constexpr int kTtlSeconds = 60;

    SessionLease(NodeServices *services, const QString &sessionId, const QString &user, const QByteArray &transport,
                 const QString &remote, QObject *parent);
    ~SessionLease() override;

private:
    NodeServices *m_services;
    QString m_sessionId;
    QTimer m_refresh;
};

} // namespace sb::node
