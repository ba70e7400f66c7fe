#pragma once

#include "BusTestWorld.h"
#include "RedisTestHelpers.h"
#include "TestReplicaBus.h"

#include "cluster/KafkaEventBus.h"
#include "cluster/KafkaMockCluster.h"
#include "cluster/RedisBroadcastChannel.h"
#include "cluster/RedisConnection.h"
#include "support/RedisServerProcess.h"

#include <memory>

namespace sb::testing {

// What the tests of stage 2 over Redis pub/sub share (tst_redisbus, tst_busbridge):
// librdkafka's mock cluster holding the bus's topics, a real redis-server, and replicas'
// buses as a node assembles them, on group timings short enough for a test.
class RedisBusFixture
{
public:
    enum class Stage2 { Kafka, Redis, Bridged }; // Bridged: sends on and hears both

    // One replica's bus; stop() takes the bus first, then the channel and the connection
    // it uses (as destruction does: members go in reverse order).
    struct Replica
    {
        std::unique_ptr<sb::cluster::RedisConnection> redis;
        std::unique_ptr<sb::cluster::RedisBroadcastChannel> channel;
        std::unique_ptr<sb::cluster::KafkaEventBus> bus;

        void stop()
        {
            bus.reset();
            channel.reset();
            redis.reset();
        }
    };

    explicit RedisBusFixture(QByteArray topicPrefix)
        : m_topicPrefix(std::move(topicPrefix))
    { }

    // The mock cluster with the bus's topics (three partitions each), then redis-server;
    // empty, or what failed.
    QByteArray start()
    {
        QString error;
        if (!m_kafka.start(3, &error))
            return error.toUtf8();
        for (const QByteArray &topic : sb::cluster::KafkaEventBus::topics(m_topicPrefix)) {
            if (!m_kafka.createTopic(topic, 3, &error))
                return error.toUtf8();
        }
        return m_redisServer.start() ? QByteArray() : startFailure(m_redisServer);
    }

    // A replica `name` whose deliveries and persists `world` records, its bus started (a
    // bus that does not start ends the test run). Stage 2 on Redis opens a connection with
    // `redisOptions`.
    Replica startReplica(const QByteArray &name, BusTestWorld &world, Stage2 stage2,
        const sb::cluster::RedisConnectionOptions &redisOptions = {})
    {
        Replica replica;
        sb::cluster::KafkaEventBusOptions options = testReplicaBusOptions(settings(), m_topicPrefix, name);
        options.broadcastRetryMaxMs = 500;
        if (stage2 != Stage2::Kafka) {
            replica.redis = std::make_unique<sb::cluster::RedisConnection>(m_redisServer.url(), redisOptions);
            replica.channel = std::make_unique<sb::cluster::RedisBroadcastChannel>(
                replica.redis.get(), m_redisServer.url());
            options.broadcastChannel = replica.channel.get();
            options.bridgeBuses = stage2 == Stage2::Bridged;
            replica.redis->open();
        }
        replica.bus = makeTestReplicaBus(options, world);
        QString error;
        if (!replica.bus->start(&error))
            qFatal("bus %s did not start: %s", name.constData(), qPrintable(error));
        return replica;
    }

    sb::cluster::KafkaSettings settings() const
    {
        return sb::cluster::KafkaSettings(m_kafka.bootstrapServers());
    }
    const QByteArray &topicPrefix() const { return m_topicPrefix; }
    RedisServerProcess &redisServer() { return m_redisServer; }

private:
    const QByteArray m_topicPrefix;
    sb::cluster::KafkaMockCluster m_kafka;
    RedisServerProcess m_redisServer;
};

} // namespace sb::testing
