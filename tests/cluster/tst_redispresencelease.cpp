// Leased presence (RedisPresenceCounter) against a real redis-server: what a holder (one
// replica boot) counts expires when it stops renewing, is reaped exactly once by another
// holder, which learns whose presence ended; a holder reaped while alive gets its counts
// back, and a close it no longer holds uncounts nobody else's connection.
#include "RedisTestHelpers.h"
#include "cluster/RedisPresenceCounter.h"
#include "support/TestMain.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QThread>

using namespace sb::cluster;
using sb::testing::call;

namespace {
constexpr int kLeaseSeconds = 2;
}

class TestRedisPresenceLease : public QObject
{
    Q_OBJECT
    sb::testing::RedisServerProcess m_server;
    QThread m_thread;
    RedisConnection *m_redis = nullptr;

    std::optional<RedisReply> run(QList<QByteArray> argv) { return call(*m_redis, std::move(argv), this); }
    qint64 total(const QByteArray &user)
    {
        const auto reply = run({ "HGET", "sb:presence", user });
        return reply && reply->isString() ? reply->bytes().toLongLong() : 0;
    }
    qint64 changeAndWait(RedisPresenceCounter &counter, const QString &user, int delta)
    {
        std::optional<qint64> count;
        counter.change(user, delta, this, [&](qint64 c) { count = c; });
        if (!QTest::qWaitFor([&] { return count.has_value(); }, 5000))
            return -100;
        return *count;
    }
    // Renews until a renewal reports changes (or the deadline); what the renewals reported.
    PresenceChanges renewUntilChanged(RedisPresenceCounter &counter, int timeoutMs)
    {
        PresenceChanges seen;
        bool changed = false;
        QDeadlineTimer deadline(timeoutMs);
        while (!changed && !deadline.hasExpired()) {
            counter.renewLease(this, [&](const PresenceChanges &c) {
                seen.wentOffline += c.wentOffline;
                seen.cameOnline += c.cameOnline;
                changed = true;
            });
            // A renewal without changes calls nothing back: give it time, like the node's 1 s timer.
            QTest::qWait(100);
        }
        return seen;
    }

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

    void deadHolderIsReapedOnceAndOnlyItsCounts()
    {
        RedisPresenceCounter dead(m_redis, RedisKeys(), "node-a-1", kLeaseSeconds);
        RedisPresenceCounter alive(m_redis, RedisKeys(), "node-b-1", kLeaseSeconds);
        RedisPresenceCounter other(m_redis, RedisKeys(), "node-c-1", kLeaseSeconds);
        QCOMPARE(changeAndWait(dead, QStringLiteral("alice"), +1), 1);
        QCOMPARE(changeAndWait(dead, QStringLiteral("alice"), +1), 2);
        QCOMPARE(changeAndWait(dead, QStringLiteral("bob"), +1), 1);
        QCOMPARE(changeAndWait(alive, QStringLiteral("bob"), +1), 2);
        QCOMPARE(run({ "HGET", "sb:presence:held:node-a-1", "alice" })->bytes(), QByteArray("2"));
        QCOMPARE(run({ "ZCARD", "sb:presence:leases" })->toInteger(), 2);

        // `dead` renews no more. Within its lease (and not before) `alive` reaps it: alice's
        // whole count goes and she is reported offline; bob keeps alive's connection.
        QElapsedTimer clock;
        clock.start();
        const PresenceChanges changes = renewUntilChanged(alive, (kLeaseSeconds + 3) * 1000);
        QCOMPARE(changes.wentOffline, QStringList { QStringLiteral("alice") });
        QVERIFY(changes.cameOnline.isEmpty());
        QVERIFY2(
            clock.elapsed() >= kLeaseSeconds * 1000 - 300, QByteArray::number(clock.elapsed()).constData());
        QCOMPARE(total("alice"), 0);
        QCOMPARE(run({ "HEXISTS", "sb:presence", "alice" })->toInteger(), 0);
        QCOMPARE(total("bob"), 1);
        QCOMPARE(run({ "EXISTS", "sb:presence:held:node-a-1" })->toInteger(), 0);
        QCOMPARE(run({ "ZSCORE", "sb:presence:leases", "node-a-1" })->isNil(), true);

        // Reaped once: another holder's renewals find nothing more to report.
        const PresenceChanges again = renewUntilChanged(other, 1200); // less than alive's lease
        QVERIFY(again.isEmpty());
        QCOMPARE(total("bob"), 1);
    }

    void closeOfAReapedCountUncountsNobodyElse()
    {
        RedisPresenceCounter cutOff(m_redis, RedisKeys(), "node-a-2", kLeaseSeconds);
        RedisPresenceCounter alive(m_redis, RedisKeys(), "node-b-2", kLeaseSeconds);
        QCOMPARE(changeAndWait(cutOff, QStringLiteral("carol"), +1), 1);
        QCOMPARE(changeAndWait(alive, QStringLiteral("carol"), +1), 2);
        QVERIFY(renewUntilChanged(alive, (kLeaseSeconds + 3) * 1000)
                    .isEmpty()); // carol is still online via `alive`
        QCOMPARE(total("carol"), 1);
        // cutOff's connection closes after its count was reaped: nothing changes, so the
        // connection `alive` holds is still counted and no event is due.
        QCOMPARE(changeAndWait(cutOff, QStringLiteral("carol"), -1), PresenceCounter::kUnchanged);
        QCOMPARE(total("carol"), 1);
    }

    void holderReapedWhileAliveGetsItsCountsBack()
    {
        RedisPresenceCounter cutOff(m_redis, RedisKeys(), "node-a-3", kLeaseSeconds);
        RedisPresenceCounter reaper(m_redis, RedisKeys(), "node-b-3", kLeaseSeconds);
        QVERIFY(renewUntilChanged(cutOff, 300).isEmpty()); // it has renewed once: its lease is known
        QCOMPARE(changeAndWait(cutOff, QStringLiteral("dave"), +1), 1);
        QCOMPARE(renewUntilChanged(reaper, (kLeaseSeconds + 3) * 1000).wentOffline,
            QStringList { QStringLiteral("dave") });
        QCOMPARE(total("dave"), 0);
        // cutOff is back: its renewals notice the lost lease and put dave's count back.
        const PresenceChanges back = renewUntilChanged(cutOff, 3000);
        QCOMPARE(back.cameOnline, QStringList { QStringLiteral("dave") });
        QCOMPARE(total("dave"), 1);
        QCOMPARE(run({ "HGET", "sb:presence:held:node-a-3", "dave" })->bytes(), QByteArray("1"));
        QCOMPARE(changeAndWait(cutOff, QStringLiteral("dave"), -1), 0);
    }
};

SB_TEST_GUILESS_MAIN(TestRedisPresenceLease)
#include "tst_redispresencelease.moc"
