#include "cluster/InMemoryPresenceCounter.h"

#include <QMetaObject>
#include <QMutexLocker>

namespace sb::cluster {

void InMemoryPresenceCounter::change(
    const QString &user, int delta, QObject *context, std::function<void(qint64)> done)
{
    qint64 count = 0;
    {
        QMutexLocker lock(&m_mutex);
        const qint64 before = m_counts.value(user);
        count = qMax<qint64>(0, before + delta);
        if (count == before) {
            count = kUnchanged; // a close nobody counted: no second "offline"
        } else if (count == 0) {
            m_counts.remove(user);
        } else {
            m_counts.insert(user, count);
        }
    }
    QMetaObject::invokeMethod(
        context, [count, done = std::move(done)] { done(count); }, Qt::QueuedConnection);
}

} // namespace sb::cluster
