#include "RedisBusFixture.h"
#include "support/TestMain.h"

#include "cluster/KafkaConsumer.h"

#include <QScopeGuard>
#include <QSemaphore>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>

using namespace sb::cluster;
using namespace sb::testing;

namespace {

const QByteArray RedisBusPrefix = QByteArrayLiteral("sbredisbus");
const QByteArray Poison = QByteArrayLiteral("this is {not json");

} // namespace

// issue 12, items 2 and 6, with `--bus redis`: stage 1 on librdkafka's mock cluster, stage
// 2 on a real redis-server that the tests kill and restart on its port. What a replica
// acknowledged reaches every replica once, in stage-1 order; an outage dead-letters
// nothing; a poison record is dead-lettered once.
class TestRedisBus : public QObject
{
    Q_OBJECT
    using Replica = RedisBusFixture::Replica;

private Q_SLOTS:
    void initTestCase()
    {
        const QByteArray failure = m_buses.start();
        QVERIFY2(failure.isEmpty(), failure.constData());

        m_deadLetters = std::make_shared<DeadLetters>();
        KafkaConsumerOptions dlt;
        dlt.groupId = "dlt-reader";
        dlt.topics = { KafkaEventBus::deadLetterTopic(RedisBusPrefix + ".MessageCreatedEvent") };
        dlt.sessionTimeoutMs = 6000;
        dlt.heartbeatIntervalMs = 300;
        m_dltReader = std::make_unique<KafkaConsumer>(m_buses.settings(), dlt);
        m_dltReader->setBatchHandler([letters = m_deadLetters](const QList<KafkaRecord> &batch) {
            const QMutexLocker lock(&letters->mutex);
            letters->records.append(batch);
            return true;
        });
        QString error;
        QVERIFY(m_dltReader->start(&error));

        m_a = makeReplica("a");
        m_b = makeReplica("b");
        QTRY_VERIFY_WITH_TIMEOUT(m_a.bus->persistPartitions() + m_b.bus->persistPartitions() == 3
                && m_a.bus->hasJoinedPersistGroup() && m_b.bus->hasJoinedPersistGroup(),
            20000);
        QTRY_VERIFY_WITH_TIMEOUT(m_a.bus->isBroadcastReady() && m_b.bus->isBroadcastReady(), 10000);
        // Both subscribed: from here on what is published reaches both.
        m_a.bus->publish("warm-up", messagePayload("warm-1", "warm-up"));
        QTRY_COMPARE_WITH_TIMEOUT(m_world.deliveredCount("a", "warm-1"), 1, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(m_world.deliveredCount("b", "warm-1"), 1, 15000);
    }

    void cleanupTestCase()
    {
        m_dltReader.reset();
        for (Replica *replica : { &m_a, &m_b })
            replica->stop();
    }

    void acknowledgedMessageSurvivesRedisDyingRightAfter()
    {
        const quint64 deadLetteredBefore = deadLettered();
        m_a.bus->publish("outage", messagePayload("out-1", "outage"));
        // Redis dies right after the acknowledgement: the store and stage 2 with it.
        m_world.storeDown = true;
        m_server.stop();
        m_b.bus->publish("outage", messagePayload("out-2", "outage"));
        m_a.bus->publish("outage", messagePayload("out-3", "outage"));
        // The relay kept the batch and tried again and again for a while (the old relay had
        // dead-lettered a record by its third attempt, and again after each redo).
        QTRY_VERIFY_WITH_TIMEOUT(
            std::max({ m_world.calls("out-1"), m_world.calls("out-2"), m_world.calls("out-3") }) >= 4, 20000);
        QVERIFY(!m_a.bus->isBroadcastReady() && !m_b.bus->isBroadcastReady());

        m_world.storeDown = false;
        QVERIFY2(m_server.start(m_server.port()), startFailure(m_server).constData());
        const QList<QByteArray> expected { "out-1", "out-2", "out-3" };
        for (const QByteArray replica : { "a", "b" })
            QTRY_COMPARE_WITH_TIMEOUT(
                m_world.deliveredWithPrefix(replica, "out-").size(), expected.size(), 30000);
        for (const QByteArray &id : expected)
            QTRY_COMPARE_WITH_TIMEOUT(m_world.stored(id), 1, 10000);
        QCOMPARE(deadLettered(), deadLetteredBefore);
        QCOMPARE(m_deadLetters->count(messagePayload("out-1", "outage")), 0);
        // Once each and in stage-1 order, also after both replicas finished catching up.
        QTRY_VERIFY_WITH_TIMEOUT(m_a.bus->isBroadcastReady() && m_b.bus->isBroadcastReady(), 10000);
        for (const QByteArray replica : { "a", "b" })
            QVERIFY(deliveredOnceInStage1Order(replica, "out-", expected));
    }

    void replicaThatMissedABroadcastCatchesUpFromStage1()
    {
        const quint64 caughtUpA = m_a.bus->caughtUp();
        const quint64 caughtUpB = m_b.bus->caughtUp();
        // Every subscriber connection dropped: Redis stays up and the relay publishes, but
        // for the next 2.25-3 s (the replicas' reconnect delay) nobody is subscribed, so
        // PUBLISH reaches no one. The old bus lost these messages on every replica.
        RedisConnection admin(m_server.url());
        admin.open();
        QTRY_VERIFY_WITH_TIMEOUT(admin.isConnected(), 5000);
        const auto killed = call(admin, { "CLIENT", "KILL", "TYPE", "pubsub" }, this);
        QVERIFY(killed && killed->isInteger());
        QVERIFY2(killed->toInteger() >= 2, qPrintable(QString::number(killed->toInteger())));
        m_b.bus->publish("gaps", messagePayload("gap-1", "gaps"));
        m_a.bus->publish("gaps", messagePayload("gap-2", "gaps"));

        const QList<QByteArray> expected { "gap-1", "gap-2" };
        for (const QByteArray replica : { "a", "b" }) {
            QTRY_COMPARE_WITH_TIMEOUT(
                m_world.deliveredWithPrefix(replica, "gap-").size(), expected.size(), 30000);
            QVERIFY(deliveredOnceInStage1Order(replica, "gap-", expected));
        }
        // They came from stage 1, not from the channel.
        QVERIFY(m_a.bus->caughtUp() >= caughtUpA + 2);
        QVERIFY(m_b.bus->caughtUp() >= caughtUpB + 2);
    }

    void poisonRecordIsDeadLetteredOnce()
    {
        const quint64 poisonBefore = m_a.bus->poison() + m_b.bus->poison();
        const quint64 deadLetteredBefore = deadLettered();
        m_world.storeDown = true;
        m_server.stop();
        // One batch: the poison record and one whose stage 2 is down. The old relay redid the
        // whole batch every ~3 s, dead-lettering the poison record each time.
        m_a.bus->publish("poisoned", Poison);
        m_a.bus->publish("poisoned", messagePayload("after-poison", "poisoned"));
        QTRY_VERIFY_WITH_TIMEOUT(m_world.calls("after-poison") >= 4, 20000);

        m_world.storeDown = false;
        QVERIFY2(m_server.start(m_server.port()), startFailure(m_server).constData());
        for (const QByteArray replica : { "a", "b" })
            QTRY_COMPARE_WITH_TIMEOUT(m_world.deliveredCount(replica, "after-poison"), 1, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(m_deadLetters->count(Poison), 1, 10000);
        QCOMPARE(m_a.bus->poison() + m_b.bus->poison() - poisonBefore, quint64(1));
        QCOMPARE(deadLettered() - deadLetteredBefore, quint64(1));
        const KafkaRecord letter = *m_deadLetters->find(Poison);
        QVERIFY2(letter.header("dlt-error").startsWith("undecodable record"),
            letter.header("dlt-error").constData());
        QCOMPARE(m_world.calls(QByteArray()), 0); // never handed to the persist handler
    }

    void channelOrderIsStage1OrderOnEveryReplica()
    {
        QList<QByteArray> ids;
        for (int i = 0; i < 30; ++i) {
            const QByteArray id = "rord-" + QByteArray::number(i) + (i == 5 ? "-flaky" : "");
            ids.append(id);
            (i % 2 ? m_a : m_b).bus->publish("ordered", messagePayload(id, "ordered"));
        }
        for (const QByteArray replica : { "a", "b" })
            QTRY_COMPARE_WITH_TIMEOUT(
                m_world.deliveredWithPrefix(replica, "rord-").size(), ids.size(), 20000);
        QCOMPARE(m_world.deliveredWithPrefix("b", "rord-"), m_world.deliveredWithPrefix("a", "rord-"));
        for (const QByteArray replica : { "a", "b" })
            QVERIFY(deliveredOnceInStage1Order(replica, "rord-", ids));
    }

    // NodeAssembly runs the channel on its Redis thread, stops the bus from the main thread,
    // then deletes the bus whose handler the channel calls. So stop() must not return while
    // a handler runs, and no handler may run after it (a message already read is dropped):
    // docs/reliability.md, "The drain-time abort". On a channel of its own (its own keys).
    void channelStopWaitsForARunningHandlerAndNoneRunsAfter()
    {
        QTRY_VERIFY_WITH_TIMEOUT(m_server.isRunning(), 10000);
        RedisConnection publisher(m_server.url());
        publisher.open();
        QTRY_VERIFY_WITH_TIMEOUT(publisher.isConnected(), 10000);

        QThread thread;
        auto *redis = new RedisConnection(m_server.url());
        auto *channel = new RedisBroadcastChannel(redis, m_server.url(), RedisKeys("sbstoptest:"));
        const QByteArray name = RedisKeys("sbstoptest:").broadcastChannel();
        QSemaphore entered;
        QSemaphore release;
        std::atomic<int> handled { 0 };
        std::atomic<bool> stopReturned { false };
        std::atomic<bool> ranAfterStop { false };
        channel->setHandler([&](const QByteArray &, const BusHop &, BroadcastOrigin) {
            if (stopReturned.load())
                ranAfterStop = true;
            if (handled.fetch_add(1) == 0) {
                entered.release();
                release.acquire(); // the first message's handler is still running while stop() is called
            }
        });
        redis->moveToThread(&thread);
        channel->moveToThread(&thread);
        thread.start();
        const auto teardown = qScopeGuard([&] {
            release.release(); // a failed check must not leave the handler waiting
            QMetaObject::invokeMethod(
                channel,
                [channel, redis] {
                    delete channel;
                    redis->close();
                    delete redis;
                },
                Qt::BlockingQueuedConnection);
            thread.quit();
            thread.wait();
        });
        QMetaObject::invokeMethod(
            channel,
            [channel, redis] {
                redis->open();
                QString error;
                channel->start(&error);
            },
            Qt::BlockingQueuedConnection);
        QTRY_VERIFY_WITH_TIMEOUT(channel->isReady(), 10000);

        QVERIFY(call(publisher, { "PUBLISH", name, "one" }, this).has_value());
        QVERIFY2(entered.tryAcquire(1, 10000), "the handler never ran");
        // Read after "one"'s handler returns: handled before stop() takes effect, or dropped.
        QVERIFY(call(publisher, { "PUBLISH", name, "two" }, this).has_value());
        std::thread stopper([&] {
            channel->stop();
            stopReturned = true;
        });
        QTest::qWait(300); // what must not happen: stop() returning while the handler runs
        const bool returnedEarly = stopReturned.load();
        release.release();
        stopper.join();
        QVERIFY2(!returnedEarly, "stop() returned while a handler was running on the channel's thread");
        QVERIFY(call(publisher, { "PUBLISH", name, "three" }, this).has_value());
        // Everything the subscriber reads from here on has been offered to the channel first.
        QMetaObject::invokeMethod(
            channel, [] {}, Qt::BlockingQueuedConnection);
        QVERIFY2(!ranAfterStop.load(), "a handler ran after stop() returned");
        QVERIFY(handled.load() <= 2);
    }

private:
    // `replica` delivered exactly the `expected` ids (with `prefix`), each once, in the order
    // of their stage-1 offsets (messages published through different replicas are appended
    // in either order: that order is the one every replica must follow).
    bool deliveredOnceInStage1Order(
        const QByteArray &replica, const QByteArray &prefix, QList<QByteArray> expected)
    {
        const QList<QByteArray> seen = m_world.deliveredWithPrefix(replica, prefix);
        std::sort(expected.begin(), expected.end(), [this](const QByteArray &x, const QByteArray &y) {
            return m_world.stage1Offset(x) < m_world.stage1Offset(y);
        });
        if (seen == expected)
            return true;
        qWarning("%s delivered [%s], expected [%s] (stage-1 order)", replica.constData(),
            seen.join(", ").constData(), expected.join(", ").constData());
        return false;
    }

    quint64 deadLettered() const { return m_a.bus->deadLettered() + m_b.bus->deadLettered(); }

    Replica makeReplica(const QByteArray &name)
    {
        RedisConnectionOptions redis;
        // Long enough that a relay publishes before a dropped subscriber is back.
        redis.reconnectMin = std::chrono::milliseconds(3000);
        redis.reconnectMax = std::chrono::milliseconds(3000);
        return m_buses.startReplica(name, m_world, RedisBusFixture::Stage2::Redis, redis);
    }

    RedisBusFixture m_buses { RedisBusPrefix };
    RedisServerProcess &m_server = m_buses.redisServer();
    BusTestWorld m_world;
    Replica m_a;
    Replica m_b;
    std::unique_ptr<KafkaConsumer> m_dltReader;
    std::shared_ptr<DeadLetters> m_deadLetters;
};

SB_TEST_GUILESS_MAIN(TestRedisBus)
#include "tst_redisbus.moc"
