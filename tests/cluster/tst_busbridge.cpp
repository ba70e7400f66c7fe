#include "RedisBusFixture.h"
#include "support/TestMain.h"

#include <QTest>

using namespace sb::cluster;
using namespace sb::testing;

// A rolling switch of the stage-2 bus (issue 12): while some replicas are on one bus alone
// and others bridged (`--bus-bridge`: sending on and hearing both), every message reaches
// every replica once, in its channel's order — first with a Kafka-only replica beside a
// bridged one, then with a Redis-only one. Without the bridge, a Redis replica never hears
// what a Kafka replica relays, and the reverse.
class TestBusBridge : public QObject
{
    Q_OBJECT
    using BridgeReplica = RedisBusFixture::Replica;
    using Stage2 = RedisBusFixture::Stage2;

private Q_SLOTS:
    void initTestCase()
    {
        const QByteArray failure = m_buses.start();
        QVERIFY2(failure.isEmpty(), failure.constData());
    }

    void cleanupTestCase()
    {
        for (BridgeReplica *replica : { &m_kafka, &m_bridged, &m_redis })
            replica->stop();
    }

    void kafkaReplicaAndBridgedReplicaHearEachOther()
    {
        m_kafka = m_buses.startReplica("k", m_world, Stage2::Kafka);
        m_bridged = m_buses.startReplica("b", m_world, Stage2::Bridged);
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
        m_redis = m_buses.startReplica("r", m_world, Stage2::Redis);
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

    RedisBusFixture m_buses { QByteArrayLiteral("sbbridge") };
    BusTestWorld m_world;
    BridgeReplica m_kafka;
    BridgeReplica m_bridged;
    BridgeReplica m_redis;
};

SB_TEST_GUILESS_MAIN(TestBusBridge)
#include "tst_busbridge.moc"
