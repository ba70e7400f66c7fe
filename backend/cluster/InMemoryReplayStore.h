#pragma once

#include "cluster/ReplayStore.h"

#include <QHash>
#include <QMutex>
#include <QSet>

#include <deque>

namespace sb::cluster {

// ReplayStore for a single process: a bounded deque per user and per channel under one
// mutex (appends and replays happen per message, far off the per-frame hot path).
class InMemoryReplayStore : public ReplayStore
{
public:
    explicit InMemoryReplayStore(int capacityPerKey = 1000);

    void append(const QString &user, const ReplayEvent &event) override;
    void readAfter(const QString &user, const QString &lastEventId, QObject *context,
        std::function<void(const ReplayResult &)> done) override;
    void readChannelAfter(const QString &channel, const QString &lastEventId, QObject *context,
        std::function<void(const ReplayResult &)> done) override;
    bool persistOnce(const PersistRequest &request, QString *error) override;

    ReplayResult readAfterNow(const QString &user, const QString &lastEventId) const;

private:
    using Stream = std::deque<ReplayEvent>;
    void appendLocked(QHash<QString, Stream> &streams, const QString &key, const ReplayEvent &event);
    ReplayResult readLocked(
        const QHash<QString, Stream> &streams, const QString &key, const QString &lastEventId) const;

    int m_capacity;
    mutable QMutex m_mutex;
    QHash<QString, Stream> m_users;
    QHash<QString, Stream> m_channels;
    QSet<QString> m_persisted;
    std::deque<QString> m_persistedOrder; // bounds m_persisted
};

} // namespace sb::cluster
