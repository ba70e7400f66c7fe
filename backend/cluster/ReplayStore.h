#pragma once

#include "cluster/ReplayEvent.h"

#include <QObject>

#include <functional>

namespace sb::cluster {

// Port: the bounded per-user store SSE replays from after a reconnect (in memory for one
// process; a Redis Stream per user, sb:sse:{user}, for a cluster). Thread-safe; callbacks
// run on the thread of `context` and are dropped if it is gone.
class ReplayStore
{
public:
    virtual ~ReplayStore() = default;
    virtual void append(const QString &user, const ReplayEvent &event) = 0;
    virtual void readAfter(const QString &user, const QString &lastEventId, QObject *context,
                           std::function<void(const ReplayResult &)> done) = 0;
};

} // namespace sb::cluster
