#pragma once

#include "node/Envelope.h"
#include "node/StompSubscription.h"

#include <QHash>
#include <QList>
#include <QMultiHash>
#include <QString>

namespace sb::node {

class SseSubscriber;
class StompSubscriber;

// One worker's local subscribers: destination -> the STOMP subscriptions on this worker,
// user -> their /user/queue/notifications subscriptions and their SSE streams. The worker
// owns it and hands it to its sessions, which register and unregister themselves here and
// know nothing else of the worker; the worker hands it every envelope the Router brings.
// Touched only from the worker's thread.
class SubscriptionTable
{
public:
    // /user/queue/notifications resolves to `user`'s own queue (ChannelPolicy allowed it).
    void subscribe(StompSubscriber *subscriber, const QString &user, const StompSubscription &subscription);
    void unsubscribe(StompSubscriber *subscriber, const StompSubscription &subscription);
    // The session ended: every subscription it had here goes.
    void forget(StompSubscriber *subscriber);
    void addStream(const QString &user, SseSubscriber *stream);
    void removeStream(const QString &user, SseSubscriber *stream);

    // A message to its channel's subscribers and, as a notification, to its recipients'
    // queues and SSE streams; a presence change to /topic/presence. A delivery may end a
    // session, which unsubscribes it: each list is copied before it is walked.
    void deliver(const Envelope &envelope) const;

    int destinationCount() const { return int(m_subscribers.size()); }
    int streamCount() const { return int(m_streams.size()); }

private:
    struct Entry
    {
        StompSubscriber *subscriber;
        StompSubscription subscription;
    };

    void deliverMessage(const Envelope &envelope) const;
    void deliverPresence(const Envelope &envelope) const;

    QHash<QString, QList<Entry>> m_subscribers; // destination -> subscriptions here
    QMultiHash<QString, Entry> m_userQueues; // user -> their /user/queue/notifications subscriptions
    QMultiHash<QString, SseSubscriber *> m_streams; // user -> SSE streams here
};

} // namespace sb::node
