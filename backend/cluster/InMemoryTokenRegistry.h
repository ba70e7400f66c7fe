#pragma once

#include "cluster/TokenRegistry.h"

#include <QHash>
#include <QMultiHash>
#include <QMutex>

namespace sb::cluster {

// TokenRegistry for one process. Expired entries are purged as new ones arrive, so the
// map stays bounded by the number of live tokens.
class InMemoryTokenRegistry : public TokenRegistry
{
public:
    void remember(const QString &jti, const QString &user, qint64 expiresAtSecs) override;
    void revoke(const QString &jti) override;
    void revokeUser(const QString &user) override;
    void lookup(const QString &jti, QObject *context, std::function<void(Status)> done) override;
    bool isActiveNow(const QString &jti) const;

private:
    void purgeExpiredLocked(qint64 nowSecs);

    mutable QMutex m_mutex;
    QHash<QString, qint64> m_expiry; // jti -> exp
    QMultiHash<QString, QString> m_byUser; // user -> jti
    qint64 m_lastPurge = 0;
};

} // namespace sb::cluster
