#pragma once

#include "cluster/ReplayEvent.h"

#include <QObject>

#include <functional>

namespace sb::cluster {

// What stage 1 stores for one message: the channel's history entry and one notification
// per recipient, all under the message id that makes the write idempotent.
struct PersistRequest
{
    QString messageId;
    QString channel;
    ReplayEvent channelEvent;
    QList<QPair<QString, ReplayEvent>> userEvents; // recipient -> notification
};

// Port: the bounded stores clients resume from after a reconnect — per user for SSE
// (Last-Event-ID), per channel for STOMP (`since`). In memory for one process; Redis
// Streams (sb:sse:{user}, sb:history:{channel}, capped near 1000) for a cluster, so a
// client may resume on any replica. Thread-safe; read callbacks run on `context`'s thread.
class ReplayStore
{
public:
    virtual ~ReplayStore() = default;
    virtual void append(const QString &user, const ReplayEvent &event) = 0;
    virtual void readAfter(const QString &user, const QString &lastEventId, QObject *context,
        std::function<void(const ReplayResult &)> done)
        = 0;
    virtual void readChannelAfter(const QString &channel, const QString &lastEventId, QObject *context,
        std::function<void(const ReplayResult &)> done)
        = 0;
    // Stores a message once: a second call with the same message id stores nothing and
    // returns true. Blocking (up to a few seconds): never call it on a worker thread.
    virtual bool persistOnce(const PersistRequest &request, QString *error) = 0;
};

} // namespace sb::cluster
