#pragma once

#include "cluster/BroadcastOrigin.h"
#include "cluster/BusHop.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>

namespace sb::cluster {

// Port: stage 2 of the fan-out (DESIGN §1) when it is not Kafka's broadcast topic —
// carries each persisted message to every replica, this one included. Redis pub/sub is
// the adapter: lower latency, but volatile: a replica not subscribed at publish time
// misses the message. Each message carries its stage-1 origin (BroadcastOrigin), so the
// bus can drop repeats and fetch what a replica missed from stage 1 (KafkaBroadcastCatchUp).
// One message for BroadcastChannel::send().
struct BroadcastMessage
{
    QByteArray payload;
    BroadcastOrigin origin;
};

class BroadcastChannel
{
public:
    // hop: where the message came from (Medium::Redis, topic = the pub/sub channel);
    // origin: its stage-1 record, invalid when the sender did not say (not one of ours).
    using Handler = std::function<void(const QByteArray &payload, const BusHop &hop, BroadcastOrigin origin)>;
    // After every subscription the server confirmed (the first, and again after each
    // reconnect): from then on what is sent reaches this replica.
    using SubscribedHandler = std::function<void()>;
    // Exactly once per send(), on any thread: empty when the server took the messages (every
    // replica subscribed at that moment gets them), else why not.
    using SendCallback = std::function<void(const QString &error)>;

    virtual ~BroadcastChannel() = default;
    // Set both before start(); they run on the channel's thread.
    virtual void setHandler(Handler handler) = 0;
    virtual void setSubscribedHandler(SubscribedHandler handler) = 0;
    virtual bool start(QString *error) = 0;
    virtual void stop() = 0;
    // Thread-safe, never blocks. In order, and all or a leading part of them, never a later
    // one without the earlier ones: a receiver that got a record may take any earlier one
    // of its partition for a repeat.
    virtual void send(const QList<BroadcastMessage> &messages, SendCallback done) = 0;
    // Thread-safe: subscribed, so what is sent from now on reaches this replica.
    virtual bool isReady() const = 0;
    // Thread-safe: send() can reach the server now (false during an outage).
    virtual bool isWritable() const = 0;
};

} // namespace sb::cluster
