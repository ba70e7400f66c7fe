#include "BusTestWorld.h"
#include "RedisTestHelpers.h"
#include "support/TestMain.h"

#include "cluster/KafkaEventBus.h"
#include "cluster/KafkaMockCluster.h"
#include "cluster/RedisBroadcastChannel.h"
#include "cluster/RedisConnection.h"
#include "support/RedisServerProcess.h"

#include <QTest>
#include <QUuid>

#include <memory>

using namespace sb::cluster;
using namespace sb::testing;

namespace {

const QByteArray BridgePrefix = QByteArrayLiteral("sbbridge");

enum class Stage2 { Kafka, Redis, Bridged };

// One replica's bus; the bus goes first, then the channel and the connection it uses.
struct BridgeReplica
{
    std::unique_ptr<RedisConnection> redis;
    std::unique_ptr<RedisBroadcastChannel> channel;
    std::unique_ptr<KafkaEventBus> bus;

    void stop()
    {
        bus.reset();
        channel.reset();
        redis.reset();
    }
};

} // namespace

// A rolling switch of the stage-2 bus (issue 12): while some replicas are on one bus alone
// and others bridged (`--bus-bridge`: sending on and hearing both), every message reaches
// every replica once, in its channel's order — first with a Kafka-only replica beside a
// bridged one, then with a Redis-only one. Without the bridge, a Redis replica never hears
// what a Kafka replica relays, and the reverse.
class TestBusBridge : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_cluster.start(3, &error), qPrintable(error));
        for (const QByteArray &topic : KafkaEventBus::topics(BridgePrefix))
            QVERIFY2(m_cluster.createTopic(topic, 3, &error), qPrintable(error));
        QVERIFY2(m_server.start(), startFailure(m_server).constData());
    }

    void cleanupTestCase()
    {
        for (BridgeReplica *replica : { &m_kafka, &m_bridged, &m_redis })
            replica->stop();
    }

    void kafkaReplicaAndBridgedReplicaHearEachOther()
    {
        m_kafka = makeReplica("k", Stage2::Kafka);
        m_bridged = makeReplica("b", Stage2::Bridged);
        waitUntilSharing(m_kafka, m_bridged);
        publishAndCheck("one-", m_kafka, m_bridged, { "k", "b" });
        if (QTest::currentTestFailed())
            return;
        // Each relayed some of them: the bridged replica heard the Kafka one's on the topic,
        // and the Kafka one heard the bridged one's there too.
        QVERIFY(m_kafka.bus->persisted() > 0 && m_bridged.bus->persisted() > 0);
        // What the bridged replica relayed came back on both buses: the second copy dropped.
        QVERIFY(m_bridged.bus->bridgeRepeatsDropped() > 0);
        QCOMPARE(m_kafka.bus->bridgeRepeatsDropped(), quint64(0));
    }

    void bridgedReplicaAndRedisReplicaHearEachOther()
    {
        m_kafka.stop(); // the last Kafka-only replica goes; a Redis-only one comes
        m_redis = makeReplica("r", Stage2::Redis);
        waitUntilSharing(m_bridged, m_redis);
        const quint64 redisRelayedBefore = m_redis.bus->persisted();
        const quint64 bridgedRelayedBefore = m_bridged.bus->persisted();
        publishAndCheck("two-", m_bridged, m_redis, { "b", "r" });
        if (QTest::currentTestFailed())
            return;
        QVERIFY(m_redis.bus->persisted() > redisRelayedBefore);
        QVERIFY(m_bridged.bus->persisted() > bridgedRelayedBefore);
    }

private:
    // Messages on six channels (spread over the three stage-1 partitions), each channel's
    // through one of the two replicas in turn: every replica named delivers each once, and
    // each channel's in the order they were published.
    void publishAndCheck(const QByteArray &prefix, BridgeReplica &first, BridgeReplica &second,
        const QList<QByteArray> &replicas)
    {
        QHash<QByteArray, QList<QByteArray>> sent; // channel -> ids in publish order
        for (int i = 0; i < 36; ++i) {
            const QByteArray channel = prefix + "c" + QByteArray::number(i % 6);
            const QByteArray id = channel + "-" + QByteArray::number(i / 6);
            sent[channel].append(id);
            QVERIFY(((i % 6) % 2 ? first : second).bus->publish(channel, messagePayload(id, channel)));
        }
        for (const QByteArray &replica : replicas)
            QTRY_COMPARE_WITH_TIMEOUT(m_world.deliveredWithPrefix(replica, prefix).size(), 36, 20000);
        for (const QByteArray &replica : replicas)
            for (auto it = sent.cbegin(); it != sent.cend(); ++it)
                QCOMPARE(m_world.deliveredWithPrefix(replica, it.key() + "-"), it.value());
    }

    // Both in the stage-1 group, each with some of its partitions, and both hearing stage 2.
    static void waitUntilSharing(BridgeReplica &a, BridgeReplica &b)
    {
        QTRY_VERIFY_WITH_TIMEOUT(a.bus->persistPartitions() + b.bus->persistPartitions() == 3
                && a.bus->persistPartitions() > 0 && b.bus->persistPartitions() > 0,
            30000);
        QTRY_VERIFY_WITH_TIMEOUT(a.bus->isBroadcastReady() && b.bus->isBroadcastReady(), 15000);
    }

    BridgeReplica makeReplica(const QByteArray &name, Stage2 stage2)
    {
        BridgeReplica replica;
        KafkaEventBusOptions options;
        options.settings = KafkaSettings(m_cluster.bootstrapServers());
        options.topicPrefix = BridgePrefix;
        options.nodeId = name;
        options.bootId = QUuid::createUuid().toByteArray(QUuid::Id128).left(12);
        options.sessionTimeoutMs = 6000;
        options.heartbeatIntervalMs = 300;
        options.producer.flushTimeoutMs = 3000;
        options.broadcastRetryMaxMs = 500;
        if (stage2 != Stage2::Kafka) {
            replica.redis = std::make_unique<RedisConnection>(m_server.url(), RedisConnectionOptions());
            replica.channel = std::make_unique<RedisBroadcastChannel>(replica.redis.get(), m_server.url());
            options.broadcastChannel = replica.channel.get();
            options.bridgeBuses = stage2 == Stage2::Bridged;
            replica.redis->open();
        }
        replica.bus = std::make_unique<KafkaEventBus>(options);
        replica.bus->setPersistHandler(m_world.persistHandler());
        replica.bus->setHandler(m_world.deliveryHandler(name));
        QString error;
        if (!replica.bus->start(&error))
            qFatal("bus %s did not start: %s", name.constData(), qPrintable(error));
        return replica;
    }

    KafkaMockCluster m_cluster;
    RedisServerProcess m_server;
    BusTestWorld m_world;
    BridgeReplica m_kafka;
    BridgeReplica m_bridged;
    BridgeReplica m_redis;
};

SB_TEST_GUILESS_MAIN(TestBusBridge)
#include "tst_busbridge.moc"
