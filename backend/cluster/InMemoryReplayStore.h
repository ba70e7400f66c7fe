#pragma once

#include "cluster/ReplayStore.h"

#include <QHash>
#include <QMutex>
#include <deque>

namespace sb::cluster {

// ReplayStore for a single process: a bounded deque per user under one mutex (appends and
// replays are per-notification, far off the per-frame hot path).
class InMemoryReplayStore : public ReplayStore
{
public:
    explicit InMemoryReplayStore(int capacityPerUser = 1000);

    void append(const QString &user, const ReplayEvent &event) override;
    void readAfter(const QString &user, const QString &lastEventId, QObject *context,
                   std::function<void(const ReplayResult &)> done) override;
    ReplayResult readAfterNow(const QString &user, const QString &lastEventId) const;

private:
    int m_capacity;
    mutable QMutex m_mutex;
    QHash<QString, std::deque<ReplayEvent>> m_events;
};

} // namespace sb::cluster
