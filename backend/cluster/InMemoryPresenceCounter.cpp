#include "cluster/InMemoryPresenceCounter.h"

#include <QMetaObject>
#include <QMutexLocker>

namespace sb::cluster {

void InMemoryPresenceCounter::change(const QString &user, int delta, QObject *context,
                                     std::function<void(qint64)> done)
{
    qint64 count = 0;
    {
        QMutexLocker lock(&m_mutex);
        count = qMax<qint64>(0, m_counts.value(user) + delta);
        if (count == 0)
            m_counts.remove(user);
        else
            m_counts.insert(user, count);
    }
    QMetaObject::invokeMethod(context, [count, done = std::move(done)] { done(count); }, Qt::QueuedConnection);
}

} // namespace sb::cluster
