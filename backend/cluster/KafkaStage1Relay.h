#pragma once

#include "cluster/EventBus.h"
#include "cluster/KafkaEventBusOptions.h"
#include "cluster/KafkaRecord.h"

#include <QList>
#include <QSet>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

namespace sb::cluster {

class BroadcastChannel;
class KafkaDeliveryLatch;
class KafkaProducer;

// Stage 1's work on one batch of {prefix}.MessageCreatedEvent (see KafkaEventBus): persist
// each record once, then send it to stage 2 — the broadcast topic, or the BroadcastChannel
// (Redis pub/sub), or both while bridged — in each partition's offset order. handle() returns true once every
// record is done (the consumer commits the batch), false only when the consumer is stopping
// (uncommitted: the partition's next owner does it again).
//
//  - Poison (not a JSON object): dead-lettered once, with its error, never sent.
//  - Persist fails: retried `persistRetries` times, `retryBackoffMs` apart; then, if stage 2
//    is reachable, dead-lettered once and sent anyway (a store outage must not stop live
//    delivery); later records of its partition in the batch are then given up on at their
//    first failure (the store is down: a batch waits persistRetries pauses, not that many
//    per record). If stage 2 is down too (the Redis bus: one server for both), it is the
//    same outage, not the record's fault: the record waits, and nothing is dead-lettered.
//  - Records are persisted and sent per partition in offset order, a later one never before
//    an earlier one is stored (or given up on): per chat channel — the stage-1 key — the
//    replay stores and stage 2 both get the stage-1 order.
//  - Stage 2 refuses or is unreachable: the batch waits and sends again (from the first
//    record not taken, in order), with back-off, for as long as the outage lasts; never
//    dead-lettered. A record is committed only once stage 2 took it.
class KafkaStage1Relay
{
public:
    KafkaStage1Relay(const KafkaEventBusOptions &options, QByteArray broadcastTopic, KafkaProducer *producer,
        EventBus::PersistHandler persist, std::function<bool()> stopping);

    bool handle(const QList<KafkaRecord> &batch);

    quint64 persisted() const { return m_persisted.load(); }
    quint64 persistRetries() const { return m_persistRetries.load(); }
    quint64 deadLettered() const { return m_deadLettered.load(); }
    quint64 poison() const { return m_poison.load(); }
    quint64 sendRetries() const { return m_sendRetries.load(); } // stage-2 sends repeated after a refusal

private:
    struct Item;
    struct Sends;
    bool persistOnce(const KafkaRecord &record, QString *error);
    void persistPending(QList<Item> &items, KafkaDeliveryLatch &deadLetters, QSet<int> &gaveUp);
    void sendInOrder(QList<Item> &items, const std::shared_ptr<Sends> &sends);
    bool collectSends(QList<Item> &items, const std::shared_ptr<Sends> &sends);
    void deadLetter(const KafkaRecord &record, const QString &error, KafkaDeliveryLatch &latch);
    bool stage2Writable() const;
    bool pause(int ms, bool untilWritable) const;

    const KafkaEventBusOptions &m_options;
    const QByteArray m_broadcastTopic;
    KafkaProducer *m_producer;
    BroadcastChannel *m_channel;
    const bool m_sendToTopic; // no channel, or bridged to it (KafkaEventBusOptions::bridgeBuses)
    const EventBus::PersistHandler m_persist;
    const std::function<bool()> m_stopping;
    std::atomic<quint64> m_persisted { 0 };
    std::atomic<quint64> m_persistRetries { 0 };
    std::atomic<quint64> m_deadLettered { 0 };
    std::atomic<quint64> m_poison { 0 };
    std::atomic<quint64> m_sendRetries { 0 };
};

} // namespace sb::cluster
