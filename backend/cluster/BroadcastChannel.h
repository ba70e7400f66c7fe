#pragma once

#include "cluster/BusHop.h"

#include <QByteArray>
#include <QString>

#include <functional>

namespace sb::cluster {

// Port: stage 2 of the fan-out (DESIGN §1) when it is not Kafka's broadcast topic —
// carries each persisted message to every replica, this one included. Redis pub/sub is
// the adapter: lower latency, but volatile (a replica not subscribed at publish time
// misses the message; its clients recover from the replay stores).
class BroadcastChannel
{
public:
    // hop: where the message came from (Medium::Redis, topic = the pub/sub channel).
    using Handler = std::function<void(const QByteArray &payload, const BusHop &hop)>;

    virtual ~BroadcastChannel() = default;
    // Set before start(); runs on the channel's thread.
    virtual void setHandler(Handler handler) = 0;
    virtual bool start(QString *error) = 0;
    virtual void stop() = 0;
    // Thread-safe, fire and forget. False when the message could not even be sent.
    virtual bool send(const QByteArray &payload) = 0;
    // Thread-safe: subscribed, so what is sent from now on reaches this replica.
    virtual bool isReady() const = 0;
};

} // namespace sb::cluster
