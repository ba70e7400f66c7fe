#include "cluster/InMemoryTokenRegistry.h"

#include <QDateTime>
#include <QMetaObject>
#include <QMutexLocker>

namespace sb::cluster {

void InMemoryTokenRegistry::remember(const QString &jti, const QString &, qint64 expiresAtSecs)
{
    QMutexLocker lock(&m_mutex);
    m_expiry.insert(jti, expiresAtSecs);
    purgeExpiredLocked(QDateTime::currentSecsSinceEpoch());
}

void InMemoryTokenRegistry::revoke(const QString &jti)
{
    QMutexLocker lock(&m_mutex);
    m_expiry.remove(jti);
}

bool InMemoryTokenRegistry::isActiveNow(const QString &jti) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_expiry.constFind(jti);
    return it != m_expiry.cend() && *it >= QDateTime::currentSecsSinceEpoch();
}

void InMemoryTokenRegistry::check(const QString &jti, QObject *context, std::function<void(bool)> done)
{
    const bool active = isActiveNow(jti);
    QMetaObject::invokeMethod(context, [active, done = std::move(done)] { done(active); }, Qt::QueuedConnection);
}

void InMemoryTokenRegistry::purgeExpiredLocked(qint64 nowSecs)
{
    if (nowSecs - m_lastPurge < 60)
        return;
    m_lastPurge = nowSecs;
    for (auto it = m_expiry.begin(); it != m_expiry.end();)
        it = (*it < nowSecs) ? m_expiry.erase(it) : std::next(it);
}

} // namespace sb::cluster
