#pragma once

#include "cluster/BusCounter.h"
#include "cluster/BusHop.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace sb::cluster {

// Port: carries a created message to every replica of the cluster, this one included, in
// two stages (DESIGN §1):
//  - stage 1 runs the persist handler exactly once cluster-wide per message (Kafka: the
//    shared consumer group; it must be idempotent on the message id, since a record can be
//    redelivered), and
//  - stage 2 runs the delivery handler on every replica (Kafka: one group per replica boot;
//    or Redis pub/sub).
// In one process both run in turn. Handlers may run on any thread; they must be quick and
// hand work on. Each gets the record's hop (topic, partition, offset, key; see BusHop),
// valid for the call only.
// How the bus took one publish: accepted (its verdict follows, see Acknowledgement), or
// refused at once because its bounded queue is full, or for another reason (not started,
// stopped, the record refused by the client library).
enum class PublishAdmission { Accepted, QueueFull, Refused };

class EventBus
{
public:
    // Returns false with *error set when persisting failed (the bus retries, then DLTs).
    using PersistHandler = std::function<bool(const QByteArray &payload, const BusHop &hop, QString *error)>;
    using Handler = std::function<void(const QByteArray &payload, const BusHop &hop)>;

    virtual ~EventBus() = default;
    virtual void setPersistHandler(PersistHandler handler) = 0;
    virtual void setHandler(Handler handler) = 0;
    // False when the bus refused the message (not started, its bounded queue full during an
    // outage): the caller counts it, so an overflow is never silent.
    virtual bool publish(const QByteArray &key, const QByteArray &payload) = 0;
    // The durable step's verdict on one accepted publish: `error` empty when stage 1 holds
    // the message (Kafka acknowledged the record: from then on it reaches every replica),
    // else why it never will. Called exactly once per Accepted publish, on any thread (the
    // Kafka producer's poll thread), possibly before publishAcknowledged() returns; never
    // for a refused one. Must be quick: hand the verdict on (see node/PublishAcknowledgements).
    using Acknowledgement = std::function<void(const QString &error)>;
    // publish() whose caller waits for the verdict instead of trusting the queue. The
    // default suits a bus whose publish() is itself the durable step (in one process,
    // LocalEventBus persists synchronously).
    virtual PublishAdmission publishAcknowledged(
        const QByteArray &key, const QByteArray &payload, Acknowledgement acknowledged)
    {
        if (!publish(key, payload))
            return PublishAdmission::Refused;
        if (acknowledged)
            acknowledged(QString());
        return PublishAdmission::Accepted;
    }
    // The Kafka consumer groups this replica consumes with, announced in the registry so a
    // console can watch their lag where the broker cannot list groups. None by default.
    virtual QList<QByteArray> consumerGroups() const { return {}; }
    // Of those, the groups that start at the log start on a partition they never committed
    // (auto.offset.reset=earliest), announced too: for such a group a console counts what
    // that partition holds as work still to do, where a latest-reset group would skip it.
    virtual QList<QByteArray> consumerGroupsFromStart() const { return {}; }
    // What the adapter did, for /metrics. Thread-safe. None by default.
    virtual QList<BusCounter> counters() const { return {}; }
    // Pauses or resumes this replica's stage-1 consumer (it stays in its group, its lag
    // grows): an operator's lever and a fault action. False where there is no stage 1.
    virtual bool setStage1Paused(bool paused)
    {
        Q_UNUSED(paused);
        return false;
    }
    // Whether it is paused now (the pause applied, not only asked); nullopt where there is
    // no stage 1.
    virtual std::optional<bool> stage1Paused() const { return std::nullopt; }
};

} // namespace sb::cluster
