// The Redis adapters of the cluster ports against a real redis-server: what they write
// is read back with plain commands, as redis-cli would see it.
#include "RedisTestHelpers.h"
#include "cluster/RedisHashWriter.h"
#include "cluster/RedisPresenceCounter.h"
#include "cluster/RedisReplayStore.h"
#include "cluster/RedisTokenRegistry.h"
#include "support/TestMain.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QThread>

using namespace sb::cluster;
using sb::testing::call;

class TestRedisAdapters : public QObject
{
    Q_OBJECT
    sb::testing::RedisServerProcess m_server;
    QThread m_thread; // the connection's thread, as in a node: persistOnce() blocks the caller, never it
    RedisConnection *m_redis = nullptr;

    std::optional<RedisReply> run(QList<QByteArray> argv) { return call(*m_redis, std::move(argv), this); }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), sb::testing::startFailure(m_server).constData());
        m_redis = new RedisConnection(m_server.url());
        m_redis->moveToThread(&m_thread);
        connect(&m_thread, &QThread::finished, m_redis, &QObject::deleteLater);
        m_thread.start();
        QSignalSpy connected(m_redis, &RedisConnection::connected);
        m_redis->open();
        QVERIFY(connected.wait(5000));
    }
    void cleanupTestCase()
    {
        m_redis->close();
        m_thread.quit();
        m_thread.wait();
        m_server.stop();
    }
    void init() { QVERIFY(run({ "FLUSHALL" })->isOk()); }

    void tokenRegistryIsSharedAndRevocable()
    {
        RedisTokenRegistry replica1(m_redis);
        RedisTokenRegistry replica2(m_redis);
        replica1.remember(
            QStringLiteral("jti-1"), QStringLiteral("alice"), QDateTime::currentSecsSinceEpoch() + 60);
        QTRY_COMPARE(run({ "GET", "sb:token:jti-1" })->bytes(), QByteArray("alice"));
        const qint64 ttl = run({ "TTL", "sb:token:jti-1" })->toInteger();
        QVERIFY2(ttl > 50 && ttl <= 60, QByteArray::number(ttl).constData());

        std::optional<bool> active;
        replica2.check(QStringLiteral("jti-1"), this, [&](bool a) { active = a; });
        QTRY_VERIFY(active.has_value());
        QVERIFY(*active);

        replica2.revoke(QStringLiteral("jti-1"));
        active.reset();
        replica1.check(QStringLiteral("jti-1"), this, [&](bool a) { active = a; });
        QTRY_VERIFY(active.has_value());
        QVERIFY(!*active);
    }

    void revokeUserRevokesEveryTokenOfThatUserOnly()
    {
        RedisTokenRegistry replica1(m_redis);
        RedisTokenRegistry replica2(m_redis);
        const qint64 exp = QDateTime::currentSecsSinceEpoch() + 60;
        replica1.remember(QStringLiteral("b-1"), QStringLiteral("bob"), exp);
        replica2.remember(QStringLiteral("b-2"), QStringLiteral("bob"), exp + 30);
        replica1.remember(QStringLiteral("c-1"), QStringLiteral("carol"), exp);
        QTRY_COMPARE(run({ "SCARD", "sb:user-tokens:bob" })->toInteger(), 2);
        // The index lives as long as the user's longest token.
        const qint64 indexTtl = run({ "TTL", "sb:user-tokens:bob" })->toInteger();
        QVERIFY2(indexTtl > 80 && indexTtl <= 90, QByteArray::number(indexTtl).constData());

        replica2.revokeUser(QStringLiteral("bob"));
        QTRY_COMPARE(run({ "EXISTS", "sb:token:b-1", "sb:token:b-2", "sb:user-tokens:bob" })->toInteger(), 0);
        QCOMPARE(run({ "GET", "sb:token:c-1" })->bytes(), QByteArray("carol"));
        replica1.revokeUser(QStringLiteral("bob")); // idempotent
        QTRY_COMPARE(run({ "EXISTS", "sb:token:c-1" })->toInteger(), 1);
    }

    void persistOnceStoresExactlyOnce()
    {
        RedisReplayStore store(m_redis);
        PersistRequest request { QStringLiteral("m1"), QStringLiteral("general"),
            { QStringLiteral("m1"), "message", R"({"text":"hi"})" },
            { { QStringLiteral("bob"), { QStringLiteral("m1"), "notification", "{}" } },
                { QStringLiteral("carol"), { QStringLiteral("m1"), "notification", "{}" } } } };
        QString error;
        QVERIFY2(store.persistOnce(request, &error), qPrintable(error));
        QVERIFY2(store.persistOnce(request, &error), qPrintable(error)); // a redelivered record
        QCOMPARE(run({ "XLEN", "sb:history:general" })->toInteger(), 1);
        QCOMPARE(run({ "XLEN", "sb:sse:bob" })->toInteger(), 1);
        QCOMPARE(run({ "XLEN", "sb:sse:carol" })->toInteger(), 1);
        QVERIFY(run({ "EXISTS", "sb:persisted:m1" })->toInteger() == 1);
    }

    void replayResumesAfterTheLastEventId()
    {
        RedisReplayStore store(m_redis);
        for (int i = 1; i <= 5; ++i)
            store.append(QStringLiteral("bob"),
                { QStringLiteral("e%1").arg(i), "notification", QByteArray::number(i) });
        QTRY_COMPARE(run({ "XLEN", "sb:sse:bob" })->toInteger(), 5);

        std::optional<ReplayResult> result;
        store.readAfter(
            QStringLiteral("bob"), QStringLiteral("e2"), this, [&](const ReplayResult &r) { result = r; });
        QTRY_VERIFY(result.has_value());
        QVERIFY(!result->reset);
        QCOMPARE(result->events.size(), 3);
        QCOMPARE(result->events.first().id, QStringLiteral("e3"));
        QCOMPARE(result->events.last().data, QByteArray("5"));

        result.reset();
        store.readAfter(
            QStringLiteral("bob"), QStringLiteral("gone"), this, [&](const ReplayResult &r) { result = r; });
        QTRY_VERIFY(result.has_value());
        QVERIFY(result->reset); // too old or unknown: the client is told it missed data
        QCOMPARE(result->events.size(), 5);

        result.reset();
        store.readAfter(
            QStringLiteral("nobody"), QStringLiteral("e1"), this, [&](const ReplayResult &r) { result = r; });
        QTRY_VERIFY(result.has_value());
        QVERIFY(!result->reset);
        QVERIFY(result->events.isEmpty());
    }

    void streamsAreCapped()
    {
        RedisReplayStore store(m_redis, 100);
        for (int i = 0; i < 1000; ++i)
            store.append(QStringLiteral("dave"), { QString::number(i), "notification", "{}" });
        QTRY_VERIFY(run({ "XRANGE", "sb:sse:dave", "+", "-", "COUNT", "1" }).has_value());
        QTRY_VERIFY(
            run({ "XREVRANGE", "sb:sse:dave", "+", "-", "COUNT", "1" })->at(0).at(1).toMap().value("id")
            == "999");
        const qint64 length = run({ "XLEN", "sb:sse:dave" })->toInteger();
        QVERIFY2(
            length >= 100 && length < 300, QByteArray::number(length).constData()); // MAXLEN ~ trims by node
    }

    void presenceCountsAcrossReplicas()
    {
        RedisPresenceCounter replica1(m_redis);
        RedisPresenceCounter replica2(m_redis);
        QList<qint64> counts;
        auto record = [&](qint64 c) { counts << c; };
        replica1.change(QStringLiteral("alice"), +1, this, record);
        QTRY_COMPARE(counts.size(), 1);
        replica2.change(QStringLiteral("alice"), +1, this, record);
        QTRY_COMPARE(counts.size(), 2);
        replica1.change(QStringLiteral("alice"), -1, this, record);
        QTRY_COMPARE(counts.size(), 3);
        replica2.change(QStringLiteral("alice"), -1, this, record);
        QTRY_COMPARE(counts.size(), 4);
        QCOMPARE(counts, (QList<qint64> { 1, 2, 1, 0 }));
        QCOMPARE(run({ "HEXISTS", "sb:presence", "alice" })->toInteger(), 0);
        // A stray close (one this replica never counted) changes nothing and is said to:
        // no count below zero, no second "offline".
        replica1.change(QStringLiteral("alice"), -1, this, record);
        QTRY_COMPARE(counts.size(), 5);
        QCOMPARE(counts.last(), PresenceCounter::kUnchanged);
    }

    void nodeRegistryAndSessionsAreHashesWithTtl()
    {
        RedisHashWriter writer(m_redis);
        writer.publish(QStringLiteral("node-1"), { { "address", "127.0.0.1:8080" }, { "ws", "3" } }, 5);
        QTRY_COMPARE(run({ "HGET", "sb:node:node-1", "ws" })->bytes(), QByteArray("3"));
        const qint64 ttl = run({ "TTL", "sb:node:node-1" })->toInteger();
        QVERIFY(ttl > 0 && ttl <= 5);
        writer.remove(QStringLiteral("node-1"));
        QTRY_COMPARE(run({ "EXISTS", "sb:node:node-1" })->toInteger(), 0);

        writer.open(
            QStringLiteral("s1"), { { "user", "bob" }, { "node", "node-1" }, { "transport", "stomp" } }, 30);
        QTRY_COMPARE(run({ "HGET", "sb:session:s1", "user" })->bytes(), QByteArray("bob"));
        writer.touch(QStringLiteral("s1"), 90);
        QTRY_VERIFY(run({ "TTL", "sb:session:s1" })->toInteger() > 30);
        writer.close(QStringLiteral("s1"));
        QTRY_COMPARE(run({ "EXISTS", "sb:session:s1" })->toInteger(), 0);
    }
};

SB_TEST_GUILESS_MAIN(TestRedisAdapters)
#include "tst_redisadapters.moc"
