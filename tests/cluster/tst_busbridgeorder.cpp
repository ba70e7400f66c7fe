#include "PlayedStage1.h"
#include "RedisBusFixture.h"
#include "support/TestMain.h"

#include "cluster/BusBridgeFilter.h"
#include "cluster/KafkaProducer.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QTest>

#include <chrono>
#include <memory>
#include <optional>
#include <thread>

using namespace sb::cluster;
using namespace sb::testing;

namespace {

// Waits long enough for the Kafka copy sent right after the Redis one and, in the Redis
// outage case, for redis-server's restart and the catch-up round after it, under a loaded
// CI machine too (a passing run waits only as long as those take); the filter's own tests
// below take the bound itself.
constexpr int kBridgedReplicaOrderWaitMs = 30000;
// The stage-1 partitions the Redis outage case appends real records to (partition 0 carries
// the made-up offsets of the rebalance case, which no stage-1 record backs).
constexpr int kOutageSwitchToKafkaPartition = 1;
constexpr int kOutageSwitchToRedisPartition = 2;
// The stage-1 group's session timeout, for the replicas and the played member alike: the mock
// waits this less 1 s for members to join each rebalance, and the group may need a few before
// it settles (see PlayedStage1). 3 s, the node's lowest, as the node's cluster tests use.
constexpr int kStage1SessionTimeoutMs = 3000;

BusHop bridgeTestHop()
{
    return BusHop { .medium = BusHop::Medium::Kafka, .topic = "t", .partition = 0, .offset = 0, .key = "k" };
}

qint64 steadyMicros()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// What a filter handed on, and when (steadyMicros()), from whichever thread (its timer
// thread too).
class BridgeOutput
{
public:
    EventBus::Handler handler()
    {
        return [this](const QByteArray &payload, const BusHop &) {
            const QMutexLocker lock(&m_mutex);
            m_payloads.append(payload);
            m_handedOnAt.insert(payload, steadyMicros());
        };
    }
    QList<QByteArray> list()
    {
        const QMutexLocker lock(&m_mutex);
        return m_payloads;
    }
    qint64 handedOnAt(const QByteArray &payload)
    {
        const QMutexLocker lock(&m_mutex);
        return m_handedOnAt.value(payload, -1);
    }

private:
    QMutex m_mutex;
    QList<QByteArray> m_payloads;
    QHash<QByteArray, qint64> m_handedOnAt;
};

} // namespace

