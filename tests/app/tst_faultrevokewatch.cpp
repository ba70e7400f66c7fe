// The revoke action's watch (issue 13: "each action shows its effect"): observed only once
// every session the user held before the event is closed and every token revoked, as the
// replicas' records in Redis say; a session still open at the deadline is named. The
// records and the event's delivery are stand-ins the test drives; the readings answer later,
// from the event loop, as FaultSessionReader's do. FaultSessionReader itself is read on a
// real redis-server and on one that never answers.
#include "app/FaultEventLog.h"
#include "app/FaultRevokeWatch.h"
#include "support/RedisSeeder.h"
#include "support/RedisServerProcess.h"
#include "support/TestMain.h"

#include <QPointer>
#include <QTcpServer>
#include <QTest>
#include <QTimer>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using sb::app::FaultEventLog;
using sb::app::FaultRevokeWatch;
using sb::app::FaultSessionReader;

namespace {

// What Redis holds for the user now; each reading copies it at the moment it is asked.
struct RevokeStandInRecords
{
    QHash<QString, FaultSessionReader::Session> sessions;
    QStringList tokens; // in the registry
    QHash<QString, qint64> nodeStartedMs;
    int reads = 0;

    FaultRevokeWatch::SessionRead reader()
    {
        return [this](const QString &, QObject *context, FaultSessionReader::Done done) {
            ++reads;
            FaultSessionReader::Reading reading;
            reading.ok = true;
            reading.sessions = sessions;
            reading.tokens = tokens;
            reading.nodeStartedMs = nodeStartedMs;
            QTimer::singleShot(0, context, [done = std::move(done), reading] { done(reading); });
        };
    }
};

struct RevokeUnderTest
{
    FaultEventLog log;
    RevokeStandInRecords records;
    QSet<QString> running { QStringLiteral("node-1"), QStringLiteral("node-2"), QStringLiteral("node-3") };
    FaultRevokeWatch watcher { &log, [this] { return running; }, records.reader() };
    FaultRevokeWatch::Delivered delivered; // set once the watch sent the event
    int id = log.add(QStringLiteral("revoke"), {}, true, QStringLiteral("RoleUpdatedEvent"));
    QPointer<QObject> watch; // the event's watch, ended by the watcher or at the end of the test

    RevokeUnderTest()
    {
        watcher.setPollMs(20);
        records.sessions.insert(QStringLiteral("s-1"), { QStringLiteral("node-1"), 1000 });
        records.sessions.insert(QStringLiteral("s-2"), { QStringLiteral("node-2"), 1000 });
        records.tokens = QStringList { QStringLiteral("jti-1"), QStringLiteral("jti-2") };
    }
    ~RevokeUnderTest() { delete watch.data(); }
    // Starts the watch with `deadlineMs` for ada; true once it has read the records and sent
    // the event, which then waits for delivered().
    bool startUntilSent(int deadlineMs = 60000)
    {
        watch = new QObject;
        watcher.revoke(id, watch, deadlineMs, QStringLiteral("ada"),
            [this](FaultRevokeWatch::Delivered done) { delivered = std::move(done); });
        return QTest::qWaitFor([this] { return bool(delivered); }, 10000);
    }
    // True when five more readings came and the watch is still watching (it must not end).
    bool watchingFiveReadingsLater()
    {
        const int readsBefore = records.reads;
        return QTest::qWaitFor(
                   [&] {
                       return records.reads >= readsBefore + 5
                           || state() != FaultEventLog::EffectState::Watching;
                   },
                   10000)
            && state() == FaultEventLog::EffectState::Watching;
    }
    FaultEventLog::EffectState state() const { return log.eventWithId(id)->effectState; }
    QString effect() const { return log.eventWithId(id)->effect.join(u'|'); }
};

} // namespace

