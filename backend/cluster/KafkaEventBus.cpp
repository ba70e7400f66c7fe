#include "cluster/KafkaEventBus.h"

#include "cluster/BroadcastChannel.h"
#include "cluster/BroadcastSequencer.h"
#include "cluster/BusBridgeFilter.h"
#include "cluster/KafkaBroadcastCatchUp.h"
#include "cluster/KafkaBusPayload.h"
#include "cluster/KafkaConsumer.h"
#include "cluster/KafkaLog.h"
#include "cluster/KafkaProducer.h"
#include "cluster/KafkaStage1Relay.h"

namespace sb::cluster {

namespace {
const QByteArray MessageIdHeader = QByteArrayLiteral("message-id");
} // namespace

KafkaEventBus::KafkaEventBus(KafkaEventBusOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{ }

KafkaEventBus::~KafkaEventBus()
{
    stop();
}

QList<QByteArray> KafkaEventBus::topics(const QByteArray &prefix)
{
    const QByteArray created = prefix + ".MessageCreatedEvent";
    return { created, prefix + ".SseBroadcast", deadLetterTopic(created) };
}

bool KafkaEventBus::start(QString *error)
{
    if (m_producer) {
        if (error)
            *error = QStringLiteral("a Kafka event bus starts once; create a new one (with a new boot id)");
        return false;
    }
    if (m_options.nodeId.isEmpty() || m_options.bootId.isEmpty() || m_options.topicPrefix.isEmpty()) {
        if (error)
            *error = QStringLiteral("Kafka event bus needs a topic prefix, a node id and a boot id");
        return false;
    }
    const QByteArray clientId = "switchboard-" + m_options.nodeId;
    KafkaProducerOptions producerOptions = m_options.producer;
    producerOptions.clientId = clientId;
    m_producer = std::make_unique<KafkaProducer>(m_options.settings, producerOptions);

    KafkaConsumerOptions persist;
    persist.groupId = persistGroup();
    persist.topics = { messageCreatedTopic() };
    persist.clientId = clientId;
    persist.autoOffsetReset = "earliest"; // a new cluster handles what was published before any replica ran
    persist.sessionTimeoutMs = m_options.sessionTimeoutMs;
    persist.heartbeatIntervalMs = m_options.heartbeatIntervalMs;
    m_persistConsumer = std::make_unique<KafkaConsumer>(m_options.settings, persist);
    m_relay = std::make_unique<KafkaStage1Relay>(m_options, broadcastTopic(), m_producer.get(), m_persist,
        [this] { return m_persistConsumer->isStopping(); });
    m_persistConsumer->setBatchHandler(
        [this](const QList<KafkaRecord> &batch) { return m_relay->handle(batch); });

    if (m_options.broadcastChannel && m_options.bridgeBuses)
        m_bridge = std::make_unique<BusBridgeFilter>(
            [this](const QByteArray &payload, const BusHop &hop) { deliver(payload, hop); },
            BusBridgeFilter::kDefaultCapacity, m_options.bridgeOrderWaitMs);
    if (BroadcastChannel *channel = m_options.broadcastChannel) {
        m_sequencer = std::make_unique<BroadcastSequencer>(
            [this](const QByteArray &payload, const BusHop &hop, BroadcastOrigin origin) {
                if (m_bridge)
                    m_bridge->deliver(payload, hop, origin);
                else
                    deliver(payload, hop);
            },
            m_options.catchUpMaxHeld);
        m_catchUp = std::make_unique<KafkaBroadcastCatchUp>(m_options.settings, messageCreatedTopic(),
            persistGroup(), clientId + "-catch-up", m_sequencer.get());
        channel->setHandler([this](const QByteArray &payload, const BusHop &hop, BroadcastOrigin origin) {
            m_sequencer->live(payload, hop, origin);
        });
        channel->setSubscribedHandler([this] { m_catchUp->request(); });
    }
    if (listensToTopic()) {
        KafkaConsumerOptions broadcast = persist;
        broadcast.groupId = broadcastGroup();
        broadcast.topics = { broadcastTopic() };
        broadcast.autoOffsetReset = "latest"; // a new boot never replays old broadcasts
        broadcast.retireGroupOnClose = true; // per boot: nothing consumes it again once stopped
        m_broadcastConsumer = std::make_unique<KafkaConsumer>(m_options.settings, broadcast);
        m_broadcastConsumer->setBatchHandler(
            [this](const QList<KafkaRecord> &batch) { return handleBroadcast(batch); });
    }

    // Queued: the clients emit on their own threads.
    connect(m_producer.get(), &KafkaProducer::healthChanged, this, &KafkaEventBus::updateHealth,
        Qt::QueuedConnection);
    for (KafkaConsumer *consumer : { m_persistConsumer.get(), m_broadcastConsumer.get() }) {
        if (!consumer)
            continue;
        connect(consumer, &KafkaConsumer::healthChanged, this, &KafkaEventBus::updateHealth,
            Qt::QueuedConnection);
        connect(consumer, &KafkaConsumer::assignmentChanged, this, &KafkaEventBus::assignmentChanged,
            Qt::QueuedConnection);
    }
    const bool stage2Started = !m_broadcastConsumer || m_broadcastConsumer->start(error);
    if (!m_producer->start(error) || !m_persistConsumer->start(error) || !stage2Started) {
        stop();
        m_persistConsumer.reset();
        m_broadcastConsumer.reset();
        m_catchUp.reset();
        m_producer.reset();
        return false;
    }
    if (m_catchUp) {
        // The channel subscribes once the catch-up knows where stage 1 stood (see
        // KafkaBroadcastCatchUp): only then does this replica report stage 2 ready.
        m_catchUp->start(
            [channel = m_options.broadcastChannel] {
                QString ignored; // RedisBroadcastChannel::start() cannot fail: it retries by itself
                channel->start(&ignored);
            },
            [this] {
                QMetaObject::invokeMethod(this, &KafkaEventBus::broadcastCaughtUp, Qt::QueuedConnection);
            });
    }
    qCInfo(lcKafka, "event bus on %s: publish %s, persist group %s, broadcast group %s",
        m_options.settings.bootstrapServers().constData(), messageCreatedTopic().constData(),
        persistGroup().constData(), broadcastGroup().constData());
    if (m_bridge)
        qCInfo(lcKafka,
            "stage 2 bridged: every broadcast sent on, and heard from, both %s and the Redis channel",
            broadcastTopic().constData());
    return true;
}

void KafkaEventBus::stop()
{
    // Consumers first: their last batches may still produce broadcasts and DLT records,
    // which the producer's flush then delivers.
    if (m_persistConsumer)
        m_persistConsumer->close();
    if (m_broadcastConsumer)
        m_broadcastConsumer->close();
    if (m_catchUp)
        m_catchUp->stop();
    if (m_options.broadcastChannel)
        m_options.broadcastChannel->stop();
    if (m_bridge)
        m_bridge->stop(); // both buses are quiet now: its timer delivers nothing more
    // The objects stay until the destructor: publish() may still race with stop() on
    // another thread, and a closed producer refuses (and counts) safely.
    if (m_producer)
        m_producer->close();
}

bool KafkaEventBus::publish(const QByteArray &key, const QByteArray &payload)
{
    return produce(key, payload, {}) == PublishAdmission::Accepted;
}

PublishAdmission KafkaEventBus::publishAcknowledged(
    const QByteArray &key, const QByteArray &payload, Acknowledgement acknowledged)
{
    return produce(key, payload, std::move(acknowledged));
}

PublishAdmission KafkaEventBus::produce(
    const QByteArray &key, const QByteArray &payload, Acknowledgement acknowledged)
{
    KafkaHeaders headers;
    QJsonObject event;
    QString why;
    if (kafkabus::decode(payload, &event, &why)) {
        if (const QByteArray id = kafkabus::messageId(event); !id.isEmpty())
            headers.append({ MessageIdHeader, id });
    } else {
        // Published anyway: stage 1 dead-letters it, where it can be inspected.
        qCWarning(lcKafka).noquote() << "publishing a record stage 1 will dead-letter:" << why;
    }
    if (!m_producer) {
        ++m_publishRefused;
        qCWarning(
            lcKafka, "publish before the Kafka event bus started: record for %s dropped", key.constData());
        return PublishAdmission::Refused;
    }
    KafkaProducer::DeliveryCallback onDelivery;
    if (acknowledged) {
        onDelivery = [failed = m_publishFailed, verdict = std::move(acknowledged)](const QString &error) {
            if (!error.isEmpty())
                ++*failed;
            verdict(error);
        };
    }
    switch (m_producer->offer(messageCreatedTopic(), key, payload, headers, std::move(onDelivery))) {
    case KafkaProducer::Admission::Accepted:
        ++m_published;
        return PublishAdmission::Accepted;
    case KafkaProducer::Admission::QueueFull:
        ++m_publishRefused; // the producer logged why
        return PublishAdmission::QueueFull;
    case KafkaProducer::Admission::Refused:
        break;
    }
    ++m_publishRefused;
    return PublishAdmission::Refused;
}

bool KafkaEventBus::handleBroadcast(const QList<KafkaRecord> &batch)
{
    for (const KafkaRecord &record : batch) {
        if (m_bridge)
            m_bridge->deliver(
                record.value, kafkabus::hopOf(record), BroadcastOrigin::fromHeaders(record.headers));
        else
            deliver(record.value, kafkabus::hopOf(record));
    }
    return true;
}

void KafkaEventBus::deliver(const QByteArray &payload, const BusHop &hop)
{
    if (m_deliver)
        m_deliver(payload, hop);
    ++m_delivered;
}

quint64 KafkaEventBus::persisted() const
{
    return m_relay ? m_relay->persisted() : 0;
}
quint64 KafkaEventBus::persistRetries() const
{
    return m_relay ? m_relay->persistRetries() : 0;
}
quint64 KafkaEventBus::deadLettered() const
{
    return m_relay ? m_relay->deadLettered() : 0;
}
quint64 KafkaEventBus::poison() const
{
    return m_relay ? m_relay->poison() : 0;
}
quint64 KafkaEventBus::broadcastRetries() const
{
    return m_relay ? m_relay->sendRetries() : 0;
}
quint64 KafkaEventBus::catchUpRounds() const
{
    return m_catchUp ? m_catchUp->rounds() : 0;
}
quint64 KafkaEventBus::caughtUp() const
{
    return m_sequencer ? m_sequencer->caughtUpCount() : 0;
}
quint64 KafkaEventBus::broadcastRepeatsDropped() const
{
    return m_sequencer ? m_sequencer->repeats() : 0;
}
quint64 KafkaEventBus::catchUpHeldDropped() const
{
    return m_sequencer ? m_sequencer->heldDropped() : 0;
}
quint64 KafkaEventBus::catchUpCeilingHits() const
{
    return m_sequencer ? m_sequencer->ceilingHits() : 0;
}
quint64 KafkaEventBus::bridgeRepeatsDropped() const
{
    return m_bridge ? m_bridge->repeats() : 0;
}
quint64 KafkaEventBus::bridgeOrderWaits() const
{
    return m_bridge ? m_bridge->orderWaits() : 0;
}
quint64 KafkaEventBus::bridgeOrderWaitsExpired() const
{
    return m_bridge ? m_bridge->orderWaitsExpired() : 0;
}
quint64 KafkaEventBus::bridgeLateDeliveries() const
{
    return m_bridge ? m_bridge->lateDeliveries() : 0;
}

bool KafkaEventBus::setStage1Paused(bool paused)
{
    if (!m_persistConsumer)
        return false;
    m_persistConsumer->setPaused(paused);
    return true;
}

std::optional<bool> KafkaEventBus::stage1Paused() const
{
    if (!m_persistConsumer)
        return std::nullopt;
    // Paused once the consumer thread has paused its assignment (at its next poll), not
    // when asked: records fetched before then are still handled.
    return m_persistConsumer->isPauseApplied();
}

QList<BusCounter> KafkaEventBus::counters() const
{
    using Kind = BusCounter::Kind;
    auto counter = [](const char *name, const char *help, quint64 value) {
        return BusCounter { name, Kind::Counter, help, double(value) };
    };
    QList<BusCounter> all {
        counter(
            "sb_bus_published_total", "Messages this replica's producer accepted for stage 1.", published()),
        counter("sb_bus_publish_refused_total",
            "Publishes refused at once (producer queue full, not running).", publishRefused()),
        counter("sb_bus_publish_failed_total",
            "Accepted publishes Kafka never acknowledged (answered 503 / ERROR).", publishFailed()),
        counter("sb_bus_persisted_total", "Stage-1 records this replica persisted.", persisted()),
        counter("sb_bus_persist_retries_total", "Stage-1 persist attempts repeated after a failure.",
            persistRetries()),
        counter(
            "sb_bus_dead_lettered_total", "Stage-1 records sent to the dead-letter topic.", deadLettered()),
        counter("sb_bus_poison_total", "Undecodable stage-1 records (dead-lettered).", poison()),
        counter("sb_bus_broadcast_retries_total", "Stage-2 sends repeated after a refusal or an outage.",
            broadcastRetries()),
        counter(
            "sb_bus_delivered_total", "Stage-2 broadcasts handed to this replica's clients.", delivered()),
    };
    if (m_sequencer) {
        all << counter("sb_bus_catchup_rounds_total",
            "Catch-up rounds: stage 1 read again after the broadcast channel re-subscribed.", catchUpRounds())
            << counter("sb_bus_catchup_delivered_total", "Messages delivered from stage 1 by a catch-up.",
                   caughtUp())
            << counter("sb_bus_catchup_repeats_dropped_total",
                   "Broadcasts dropped because the catch-up or the channel had delivered them already.",
                   broadcastRepeatsDropped())
            << counter("sb_bus_catchup_held_dropped_total",
                   "Live messages dropped past the held-message ceiling, read again from stage 1.",
                   catchUpHeldDropped())
            << counter("sb_bus_catchup_ceiling_hits_total",
                   "Times the held-message ceiling (--catch-up-max-held) was reached.", catchUpCeilingHits())
            << BusCounter { "sb_bus_catchup_running", Kind::Gauge,
                   "1 while a catch-up round reads stage 1 (it has not delivered all it will yet), else 0.",
                   m_catchUp && m_catchUp->isRunningRound() ? 1.0 : 0.0 }
            << BusCounter { "sb_bus_catchup_max_held", Kind::Gauge,
                   "Live messages a catch-up may hold back (--catch-up-max-held).",
                   double(m_sequencer->maxHeld()) };
    }
    if (m_bridge)
        all << counter("sb_bus_bridge_repeats_dropped_total",
            "Bridged stage 2 (--bus-bridge): second copies of a broadcast, heard on both buses, dropped.",
            bridgeRepeatsDropped())
            << counter("sb_bus_bridge_order_waits_total",
                   "Bridged stage 2: broadcasts that waited for an earlier one of their stage-1 partition.",
                   bridgeOrderWaits())
            << counter("sb_bus_bridge_order_waits_expired_total",
                   "Bridged stage 2: waits for an earlier broadcast given up on (the bound ran out).",
                   bridgeOrderWaitsExpired())
            << counter("sb_bus_bridge_late_total",
                   "Bridged stage 2: broadcasts delivered after a later one of their stage-1 partition.",
                   bridgeLateDeliveries());
    return all;
}

bool KafkaEventBus::isHealthy() const
{
    return m_producer && m_producer->isHealthy() && m_persistConsumer->isHealthy()
        && (!m_broadcastConsumer || m_broadcastConsumer->isHealthy());
}

QString KafkaEventBus::healthReason() const
{
    if (!m_producer)
        return QStringLiteral("Kafka event bus not started");
    if (!m_producer->isHealthy())
        return u"producer: " + m_producer->healthReason();
    if (!m_persistConsumer->isHealthy())
        return u"stage-1 consumer: " + m_persistConsumer->healthReason();
    if (m_broadcastConsumer && !m_broadcastConsumer->isHealthy())
        return u"stage-2 consumer: " + m_broadcastConsumer->healthReason();
    return {};
}

int KafkaEventBus::persistPartitions() const
{
    return m_persistConsumer ? m_persistConsumer->assignedPartitions() : 0;
}

int KafkaEventBus::broadcastPartitions() const
{
    return m_broadcastConsumer ? m_broadcastConsumer->assignedPartitions() : 0;
}

bool KafkaEventBus::hasJoinedPersistGroup() const
{
    return m_persistConsumer && m_persistConsumer->hasJoinedGroup();
}

bool KafkaEventBus::isBroadcastReady() const
{
    // Bridged: both, since a replica still on either bus alone relays on that one only. The
    // channel once its first catch-up is done (KafkaBroadcastCatchUp::hasCaughtUp).
    const bool channelReady = !m_options.broadcastChannel
        || (m_options.broadcastChannel->isReady() && m_catchUp && m_catchUp->hasCaughtUp());
    return channelReady && (!listensToTopic() || broadcastPartitions() > 0);
}

void KafkaEventBus::updateHealth()
{
    const bool healthy = isHealthy();
    if (healthy == m_lastHealthy)
        return;
    m_lastHealthy = healthy;
    const QString reason = healthReason();
    if (healthy)
        qCInfo(lcKafka, "event bus: Kafka reachable");
    else
        qCWarning(lcKafka).noquote() << "event bus: Kafka unreachable:" << reason;
    emit healthChanged(healthy, reason);
}

} // namespace sb::cluster
