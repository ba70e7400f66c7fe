#pragma once

#include "cluster/EventBus.h"
#include "cluster/KafkaEventBusOptions.h"
#include "cluster/KafkaRecord.h"

#include <QList>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace sb::cluster {

class BroadcastSequencer;
class BusBridgeFilter;
class KafkaBroadcastCatchUp;
class KafkaConsumer;
class KafkaProducer;
class KafkaStage1Relay;

// EventBus over Kafka: the two-stage fan-out of DESIGN §1 / §3.
//
//   publish(key, payload)
//     -> {prefix}.MessageCreatedEvent (key = channel id, header message-id)
//   stage 1: group {prefix}-notifications, shared by every replica, so each record is
//     handled by one replica: persist handler, then the same payload (key, headers) is
//     produced to {prefix}.SseBroadcast
//   stage 2: group {prefix}-broadcast-{nodeId}-{bootId}, one per replica boot, offset
//     reset "latest": every replica runs the delivery handler for every broadcast.
//     Or, with options.broadcastChannel (`--bus redis`), that channel instead of the
//     topic: faster; a replica not subscribed at that moment catches up from stage 1.
//
// What a publish() that Kafka acknowledged guarantees: the record reaches the delivery
// handler of every replica that stays up, or whose clients resume elsewhere (the replay
// stores are written in stage 1 before stage 2 is sent). Stage 1 commits a record only once
// stage 2 took it; a crash or rebalance before that redelivers it, so the persist handler
// MUST be idempotent on the message id (and a replica may, rarely, get a broadcast twice
// on the Kafka bus; the channel bus drops repeats by stage-1 offset).
//
// Stage 1's failures are handled by KafkaStage1Relay (poison dead-lettered once; a failed
// persist retried `persistRetries` (2) times `retryBackoffMs` (1 s) apart, then dead-lettered
// once and broadcast anyway; a stage-2 outage holds the batch, uncommitted, with no
// dead-lettering, until it ends). Dead-letter records keep key, value and headers, plus
// dlt-original-topic, dlt-original-partition, dlt-original-offset and dlt-error.
//
// With a broadcastChannel (Redis pub/sub), a replica whose subscription dropped misses
// what was sent meanwhile; when it subscribes again, KafkaBroadcastCatchUp reads the gap
// from stage 1 and BroadcastSequencer delivers it in order, once.
//
// With bridgeBuses (a rolling switch of the bus), stage 2 runs on both the topic and the
// channel at once: the relay sends on both and commits once both took a record; the replica
// listens to both and BusBridgeFilter drops the second copy of each record.
//
// Order: per stage-1 partition (so per key: a chat channel's id, or a user for presence),
// every replica delivers in stage-1 offset order, the same order everywhere.
//
// Threads: publish() from any thread (never blocks). The persist handler runs on the
// stage-1 consumer thread, the delivery handler on the stage-2 consumer thread, delivery
// reports on the producer's poll thread. Signals are emitted on the bus's own thread.
//
// Groups after a crash: a replica killed without close() cannot leave its groups. Its
// stage-1 partitions move to the surviving replicas after session.timeout.ms, which
// resume from the last committed offsets (so an uncommitted batch is persisted again,
// idempotently). Its per-boot broadcast group just goes quiet: the coordinator drops the
// member after session.timeout.ms, the empty group's committed offsets expire with the
// broker's offsets.retention.minutes (7 days by default), and nothing reuses it: the
// restarted process has a new bootId and, with "latest", never replays old broadcasts.
// After a clean stop() both groups are left at once (LeaveGroup).
class KafkaEventBus : public QObject, public EventBus
{
    Q_OBJECT

public:
    explicit KafkaEventBus(KafkaEventBusOptions options, QObject *parent = nullptr);
    ~KafkaEventBus() override;

    // EventBus. Set both handlers before start().
    void setPersistHandler(PersistHandler handler) override { m_persist = std::move(handler); }
    void setHandler(Handler handler) override { m_deliver = std::move(handler); }
    // Thread-safe, non-blocking. A refusal (not started, local queue full) is logged
    // and counted in publishRefused().
    bool publish(const QByteArray &key, const QByteArray &payload) override;
    // The verdict is the stage-1 record's delivery report (acks=all): a message
    // acknowledged here is in {prefix}.MessageCreatedEvent and reaches every replica.
    // A refusal is counted in publishRefused(), a failed report in publishFailed().
    PublishAdmission publishAcknowledged(
        const QByteArray &key, const QByteArray &payload, Acknowledgement acknowledged) override;

    // Starts the producer and both consumers, once per bus. False with *error on a bad
    // configuration.
    // The topics must exist (a real cluster's operators create them; the mock cluster
    // creates them on first use, or see KafkaMockCluster::createTopic and topics()).
    bool start(QString *error = nullptr);
    // Stops both consumers (finishing their batch, committing, leaving their groups),
    // then flushes the producer; publish() refuses from then on. Idempotent; the destructor
    // calls it.
    void stop();