class TestFaultRevokeWatch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void observedOnlyOnceEverySessionIsClosedAndEveryTokenRevoked()
    {
        RevokeUnderTest t;
        // The records are read before the event goes: what ada held then is what must go.
        QVERIFY(t.startUntilSent());
        QVERIFY2(
            t.effect().contains(QStringLiteral("before: 2 live session(s) of ada (node-1: 1, node-2: 1), "
                                               "2 token(s)")),
            qPrintable(t.effect()));
        t.delivered(QString());
        // node-1 closed its session and the tokens are gone; node-2 still holds s-2, and ada
        // logged in again on node-3 (a new session and token, not waited for).
        t.records.sessions.remove(QStringLiteral("s-1"));
        t.records.tokens = QStringList { QStringLiteral("jti-9") };
        t.records.sessions.insert(QStringLiteral("s-9"), { QStringLiteral("node-3"), 5000 });
        QVERIFY2(t.watchingFiveReadingsLater(), qPrintable(t.effect()));
        t.records.sessions.remove(QStringLiteral("s-2"));
        QTRY_COMPARE_WITH_TIMEOUT(t.state(), FaultEventLog::EffectState::Observed, 10000);
        QVERIFY2(t.effect().contains(
                     QStringLiteral("2 session(s) of ada closed (node-1: 1, node-2: 1); 2 token(s) "
                                    "revoked; 1 new session(s) since (logged in again)")),
            qPrintable(t.effect()));
    }

    void aTokenStillValidKeepsItWatching()
    {
        RevokeUnderTest t;
        QVERIFY(t.startUntilSent());
        t.delivered(QString());
        t.records.sessions.clear();
        t.records.tokens = QStringList { QStringLiteral("jti-2") };
        QVERIFY2(t.watchingFiveReadingsLater(), qPrintable(t.effect()));
        t.records.tokens.clear();
        QTRY_COMPARE_WITH_TIMEOUT(t.state(), FaultEventLog::EffectState::Observed, 10000);
    }

    // Nothing changes: at the deadline the event says what is still open, by session and replica.
    void whatIsStillOpenAtTheDeadlineIsNamed()
    {
        RevokeUnderTest t;
        QVERIFY(t.startUntilSent(1500));
        t.delivered(QString());
        t.records.sessions.remove(QStringLiteral("s-1"));
        QTRY_COMPARE_WITH_TIMEOUT(t.state(), FaultEventLog::EffectState::NotObserved, 10000);
        QVERIFY2(t.effect().contains(QStringLiteral("still open after 1 s: 1 of 2 session(s) of ada (s-2 on "
                                                    "node-2); 2 of 2 token(s) not revoked")),
            qPrintable(t.effect()));
        QTRY_VERIFY(t.watch.isNull()); // the watch ended with it
    }

    // A session whose replica is not running, or that an earlier run of its replica left
    // (killed, then started again: the key waits for its TTL), is not held any more.
    void sessionsOfAStoppedOrRestartedReplicaHaveEnded()
    {
        RevokeUnderTest t;
        t.records.sessions.insert(QStringLiteral("s-3"), { QStringLiteral("node-3"), 1000 });
        t.records.nodeStartedMs.insert(QStringLiteral("node-1"), 2000); // s-1 began before this run
        t.running.remove(QStringLiteral("node-3"));
        QVERIFY(t.startUntilSent());
        t.delivered(QString());
        t.records.tokens.clear();
        QVERIFY2(t.watchingFiveReadingsLater(), qPrintable(t.effect())); // s-2 is node-2's, running
        t.records.sessions.remove(QStringLiteral("s-2"));
        QTRY_COMPARE_WITH_TIMEOUT(t.state(), FaultEventLog::EffectState::Observed, 10000);
        QVERIFY2(t.effect().contains(QStringLiteral("3 session(s) of ada closed")), qPrintable(t.effect()));
    }

    void anEventNotDeliveredIsNotObserved()
    {
        RevokeUnderTest t;
        QVERIFY(t.startUntilSent());
        t.records.sessions.clear(); // closed for another reason: still not the event's effect
        t.delivered(QStringLiteral("Local: Message timed out"));
        QCOMPARE(t.state(), FaultEventLog::EffectState::NotObserved);
        QVERIFY2(t.effect().contains(QStringLiteral("not delivered: Local: Message timed out")),
            qPrintable(t.effect()));
    }

    void aUserWithNothingOpenIsSaidSo()
    {
        RevokeUnderTest t;
        t.records.sessions.clear();
        t.records.tokens.clear();
        QVERIFY(t.startUntilSent());
        t.delivered(QString());
        QTRY_COMPARE_WITH_TIMEOUT(t.state(), FaultEventLog::EffectState::Observed, 10000);
        QVERIFY2(t.effect().contains(QStringLiteral("no live session of ada to close; 0 token(s) revoked")),
            qPrintable(t.effect()));
    }

    // FaultSessionReader on a real Redis holding what replicas write: ada's sessions and
    // tokens (not bob's) and the start of her replica's run. A session key whose fields
    // cannot be read (not a hash: HMGET answers WRONGTYPE) fails the reading rather than
    // reading as a session of nobody, which the watch would take for one closed.
    void theReaderReadsTheUsersRecordsFromRedis()
    {
        sb::testing::RedisServerProcess redis;
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        sb::testing::RedisSeeder seed;
        seed.add({ "HSET", "sb:session:s-1", "user", "ada", "node", "node-1", "since", "1700000000123" });
        seed.add({ "HSET", "sb:session:s-2", "user", "bob", "node", "node-2", "since", "1700000000456" });
        seed.add({ "SET", "sb:token:jti-1", "ada" });
        seed.add({ "SET", "sb:token:jti-2", "bob" });
        seed.add({ "HSET", "sb:node:node-1", "started", "1700000000000" });
        QString error;
        QVERIFY2(seed.run(redis.port(), &error), qPrintable(error));
        FaultSessionReader reader([&redis] { return u"redis://127.0.0.1:%1"_s.arg(redis.port()); });
        QObject context;
        auto readAda = [&reader, &context] {
            auto answer = std::make_shared<std::optional<FaultSessionReader::Reading>>();
            reader.read(u"ada"_s, &context, [answer](const FaultSessionReader::Reading &r) { *answer = r; });
            return QTest::qWaitFor([answer] { return answer->has_value(); }, 5000)
                ? *answer
                : std::optional<FaultSessionReader::Reading>();
        };
        std::optional<FaultSessionReader::Reading> ada;
        // "not connected" until the connection is up, as the watch's first reads may be.
        QVERIFY(QTest::qWaitFor([&] { return (ada = readAda()) && ada->ok; }, 10000));
        QCOMPARE(ada->sessions.keys(), QList<QString> { u"s-1"_s });
        QCOMPARE(ada->sessions.value(u"s-1"_s).node, u"node-1"_s);
        QCOMPARE(ada->sessions.value(u"s-1"_s).sinceMs, Q_INT64_C(1700000000123));
        QCOMPARE(ada->tokens, QStringList { u"jti-1"_s });
        QCOMPARE(ada->nodeStartedMs.value(u"node-1"_s, -1), Q_INT64_C(1700000000000));

        seed.add({ "SET", "sb:session:s-3", "not a hash" });
        QVERIFY2(seed.run(redis.port(), &error), qPrintable(error));
        ada = readAda();
        QVERIFY(ada.has_value());
        QVERIFY(!ada->ok);
        QVERIFY2(ada->error.contains(u"WRONGTYPE"_s), qPrintable(ada->error));
    }

    // Before its connection is up (a Redis that accepts and never answers), a read is answered
    // at once with why, not when the connection comes: the watch's first reads count on it.
    void aReadBeforeTheConnectionIsAnsweredAtOnce()
    {
        QTcpServer silentRedis;
        QVERIFY(silentRedis.listen(QHostAddress::LocalHost, 0));
        FaultSessionReader reader(
            [&silentRedis] { return u"redis://127.0.0.1:%1"_s.arg(silentRedis.serverPort()); });
        QObject context;
        std::optional<FaultSessionReader::Reading> answer;
        reader.read(u"ada"_s, &context, [&answer](const FaultSessionReader::Reading &r) { answer = r; });
        QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 5000);
        QVERIFY(!answer->ok);
        QVERIFY2(answer->error.contains(u"not connected"_s), qPrintable(answer->error));
    }
};

SB_TEST_GUILESS_MAIN(TestFaultRevokeWatch)
#include "tst_faultrevokewatch.moc"
