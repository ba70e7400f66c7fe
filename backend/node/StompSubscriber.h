#pragma once

#include "node/StompSubscription.h"

#include <QByteArray>
#include <QString>

namespace sb::node {

// What a worker's SubscriptionTable delivers to for a STOMP subscription: the session,
// seen only as the one call a delivery needs, so the table never knows the session's class.
class StompSubscriber
{
public:
    // One MESSAGE for `subscription` (a delivery may end the session: a slow consumer).
    virtual void deliver(const StompSubscription &subscription, const QString &messageId,
        const QByteArray &body, qint64 publishedAtUs)
        = 0;

protected:
    ~StompSubscriber() = default;
};

} // namespace sb::node