    // Thread-safe. Brokers reachable from the producer and both consumers.
    bool isHealthy() const;
    QString healthReason() const;
    // Partitions this replica holds in each stage. Broadcast ready (> 0) means every
    // broadcast produced from now on reaches the delivery handler.
    int persistPartitions() const;
    int broadcastPartitions() const;
    // Stage 2 reaches this replica: broadcast partitions assigned, or the channel subscribed.
    bool isBroadcastReady() const;
    // This replica took its share of stage 1: the persist group assigned it (possibly
    // nothing, when replicas outnumber partitions).
    bool hasJoinedPersistGroup() const;

    // Thread-safe counters.
    quint64 published() const { return m_published.load(); }
    quint64 publishRefused() const { return m_publishRefused.load(); }
    quint64 publishFailed() const { return m_publishFailed->load(); } // acknowledged with an error
    quint64 persisted() const;
    quint64 persistRetries() const;
    quint64 deadLettered() const;
    quint64 poison() const;
    quint64 broadcastRetries() const; // stage-2 sends repeated after a refusal or an outage
    quint64 delivered() const { return m_delivered.load(); }
    // With a broadcastChannel: what the catch-up did (see BroadcastSequencer).
    quint64 catchUpRounds() const;
    quint64 caughtUp() const;
    quint64 broadcastRepeatsDropped() const;
    quint64 catchUpHeldDropped() const;
    quint64 catchUpCeilingHits() const; // times catchUpMaxHeld was reached
    // With bridgeBuses: second copies of a record (the other bus had it first) dropped.
    quint64 bridgeRepeatsDropped() const;
    // With bridgeBuses: records that waited for an earlier one of their partition; waits that
    // ran out (bridgeOrderWaitMs); records delivered after a later one of their partition.
    quint64 bridgeOrderWaits() const;
    quint64 bridgeOrderWaitsExpired() const;
    quint64 bridgeLateDeliveries() const;
    // Every counter above, named for /metrics (the catch-up's only with a broadcastChannel).
    QList<BusCounter> counters() const override;
    bool setStage1Paused(bool paused) override;
    std::optional<bool> stage1Paused() const override;

    const KafkaEventBusOptions &options() const { return m_options; }
    QByteArray messageCreatedTopic() const { return m_options.topicPrefix + ".MessageCreatedEvent"; }
    QByteArray broadcastTopic() const { return m_options.topicPrefix + ".SseBroadcast"; }
    QByteArray persistGroup() const { return m_options.topicPrefix + "-notifications"; }
    QByteArray broadcastGroup() const
    {
        return m_options.topicPrefix + "-broadcast-" + m_options.nodeId + '-' + m_options.bootId;
    }
    static QByteArray deadLetterTopic(const QByteArray &topic) { return topic + ".DLT"; }
    QList<QByteArray> consumerGroups() const override
    {
        if (!listensToTopic())
            return { persistGroup() };
        return { persistGroup(), broadcastGroup() };
    }
    // Stage 2 reaches this replica over the broadcast topic: without a channel, or bridged.
    bool listensToTopic() const { return !m_options.broadcastChannel || m_options.bridgeBuses; }
    // Stage 1 persists what was published before any replica ran; the per-boot broadcast
    // groups start at the end.
    QList<QByteArray> consumerGroupsFromStart() const override { return { persistGroup() }; }
    // Every topic the bus uses, for whoever creates topics (devcluster, tests).
    static QList<QByteArray> topics(const QByteArray &prefix);

Q_SIGNALS:
    void healthChanged(bool healthy, const QString &reason);
    // Either stage's assignment changed (see persistPartitions/broadcastPartitions).
    void assignmentChanged();
    // With a broadcastChannel: the first catch-up round completed (isBroadcastReady may
    // have turned true).
    void broadcastCaughtUp();

private:
    bool handleBroadcast(const QList<KafkaRecord> &batch);
    void deliver(const QByteArray &payload, const BusHop &hop);
    PublishAdmission produce(const QByteArray &key, const QByteArray &payload, Acknowledgement acknowledged);
    void updateHealth();

    const KafkaEventBusOptions m_options;
    PersistHandler m_persist;
    Handler m_deliver;
    std::unique_ptr<KafkaProducer> m_producer;
    std::unique_ptr<KafkaStage1Relay> m_relay;
    std::unique_ptr<KafkaConsumer> m_persistConsumer;
    std::unique_ptr<KafkaConsumer> m_broadcastConsumer;
    std::unique_ptr<BroadcastSequencer> m_sequencer; // with a broadcastChannel
    std::unique_ptr<KafkaBroadcastCatchUp> m_catchUp; // with a broadcastChannel
    std::unique_ptr<BusBridgeFilter> m_bridge; // with bridgeBuses
    bool m_lastHealthy = false;
    std::atomic<quint64> m_published { 0 };
    std::atomic<quint64> m_publishRefused { 0 };
    // Shared with the delivery reports, which may outlive the bus at shutdown.
    std::shared_ptr<std::atomic<quint64>> m_publishFailed = std::make_shared<std::atomic<quint64>>(0);
    std::atomic<quint64> m_delivered { 0 };
};

} // namespace sb::cluster