// issue 12 item 6, the order case of a rolling bus switch (docs/reliability.md, "Order"):
// during the first pass of a switch to Redis, a record relayed on Kafka alone by an old
// replica, then a later record of the same stage-1 partition relayed on both buses by a
// bridged replica after a rebalance. A bridged replica whose Kafka fetch lags hears the
// later one first, on Redis. The test plays the two relays itself, sending each copy as
// KafkaStage1Relay does (the topic with its origin header, the Redis channel framed), and
// makes the Kafka side lag by sending its copy only once the replica heard the Redis one:
// deterministic, no sleeps. The replica is a real bridged bus (BusBridgeFilter behind a
// Kafka consumer and the Redis channel's BroadcastSequencer). Before BusBridgeFilter waited
// for a partition's earlier records, the replica delivered a-10, a-12, a-11 — as the replica
// beside it, without the wait (the default), still does. The same two replicas then go
// through a Redis outage, catching up from stage 1 (redisOutageCatchUp…).
class TestBusBridgeOrder : public QObject
{
    Q_OBJECT
    using Replica = RedisBusFixture::Replica;
    using Stage2 = RedisBusFixture::Stage2;

private Q_SLOTS:
    void initTestCase()
    {
        const QByteArray failure = m_buses.start();
        QVERIFY2(failure.isEmpty(), failure.constData());
        // x waits for a partition's earlier records; y, beside it, does not (the default).
        m_replica = startBridgedReplica("x", kBridgedReplicaOrderWaitMs);
        m_noWait = startBridgedReplica("y", 0);
        // Neither relays anything: the tests play the relays, and the Redis outage case appends
        // real stage-1 records only its played relays may send. The played stage-1 member joins
        // the group beside them, in its first rebalance (a later join waits out a longer one).
        QVERIFY(m_replica.bus->setStage1Paused(true));
        QVERIFY(m_noWait.bus->setStage1Paused(true));
        m_stage1 = std::make_unique<PlayedStage1>(m_buses.settings(), m_replica.bus->messageCreatedTopic(),
            m_replica.bus->persistGroup(), kStage1SessionTimeoutMs);
        QString error;
        QVERIFY2(m_stage1->start(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(
            m_replica.bus->isBroadcastReady() && m_noWait.bus->isBroadcastReady(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(m_replica.bus->stage1Paused() == std::optional(true)
                && m_noWait.bus->stage1Paused() == std::optional(true),
            20000);

        m_kafka = std::make_unique<KafkaProducer>(m_buses.settings());
        QVERIFY2(m_kafka->start(&error), qPrintable(error));
        m_redis = std::make_unique<RedisConnection>(m_buses.redisServer().url());
        m_redisChannel = std::make_unique<RedisBroadcastChannel>(m_redis.get(), m_buses.redisServer().url());
        m_redis->open();
        QTRY_VERIFY_WITH_TIMEOUT(m_redisChannel->isWritable(), 10000);
        // A replica's broadcast consumer starts at the topic's end once assigned: a warm-up
        // record on the topic alone (without an origin: it touches no partition's order),
        // delivered, shows it listens there (sent again every half second until both have one:
        // one sent before the assignment is never fetched).
        qint64 warmUps = 0;
        QElapsedTimer sinceSent;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                if (!m_world.deliveredWithPrefix("x", "warm-").isEmpty()
                    && !m_world.deliveredWithPrefix("y", "warm-").isEmpty())
                    return true;
                if (!sinceSent.isValid() || sinceSent.elapsed() > 500) {
                    sinceSent.start();
                    sendOnKafka("warm-up", "warm-" + QByteArray::number(warmUps), BroadcastOrigin {});
                    ++warmUps;
                }
                return false;
            }(),
            20000);
    }

    void cleanupTestCase()
    {
        // The three stage-1 members leave at once: one leaving alone starts a rebalance, which
        // the mock cluster holds ~5 s, and a member closing meanwhile waits for it (cleanup took
        // 10-14 s so). Nothing else uses the two buses now; each stop() runs on one thread.
        std::thread xStops([this] { m_replica.bus->stop(); });
        std::thread yStops([this] { m_noWait.bus->stop(); });
        if (m_stage1)
            m_stage1->stop();
        xStops.join();
        yStops.join();
        m_redisChannel.reset();
        m_redis.reset();
        if (m_kafka)
            m_kafka->close();
        m_noWait.stop();
        m_replica.stop();
    }

    // Stage-1 partition 0: 10 relayed on both (a bridged relay), 11 on Kafka alone (the old
    // replica, before the rebalance), 12 on both (the bridged relay that took the partition
    // over). The replica hears 12 on Redis before 11 and 12 on Kafka.
    void recordRelayedOnKafkaAloneBeforeARebalanceKeepsItsPlace()
    {
        const QByteArray channel = "order-a";
        // Read before a-10 goes: its second copy may be dropped before or after its first is
        // seen delivered (under ASan it was before, and a count read then missed it).
        const quint64 repeatsBefore = m_replica.bus->bridgeRepeatsDropped();
        const quint64 noWaitRepeatsBefore = m_noWait.bus->bridgeRepeatsDropped();
        QVERIFY(sendOnBoth(channel, "a-10", { .partition = 0, .offset = 10 }));
        QTRY_VERIFY_WITH_TIMEOUT(
            m_world.deliveredCount("x", "a-10") == 1 && m_world.deliveredCount("y", "a-10") == 1, 10000);

        const quint64 waitsBefore = m_replica.bus->bridgeOrderWaits();
        QVERIFY(sendOnRedis(channel, "a-12", { .partition = 0, .offset = 12 }));
        // The Kafka copies only once the Redis one reached both replicas (delivered, or waiting
        // for a-11): their fetch lags.
        QTRY_VERIFY_WITH_TIMEOUT(
            (m_world.deliveredCount("x", "a-12") == 1 || m_replica.bus->bridgeOrderWaits() > waitsBefore)
                && m_world.deliveredCount("y", "a-12") == 1,
            10000);
        QVERIFY(sendOnKafka(channel, "a-11", { .partition = 0, .offset = 11 }));
        QVERIFY(sendOnKafka(channel, "a-12", { .partition = 0, .offset = 12 }));
        QTRY_VERIFY_WITH_TIMEOUT(
            m_world.deliveredCount("x", "a-11") == 1 && m_world.deliveredCount("y", "a-11") == 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_replica.bus->bridgeRepeatsDropped(), repeatsBefore + 2, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_noWait.bus->bridgeRepeatsDropped(), noWaitRepeatsBefore + 2, 10000);

        // Each once (a-10's Kafka copy and a-12's dropped as second copies), in stage-1 order.
        QCOMPARE(m_world.deliveredWithPrefix("x", "a-"), (QList<QByteArray> { "a-10", "a-11", "a-12" }));
        QCOMPARE(m_replica.bus->bridgeOrderWaits(), waitsBefore + 1); // a-12, for a-11
        QCOMPARE(m_replica.bus->bridgeOrderWaitsExpired(), quint64(0));
        QCOMPARE(m_replica.bus->bridgeLateDeliveries(), quint64(0));
        QCOMPARE(counterValue(m_replica, "sb_bus_bridge_order_waits_total"), double(waitsBefore + 1));
        QCOMPARE(counterValue(m_replica, "sb_bus_bridge_order_waits_expired_total"), 0.0);
        QCOMPARE(counterValue(m_replica, "sb_bus_bridge_late_total"), 0.0);
        // Without the wait (the default): each once too, but a-11 after a-12, counted late.
        QCOMPARE(m_world.deliveredWithPrefix("y", "a-"), (QList<QByteArray> { "a-10", "a-12", "a-11" }));
        QCOMPARE(m_noWait.bus->bridgeOrderWaits(), quint64(0));
        QCOMPARE(counterValue(m_noWait, "sb_bus_bridge_late_total"), 1.0);
    }

    // The Redis outage case (docs/reliability.md, "Order across the two buses"): a bridged
    // replica whose subscription was down catches up from stage 1 once redis-server is back,
    // beside the broadcast topic's copies. Two partitions, one case each, in one outage:
    //  - partition 1, a switch towards Kafka (or the second pass of one towards Redis): b-1 is
    //    relayed on Redis alone while the replicas are not subscribed (the test does not send
    //    it: a publish nobody subscribed hears is lost the same way), then b-2 on both by a
    //    bridged relay that took the partition over; b-2's Kafka copy reaches the replicas
    //    during the outage (its Redis one is lost), before anything brings b-1: only the catch-up
    //    does. x holds b-2 back until then — its wait has to last the outage and the round — and
    //    delivers b-0, b-1, b-2; y, without the wait, b-0, b-2, b-1 (b-1 late). Each once.
    //  - partition 2, a switch towards Redis: c-1 relayed on Kafka alone by an old replica and
    //    c-2 on both, both during the outage, while the replicas' Kafka fetch lags (the test sends
    //    those Kafka copies only after the round): the catch-up reads the partition contiguously
    //    from the last record the Redis side delivered, so c-1 comes in its place and nothing
    //    waits, on either replica; the late Kafka copies are dropped as repeats.
    // The played relays commit stage 1 once redis-server is back (a relay commits a record only
    // once stage 2 took it), and the round reads each partition up to that commit.
    void redisOutageCatchUpKeepsStage1OrderBesideTheTopicsCopies()
    {
        constexpr int towardsKafka = kOutageSwitchToKafkaPartition; // the b- records
        constexpr int towardsRedis = kOutageSwitchToRedisPartition; // the c- records
        const QByteArray channel = "order-outage";
        struct Figures
        {
            quint64 repeats, waits, expired, late, caughtUp;
        };
        auto figures = [](const Replica &replica) {
            return Figures { replica.bus->bridgeRepeatsDropped(), replica.bus->bridgeOrderWaits(),
                replica.bus->bridgeOrderWaitsExpired(), replica.bus->bridgeLateDeliveries(),
                replica.bus->caughtUp() };
        };
        const Figures xBefore = figures(m_replica);
        const Figures yBefore = figures(m_noWait);
        auto bothHave = [this](const QByteArray &id) {
            return m_world.deliveredCount("x", id) == 1 && m_world.deliveredCount("y", id) == 1;
        };

        // Before the outage each partition's first record goes on both buses; both copies are
        // in once the second one is dropped (so the Redis side knows where it stands).
        QHash<QByteArray, qint64> offsets;
        using Record = std::pair<QByteArray, int>; // id, stage-1 partition
        for (const auto &[id, partition] :
            QList<Record> { { "b-0", towardsKafka }, { "c-0", towardsRedis } }) {
            offsets.insert(id, m_stage1->append(partition, channel, messagePayload(id, channel)));
            QVERIFY2(offsets.value(id) >= 0, id.constData());
            QVERIFY(sendOnBoth(channel, id, { .partition = partition, .offset = offsets.value(id) }));
        }
        QTRY_VERIFY_WITH_TIMEOUT(bothHave("b-0") && bothHave("c-0"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(m_replica.bus->bridgeRepeatsDropped() == xBefore.repeats + 2
                && m_noWait.bus->bridgeRepeatsDropped() == yBefore.repeats + 2,
            10000);

        m_buses.redisServer().stop();
        QTRY_VERIFY_WITH_TIMEOUT(!m_replica.channel->isReady() && !m_noWait.channel->isReady(), 10000);
        for (const auto &[id, partition] : QList<Record> { { "b-1", towardsKafka }, { "b-2", towardsKafka },
                 { "c-1", towardsRedis }, { "c-2", towardsRedis } }) {
            offsets.insert(id, m_stage1->append(partition, channel, messagePayload(id, channel)));
            QVERIFY2(
                offsets.value(id) == offsets.value(id.left(2) + '0') + id.right(1).toInt(), id.constData());
        }
        QVERIFY(sendOnKafka(channel, "b-2", { .partition = towardsKafka, .offset = offsets.value("b-2") }));
        // Heard by both (x: waiting for b-1) before redis-server is back.
        QTRY_VERIFY_WITH_TIMEOUT(
            (m_replica.bus->bridgeOrderWaits() > xBefore.waits || m_world.deliveredCount("x", "b-2") == 1)
                && m_world.deliveredCount("y", "b-2") == 1,
            10000);

        QVERIFY2(m_buses.redisServer().start(m_buses.redisServer().port()),
            qPrintable(m_buses.redisServer().errorString()));
        // Committed by the played member's polling thread once it holds an assignment of the
        // group's current generation: at once, or after the rounds the mock may still be taking to
        // settle the group (see PlayedStage1; nothing here waits for that, it overlaps the test).
        // The catch-up round waits for the commit.
        m_stage1->commit(towardsKafka, offsets.value("b-2") + 1);
        m_stage1->commit(towardsRedis, offsets.value("c-2") + 1);
        QTRY_VERIFY2_WITH_TIMEOUT(bothHave("b-1") && bothHave("c-2"),
            qPrintable(QStringLiteral("stage-1 commits: ") + m_stage1->commitState()), 30000);
        // Taken (the polling thread records it just after the coordinator answered).
        QTRY_COMPARE_WITH_TIMEOUT(m_stage1->committed(towardsKafka), offsets.value("b-2") + 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_stage1->committed(towardsRedis), offsets.value("c-2") + 1, 10000);
        QVERIFY(sendOnKafka(channel, "c-1", { .partition = towardsRedis, .offset = offsets.value("c-1") }));
        QVERIFY(sendOnKafka(channel, "c-2", { .partition = towardsRedis, .offset = offsets.value("c-2") }));
        // Second copies dropped: b-0's, c-0's, b-2's from stage 1, and the late c-1 and c-2.
        QTRY_VERIFY_WITH_TIMEOUT(m_replica.bus->bridgeRepeatsDropped() == xBefore.repeats + 5
                && m_noWait.bus->bridgeRepeatsDropped() == yBefore.repeats + 5,
            10000);

        QCOMPARE(m_world.deliveredWithPrefix("x", "b-"), (QList<QByteArray> { "b-0", "b-1", "b-2" }));
        QCOMPARE(m_world.deliveredWithPrefix("y", "b-"), (QList<QByteArray> { "b-0", "b-2", "b-1" }));
        QCOMPARE(m_world.deliveredWithPrefix("x", "c-"), (QList<QByteArray> { "c-0", "c-1", "c-2" }));
        QCOMPARE(m_world.deliveredWithPrefix("y", "c-"), (QList<QByteArray> { "c-0", "c-1", "c-2" }));
        const Figures xAfter = figures(m_replica);
        const Figures yAfter = figures(m_noWait);
        QCOMPARE(xAfter.caughtUp - xBefore.caughtUp, quint64(4)); // b-1, b-2, c-1, c-2 from stage 1
        QCOMPARE(yAfter.caughtUp - yBefore.caughtUp, quint64(4));
        QCOMPARE(xAfter.waits - xBefore.waits, quint64(1)); // b-2, for b-1; nothing in partition 2
        QCOMPARE(xAfter.expired - xBefore.expired, quint64(0));
        QCOMPARE(xAfter.late - xBefore.late, quint64(0));
        QCOMPARE(yAfter.waits - yBefore.waits, quint64(0));
        QCOMPARE(yAfter.late - yBefore.late, quint64(1)); // b-1
    }

    // The filter alone: a record ahead of its partition's next offset waits for the ones
    // before it, whichever bus brings them; other partitions flow meanwhile.
    void filterDeliversEachPartitionInOffsetOrder()
    {
        BridgeOutput seen;
        BusBridgeFilter filter(seen.handler(), 100, 60000);
        filter.deliver("p0-1", bridgeTestHop(), { .partition = 0, .offset = 1 });
        filter.deliver("p0-3", bridgeTestHop(), { .partition = 0, .offset = 3 }); // waits for 2
        filter.deliver("p1-7", bridgeTestHop(), { .partition = 1, .offset = 7 });
        filter.deliver("p0-4", bridgeTestHop(), { .partition = 0, .offset = 4 }); // waits for 2
        QCOMPARE(seen.list(), (QList<QByteArray> { "p0-1", "p1-7" }));
        filter.deliver("p0-2", bridgeTestHop(), { .partition = 0, .offset = 2 });
        filter.deliver("p0-3 again", bridgeTestHop(), { .partition = 0, .offset = 3 });
        QCOMPARE(seen.list(), (QList<QByteArray> { "p0-1", "p1-7", "p0-2", "p0-3", "p0-4" }));
        QCOMPARE(filter.orderWaits(), quint64(2));
        QCOMPARE(filter.repeats(), quint64(1));
        QCOMPARE(filter.orderWaitsExpired(), quint64(0));
        QCOMPARE(filter.lateDeliveries(), quint64(0));
    }

    // An offset that never comes (a poison record the relay dead-lettered): what waits for it
    // goes out, in order, once the bound ran out, and the expiry is counted; the missing one,
    // if it comes after all, is delivered (late, counted): nothing lost.
    void filterWaitsNoLongerThanItsBound()
    {
        BridgeOutput seen;
        BusBridgeFilter filter(seen.handler(), 100, 150);
        QElapsedTimer waited;
        filter.deliver("p0-1", bridgeTestHop(), { .partition = 0, .offset = 1 });
        waited.start();
        filter.deliver("p0-4", bridgeTestHop(), { .partition = 0, .offset = 4 });
        filter.deliver("p0-3", bridgeTestHop(), { .partition = 0, .offset = 3 });
        QCOMPARE(seen.list(), (QList<QByteArray> { "p0-1" }));
        QTRY_COMPARE_WITH_TIMEOUT(seen.list().size(), 3, 5000);
        QVERIFY2(waited.elapsed() >= 140, QByteArray::number(waited.elapsed()).constData());
        QCOMPARE(seen.list(), (QList<QByteArray> { "p0-1", "p0-3", "p0-4" }));
        QCOMPARE(filter.orderWaitsExpired(), quint64(1));
        filter.deliver("p0-2", bridgeTestHop(), { .partition = 0, .offset = 2 });
        filter.deliver("p0-5", bridgeTestHop(), { .partition = 0, .offset = 5 }); // next after 4: at once
        QCOMPARE(seen.list(), (QList<QByteArray> { "p0-1", "p0-3", "p0-4", "p0-2", "p0-5" }));
        QCOMPARE(filter.lateDeliveries(), quint64(1));
        QCOMPARE(filter.orderWaits(), quint64(2));
    }

    // Records of many partitions waiting at once, each for an offset that never comes (but
    // for one, whose missing offset comes right after it: it stops waiting early), in two
    // batches 600 ms apart, each record waiting 800 ms: each batch is released at its own
    // deadline (the timer wakes for the earliest one), not before, in the order the records
    // came, each expiry counted once. A timer that woke for a later deadline than the
    // earliest (the newest record's, say) released the first batch with the second, 600 ms
    // late; the gap is how late the first batch may come on a loaded machine and still be
    // told apart from the second.
    void filterReleasesWaitingRecordsAtTheirOwnDeadlinesInOrder()
    {
        constexpr int kWaitMs = 800;
        constexpr int kBatchGapMs = 600;
        BridgeOutput seen;
        BusBridgeFilter filter(seen.handler(), 1000, kWaitMs);
        QList<QByteArray> expiring; // in arrival order
        QByteArray filled;
        QHash<QByteArray, qint64> arrivedAt; // steadyMicros() before the record was handed in
        int partitions = 0;
        auto arrive = [&](int count) {
            for (int i = 0; i < count; ++i) {
                const int partition = partitions++;
                const QByteArray name = "p" + QByteArray::number(partition) + "-";
                filter.deliver(name + "1", bridgeTestHop(), { .partition = partition, .offset = 1 });
                arrivedAt.insert(name + "3", steadyMicros());
                // Waits for 2.
                filter.deliver(name + "3", bridgeTestHop(), { .partition = partition, .offset = 3 });
                if (partition == 2) {
                    filter.deliver(name + "2", bridgeTestHop(), { .partition = partition, .offset = 2 });
                    filled = name + "3";
                } else {
                    expiring << name + "3";
                }
            }
        };
        auto expiredSoFar = [&] {
            QList<QByteArray> out;
            for (const QByteArray &payload : seen.list())
                if (expiring.contains(payload))
                    out << payload;
            return out;
        };
        arrive(5);
        const qsizetype firstBatch = expiring.size();
        // Not a wait for something: the second batch's deadlines come this much later.
        QTest::qWait(kBatchGapMs);
        arrive(5);
        // No earlier than the second batch's first deadline (nowMs() counts whole ms).
        const qint64 secondBatchDueUs = arrivedAt.value(expiring.at(firstBatch)) + (kWaitMs - 1) * 1000;
        QTRY_COMPARE_WITH_TIMEOUT(expiredSoFar().size(), expiring.size(), 10000);

        QCOMPARE(expiredSoFar(), expiring);
        for (qsizetype i = 0; i < expiring.size(); ++i) {
            const QByteArray &payload = expiring.at(i);
            const qint64 handedOnAt = seen.handedOnAt(payload);
            const qint64 waitedUs = handedOnAt - arrivedAt.value(payload);
            QVERIFY2(waitedUs >= (kWaitMs - 1) * 1000,
                QByteArray(payload + " waited only " + QByteArray::number(waitedUs) + " us").constData());
            if (i < firstBatch)
                QVERIFY2(handedOnAt < secondBatchDueUs,
                    QByteArray(payload + " released with the second batch, "
                        + QByteArray::number(handedOnAt - secondBatchDueUs) + " us after it was due")
                        .constData());
        }
        const QList<QByteArray> all = seen.list();
        QCOMPARE(all.count(filled), 1);
        QCOMPARE(all.indexOf(filled), all.indexOf(filled.chopped(1) + "2") + 1); // at once after its gap
        QCOMPARE(all.size(), partitions * 2 + 1);
        QCOMPARE(filter.orderWaits(), quint64(partitions));
        QCOMPARE(filter.orderWaitsExpired(), quint64(expiring.size()));
        QCOMPARE(filter.lateDeliveries(), quint64(0));
        QCOMPARE(filter.repeats(), quint64(0));
    }

    // Memory stays bounded: past `capacity` waiting records, the partition's go out at once.
    void filterWaitsForAtMostCapacityRecords()
    {
        BridgeOutput seen;
        BusBridgeFilter filter(seen.handler(), 2, 60000);
        filter.deliver("p0-1", bridgeTestHop(), { .partition = 0, .offset = 1 });
        filter.deliver("p0-3", bridgeTestHop(), { .partition = 0, .offset = 3 });
        filter.deliver("p0-4", bridgeTestHop(), { .partition = 0, .offset = 4 });
        QCOMPARE(seen.list().size(), 1);
        filter.deliver("p0-5", bridgeTestHop(), { .partition = 0, .offset = 5 });
        QCOMPARE(seen.list(), (QList<QByteArray> { "p0-1", "p0-3", "p0-4", "p0-5" }));
        QCOMPARE(filter.orderWaitsExpired(), quint64(1));
    }

private:
    // As RedisBusFixture::startReplica(Stage2::Bridged), with the order wait given, and
    // subscribing again within a quarter second of redis-server's return.
    Replica startBridgedReplica(const QByteArray &name, int orderWaitMs)
    {
        RedisConnectionOptions redisOptions;
        redisOptions.reconnectMin = std::chrono::milliseconds(50);
        redisOptions.reconnectMax = std::chrono::milliseconds(250);
        Replica replica;
        KafkaEventBusOptions options
            = testReplicaBusOptions(m_buses.settings(), m_buses.topicPrefix(), name, orderWaitMs);
        options.broadcastRetryMaxMs = 500;
        options.bridgeBuses = true;
        options.sessionTimeoutMs = kStage1SessionTimeoutMs;
        replica.redis = std::make_unique<RedisConnection>(m_buses.redisServer().url(), redisOptions);
        replica.channel
            = std::make_unique<RedisBroadcastChannel>(replica.redis.get(), m_buses.redisServer().url());
        options.broadcastChannel = replica.channel.get();
        replica.redis->open();
        replica.bus = makeTestReplicaBus(options, m_world);
        QString error;
        if (!replica.bus->start(&error))
            qFatal("bus %s did not start: %s", name.constData(), qPrintable(error));
        return replica;
    }

    static double counterValue(const Replica &replica, const QByteArray &name)
    {
        for (const BusCounter &counter : replica.bus->counters())
            if (counter.name == name)
                return counter.value;
        return -1;
    }

    bool sendOnBoth(const QByteArray &channel, const QByteArray &id, BroadcastOrigin origin)
    {
        return sendOnRedis(channel, id, origin) && sendOnKafka(channel, id, origin);
    }

    // As a bridged or Redis relay sends it: framed with its origin; true once Redis took it.
    bool sendOnRedis(const QByteArray &channel, const QByteArray &id, BroadcastOrigin origin)
    {
        auto result = std::make_shared<std::optional<QString>>();
        m_redisChannel->send(
            { { messagePayload(id, channel), origin } }, [result](const QString &error) { *result = error; });
        if (!QTest::qWaitFor([&] { return result->has_value(); }, 10000))
            return false;
        return (*result)->isEmpty();
    }

    // As a Kafka or bridged relay sends it: on the broadcast topic, keyed by the channel,
    // the origin (when valid) in its header; true once the broker took it.
    bool sendOnKafka(const QByteArray &channel, const QByteArray &id, BroadcastOrigin origin)
    {
        auto result = std::make_shared<std::atomic<int>>(0); // 0 waiting, 1 taken, 2 failed
        KafkaHeaders headers;
        if (origin.isValid())
            headers.append({ BroadcastOrigin::kKafkaHeader.toByteArray(), origin.headerValue() });
        m_kafka->produce(m_replica.bus->broadcastTopic(), channel, messagePayload(id, channel), headers,
            [result](const QString &error) { result->store(error.isEmpty() ? 1 : 2); });
        if (!QTest::qWaitFor([&] { return result->load() != 0; }, 10000))
            return false;
        return result->load() == 1;
    }

    RedisBusFixture m_buses { QByteArrayLiteral("sbbridgeorder") };
    BusTestWorld m_world;
    Replica m_replica; // "x": bridged, waiting for a partition's earlier records
    Replica m_noWait; // "y": bridged, without the wait
    std::unique_ptr<PlayedStage1> m_stage1;
    std::unique_ptr<KafkaProducer> m_kafka;
    std::unique_ptr<RedisConnection> m_redis;
    std::unique_ptr<RedisBroadcastChannel> m_redisChannel;
};

SB_TEST_GUILESS_MAIN(TestBusBridgeOrder)
#include "tst_busbridgeorder.moc"
