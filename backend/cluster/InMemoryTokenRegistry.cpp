#include "cluster/InMemoryTokenRegistry.h"

#include <QDateTime>
#include <QMetaObject>
#include <QMutexLocker>

namespace sb::cluster {

void InMemoryTokenRegistry::remember(const QString &jti, const QString &user, qint64 expiresAtSecs)
{
    QMutexLocker lock(&m_mutex);
    m_expiry.insert(jti, expiresAtSecs);
    m_byUser.insert(user, jti);
    purgeExpiredLocked(QDateTime::currentSecsSinceEpoch());
}

void InMemoryTokenRegistry::revoke(const QString &jti)
{
    QMutexLocker lock(&m_mutex);
    m_expiry.remove(jti);
}

void InMemoryTokenRegistry::revokeUser(const QString &user)
{
    QMutexLocker lock(&m_mutex);
    for (const QString &jti : m_byUser.values(user))
        m_expiry.remove(jti);
    m_byUser.remove(user);
}

bool InMemoryTokenRegistry::isActiveNow(const QString &jti) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_expiry.constFind(jti);
    return it != m_expiry.cend() && *it >= QDateTime::currentSecsSinceEpoch();
}

void InMemoryTokenRegistry::lookup(const QString &jti, QObject *context, std::function<void(Status)> done)
{
    const Status status = isActiveNow(jti) ? Status::Active : Status::Inactive;
    QMetaObject::invokeMethod(
        context, [status, done = std::move(done)] { done(status); }, Qt::QueuedConnection);
}

void InMemoryTokenRegistry::purgeExpiredLocked(qint64 nowSecs)
{
    if (nowSecs - m_lastPurge < 60)
        return;
    m_lastPurge = nowSecs;
    for (auto it = m_expiry.begin(); it != m_expiry.end();)
        it = (*it < nowSecs) ? m_expiry.erase(it) : std::next(it);
    for (auto it = m_byUser.begin(); it != m_byUser.end();)
        it = m_expiry.contains(it.value()) ? std::next(it) : m_byUser.erase(it);
}

} // namespace sb::cluster
