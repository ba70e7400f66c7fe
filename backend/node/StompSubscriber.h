#pragma once

#include "node/StompSubscription.h"

#include <QtGlobal>

namespace sb::node {

class SharedMessageFrame;

// What a worker's SubscriptionTable delivers to for a STOMP subscription: the session,
// seen only as the one call a delivery needs, so the table never knows the session's class.
class StompSubscriber
{
public:
    // One MESSAGE for `subscription` (a delivery may end the session: a slow consumer). The
    // frame is shared by every subscription of its destination the table delivers it to.
    virtual void deliver(
        const StompSubscription &subscription, const SharedMessageFrame &message, qint64 publishedAtUs)
        = 0;

protected:
    ~StompSubscriber() = default;
};

} // namespace sb::node
