#include "cluster/InMemoryReplayStore.h"

#include <QMetaObject>
#include <QMutexLocker>

namespace sb::cluster {

namespace {
constexpr std::size_t kRememberedIds = 100000; // dedupe window for redelivered messages

void answer(QObject *context, ReplayResult result, std::function<void(const ReplayResult &)> done)
{
    QMetaObject::invokeMethod(
        context, [result = std::move(result), done = std::move(done)] { done(result); },
        Qt::QueuedConnection);
}
} // namespace

InMemoryReplayStore::InMemoryReplayStore(int capacityPerKey)
    : m_capacity(qMax(1, capacityPerKey))
{ }

void InMemoryReplayStore::appendLocked(
    QHash<QString, Stream> &streams, const QString &key, const ReplayEvent &event)
{
    Stream &events = streams[key];
    events.push_back(event);
    while (events.size() > std::size_t(m_capacity))
        events.pop_front();
}

void InMemoryReplayStore::append(const QString &user, const ReplayEvent &event)
{
    QMutexLocker lock(&m_mutex);
    appendLocked(m_users, user, event);
}

ReplayResult InMemoryReplayStore::readLocked(
    const QHash<QString, Stream> &streams, const QString &key, const QString &lastEventId) const
{
    ReplayResult result;
    const auto it = streams.constFind(key);
    if (it == streams.cend())
        return result; // nothing stored: nothing missed that we know of
    const Stream &events = *it;
    const auto found = std::find_if(
        events.begin(), events.end(), [&](const ReplayEvent &e) { return e.id == lastEventId; });
    if (found == events.end()) {
        // The id has left the bounded store (or never was in it): replay all we have, and
        // tell the client it may have missed older events.
        result.reset = true;
        result.events = QList<ReplayEvent>(events.begin(), events.end());
        return result;
    }
    result.events = QList<ReplayEvent>(std::next(found), events.end());
    return result;
}

ReplayResult InMemoryReplayStore::readAfterNow(const QString &user, const QString &lastEventId) const
{
    QMutexLocker lock(&m_mutex);
    return readLocked(m_users, user, lastEventId);
}

void InMemoryReplayStore::readAfter(const QString &user, const QString &lastEventId, QObject *context,
    std::function<void(const ReplayResult &)> done)
{
    answer(context, readAfterNow(user, lastEventId), std::move(done));
}

void InMemoryReplayStore::readChannelAfter(const QString &channel, const QString &lastEventId,
    QObject *context, std::function<void(const ReplayResult &)> done)
{
    ReplayResult result;
    {
        QMutexLocker lock(&m_mutex);
        result = readLocked(m_channels, channel, lastEventId);
    }
    answer(context, std::move(result), std::move(done));
}

bool InMemoryReplayStore::persistOnce(const PersistRequest &request, QString *)
{
    QMutexLocker lock(&m_mutex);
    if (m_persisted.contains(request.messageId))
        return true;
    m_persisted.insert(request.messageId);
    m_persistedOrder.push_back(request.messageId);
    if (m_persistedOrder.size() > kRememberedIds) {
        m_persisted.remove(m_persistedOrder.front());
        m_persistedOrder.pop_front();
    }
    appendLocked(m_channels, request.channel, request.channelEvent);
    for (const auto &[user, event] : request.userEvents)
        appendLocked(m_users, user, event);
    return true;
}

} // namespace sb::cluster
