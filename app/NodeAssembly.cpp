#include "app/NodeAssembly.h"

#include "cluster/CachedNodeRegistry.h"
#include "cluster/InMemoryNodeRegistry.h"
#include "cluster/InMemoryPresenceCounter.h"
#include "cluster/InMemoryReplayStore.h"
#include "cluster/InMemorySessionStore.h"
#include "cluster/InMemoryTokenRegistry.h"
#include "cluster/KafkaEventBus.h"
#include "cluster/KafkaTopicFeed.h"
#include "cluster/LocalEventBus.h"
#include "cluster/RedisBroadcastChannel.h"
#include "cluster/RedisConnection.h"
#include "cluster/RedisHashWriter.h"
#include "cluster/RedisPresenceCounter.h"
#include "cluster/RedisReplayStore.h"
#include "cluster/RedisTokenRegistry.h"
#include "cluster/RedisUrl.h"
#include "node/NodeReadiness.h"
#include "node/RoleUpdateHandler.h"
#include "node/TokenService.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcAssembly, "sb.node.assembly")

namespace sb::app {

namespace {
// How old a replica list GET /api/replicas may serve is (docs/protocol.md): a replica's
// announcement is refreshed every second and expires after ~5 s, so a second adds little.
constexpr int kReplicaListMaxAgeMs = 1000;
} // namespace

NodeAssembly::NodeAssembly(const node::NodeConfig &config, NodeClusterOptions options, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_options(std::move(options))
{
    m_redisThread.setObjectName(QStringLiteral("sb-redis"));
}

NodeAssembly::~NodeAssembly()
{
    stop();
    m_roleUpdates.reset(); // its handler uses the node's router
    // The adapters hand work to the Redis thread; they go before it does. The channel
    // lives there: it is deleted there, after the bus that uses it.
    m_bus.reset();
    if (m_broadcastChannel)
        m_broadcastChannel.release()->deleteLater();
    m_tokens.reset();
    m_replay.reset();
    m_presence.reset();
    m_replicaList.reset();
    m_sessionStore.reset();
    m_nodeRegistry.reset();
    m_redisThread.quit();
    m_redisThread.wait();
}

bool NodeAssembly::assemble(QString *error)
{
    // Bridged, stage 2 is on Redis pub/sub too, whichever --bus says.
    const bool redisStage2 = m_options.bus == u"redis" || !m_options.busBridge.isEmpty();
    if (redisStage2 && (m_options.redisUrl.isEmpty() || m_options.kafkaBootstrap.isEmpty())) {
        *error = QStringLiteral(
            "--bus redis and --bus-bridge need --redis (stage 2 is Redis pub/sub) and --kafka (stage 1 "
            "stays on Kafka's shared group)");
        return false;
    }
    if (!m_options.redisUrl.isEmpty() && m_options.kafkaBootstrap.isEmpty()) {
        // Stage 1 stores into Redis and may wait for it; only a Kafka consumer thread may.
        *error
            = QStringLiteral("--redis needs --kafka: the shared stores are written once per message by the "
                             "Kafka stage-1 group");
        return false;
    }

    if (m_options.redisUrl.isEmpty()) {
        m_tokens = std::make_unique<cluster::InMemoryTokenRegistry>();
        m_replay = std::make_unique<cluster::InMemoryReplayStore>(m_config.limits.replayEventsPerUser);
        m_presence = std::make_unique<cluster::InMemoryPresenceCounter>();
        m_sessionStore = std::make_unique<cluster::InMemorySessionStore>();
        m_nodeRegistry = std::make_unique<cluster::InMemoryNodeRegistry>();
        m_sessions = m_sessionStore.get();
        m_registry = m_nodeRegistry.get();
    } else {
        const cluster::RedisUrl url = cluster::RedisUrl::parse(m_options.redisUrl);
        if (!url.isValid()) {
            *error = QStringLiteral("--redis: ") + url.errorString();
            return false;
        }
        cluster::RedisConnectionOptions redisOptions;
        redisOptions.name = QStringLiteral("switchboard-") + m_config.id;
        m_redis = new cluster::RedisConnection(url, redisOptions);
        m_redis->moveToThread(&m_redisThread);
        connect(&m_redisThread, &QThread::finished, m_redis, &QObject::deleteLater);
        m_redisThread.start();
        m_tokens = std::make_unique<cluster::RedisTokenRegistry>(m_redis);
        m_replay = std::make_unique<cluster::RedisReplayStore>(m_redis, m_config.limits.replayEventsPerUser);
        // The lease holder is this boot: a restarted replica's old counts are reaped, not inherited.
        const QByteArray holder
            = m_config.bootId.isEmpty() ? QByteArray() : (m_config.id + u'-' + m_config.bootId).toUtf8();
        m_presence = std::make_unique<cluster::RedisPresenceCounter>(
            m_redis, cluster::RedisKeys(), holder, m_config.presenceLeaseSeconds);
        auto hashes = std::make_unique<cluster::RedisHashWriter>(m_redis);
        m_sessions = hashes.get();
        // Read through a one-second cache: GET /api/replicas is public, and every browser on a
        // replica that dies asks the survivors at once (docs/protocol.md).
        m_replicaList = std::make_unique<cluster::CachedNodeRegistry>(hashes.get(), kReplicaListMaxAgeMs);
        m_registry = m_replicaList.get();
        m_sessionStore = std::move(hashes); // owns the writer; m_replicaList reads through it
        m_redisUp = false;
    }

    if (m_options.kafkaBootstrap.isEmpty()) {
        m_bus = std::make_unique<cluster::LocalEventBus>();
        return true;
    }
    cluster::KafkaEventBusOptions kafka;
    kafka.settings.setBootstrapServers(m_options.kafkaBootstrap.toUtf8());
    for (const QString &property : m_options.kafkaProperties) {
        if (!kafka.settings.addProperty(property, error)) {
            *error = QStringLiteral("--kafka-property: ") + *error;
            return false;
        }
    }
    if (!kafka.settings.validate(error)) {
        *error = QStringLiteral("--kafka: ") + *error;
        return false;
    }
    kafka.sessionTimeoutMs = m_options.kafkaSessionTimeoutMs;
    kafka.catchUpMaxHeld = m_options.catchUpMaxHeld;
    kafka.heartbeatIntervalMs = qMin(kafka.heartbeatIntervalMs, kafka.sessionTimeoutMs / 3);
    kafka.topicPrefix = m_config.topicPrefix.toUtf8();
    kafka.nodeId = m_config.id.toUtf8();
    kafka.bootId = m_config.bootId.toUtf8();
    if (redisStage2) {
        auto channel = std::make_unique<cluster::RedisBroadcastChannel>(
            m_redis, cluster::RedisUrl::parse(m_options.redisUrl));
        channel->moveToThread(&m_redisThread);
        connect(channel.get(), &cluster::RedisBroadcastChannel::readyChanged, this,
            &NodeAssembly::updateReadiness);
        kafka.broadcastChannel = channel.get();
        kafka.bridgeBuses = !m_options.busBridge.isEmpty();
        kafka.bridgeOrderWaitMs = m_options.busBridgeOrderWaitMs;
        m_broadcastChannel = std::move(channel);
    }
    m_roleUpdates
        = std::make_unique<cluster::KafkaTopicFeed>(kafka.settings, roleUpdatedTopic(m_config.topicPrefix),
            kafka.topicPrefix + "-roles-" + kafka.nodeId + '-' + kafka.bootId, "switchboard-" + kafka.nodeId);
    auto bus = std::make_unique<cluster::KafkaEventBus>(kafka);
    m_kafkaBus = bus.get();
    m_bus = std::move(bus);
    return true;
}

node::NodeAdapters NodeAssembly::adapters() const
{
    return { m_tokens.get(), m_replay.get(), m_presence.get(), m_bus.get(), m_sessions, m_registry };
}

bool NodeAssembly::start(node::NodeServer *server, QString *error)
{
    m_readiness = server->readiness();
    // Only the Redis registry can be unreachable; the policy for that case comes with it.
    server->tokens()->setFailOpenSeconds(m_config.authFailOpenSeconds);
    if (m_redis) {
        connect(m_redis, &cluster::RedisConnection::connected, this, [this] {
            qCInfo(lcAssembly) << "Redis connected";
            m_redisUp = true;
            updateReadiness();
        });
        connect(m_redis, &cluster::RedisConnection::disconnected, this, [this](const QString &reason) {
            if (m_redisUp)
                qCWarning(lcAssembly) << "Redis unreachable, not ready until it is back:" << reason;
            m_redisUp = false;
            updateReadiness();
        });
        m_redis->open();
    }
    if (m_kafkaBus) {
        connect(m_kafkaBus, &cluster::KafkaEventBus::healthChanged, this,
            [this](bool healthy, const QString &reason) {
                if (!healthy)
                    qCWarning(lcAssembly) << "Kafka unhealthy, not ready until it recovers:" << reason;
                updateReadiness();
            });
        connect(m_kafkaBus, &cluster::KafkaEventBus::assignmentChanged, this, &NodeAssembly::updateReadiness);
        connect(m_kafkaBus, &cluster::KafkaEventBus::broadcastCaughtUp, this, &NodeAssembly::updateReadiness);
        if (!m_kafkaBus->start(error))
            return false;
    }
    if (m_roleUpdates) {
        m_roleHandler = std::make_unique<node::RoleUpdateHandler>(m_tokens.get(), server->router());
        node::RoleUpdateHandler *handler = m_roleHandler.get();
        m_roleUpdates->setHandler([handler](const QByteArray &, const QByteArray &value) {
            QString why;
            if (!handler->handle(value, &why))
                qCWarning(lcAssembly).noquote() << "ignoring a RoleUpdatedEvent:" << why;
        });
        // Before the server listens: the feed reads here where the topic ends, and applies
        // every event from there (its group assigns it seconds later), so a role change sent
        // once this replica may take sessions reaches the sessions it took.
        if (!m_roleUpdates->start(error))
            return false;
    }
    updateReadiness();
    return true;
}

void NodeAssembly::updateReadiness()
{
    if (!m_readiness)
        return;
    // Ready only once stage 2 reaches this replica (broadcast partitions assigned, or the
    // Redis channel subscribed): before that, a broadcast would pass it by. And only once
    // it joined the stage-1 group: until then a starting cluster's group is still
    // rebalancing (the Redis channel subscribes in milliseconds, a group takes seconds), so
    // a message accepted now could wait a whole rebalance to be persisted and fanned out.
    const bool kafkaUp = !m_kafkaBus
        || (m_kafkaBus->isHealthy() && m_kafkaBus->isBroadcastReady() && m_kafkaBus->hasJoinedPersistGroup());
    m_readiness->setDependenciesReady(m_redisUp && kafkaUp);
}

QByteArray NodeAssembly::roleUpdatedTopic(const QString &topicPrefix)
{
    return topicPrefix.toUtf8() + ".RoleUpdatedEvent";
}

void NodeAssembly::stop()
{
    if (m_roleUpdates)
        m_roleUpdates->stop();
    if (m_kafkaBus)
        m_kafkaBus->stop();
    if (m_redis)
        m_redis->close();
}

} // namespace sb::app
