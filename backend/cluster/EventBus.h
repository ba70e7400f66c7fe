#pragma once

#include <QByteArray>

#include <functional>

namespace sb::cluster {

// Port: carries a created message to every replica of the cluster, this one included
// (in-process for one node; Kafka's two-stage fan-out or Redis pub/sub for a cluster).
// The handler may run on any thread; it must only hand the payload on.
class EventBus
{
public:
    using Handler = std::function<void(const QByteArray &payload)>;

    virtual ~EventBus() = default;
    virtual void setHandler(Handler handler) = 0;
    virtual void publish(const QByteArray &key, const QByteArray &payload) = 0;
};

} // namespace sb::cluster
