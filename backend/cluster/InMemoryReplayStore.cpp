#include "cluster/InMemoryReplayStore.h"

#include <QMetaObject>
#include <QMutexLocker>
#include <QPointer>

namespace sb::cluster {

InMemoryReplayStore::InMemoryReplayStore(int capacityPerUser)
    : m_capacity(qMax(1, capacityPerUser))
{
}

void InMemoryReplayStore::append(const QString &user, const ReplayEvent &event)
{
    QMutexLocker lock(&m_mutex);
    auto &events = m_events[user];
    events.push_back(event);
    while (events.size() > std::size_t(m_capacity))
        events.pop_front();
}

ReplayResult InMemoryReplayStore::readAfterNow(const QString &user, const QString &lastEventId) const
{
    QMutexLocker lock(&m_mutex);
    ReplayResult result;
    const auto it = m_events.constFind(user);
    if (it == m_events.cend())
        return result; // nothing stored for this user: nothing missed that we know of
    const auto &events = *it;
    auto found = std::find_if(events.begin(), events.end(),
                              [&](const ReplayEvent &e) { return e.id == lastEventId; });
    if (found == events.end()) {
        // The id has left the bounded store (or never was in it): replay all we have, but
        // tell the client it may have missed older events.
        result.reset = true;
        result.events = QList<ReplayEvent>(events.begin(), events.end());
        return result;
    }
    result.events = QList<ReplayEvent>(std::next(found), events.end());
    return result;
}

void InMemoryReplayStore::readAfter(const QString &user, const QString &lastEventId, QObject *context,
                                    std::function<void(const ReplayResult &)> done)
{
    ReplayResult result = readAfterNow(user, lastEventId);
    QMetaObject::invokeMethod(
        context, [result = std::move(result), done = std::move(done)] { done(result); }, Qt::QueuedConnection);
}

} // namespace sb::cluster
