#pragma once

#include <QtGlobal>

namespace sb::node {

class SharedSseEvent;

// What a worker's SubscriptionTable delivers to for an SSE stream: its user's
// notifications, seen only as the one call a delivery needs.
class SseSubscriber
{
public:
    virtual void deliver(const SharedSseEvent &event, qint64 publishedAtUs) = 0;

protected:
    ~SseSubscriber() = default;
};

} // namespace sb::node
