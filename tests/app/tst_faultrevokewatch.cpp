// The revoke action's watch (issue 13: "each action shows its effect"): observed only once
// every session the user held before the event is closed and every token revoked, as the
// replicas' records in Redis say; a session still open at the deadline is named. The
// records and the event's delivery are stand-ins the test drives; the readings answer later,
// from the event loop, as FaultSessionReader's do.
#include "app/FaultEventLog.h"
#include "app/FaultRevokeWatch.h"
#include "support/TestMain.h"

#include <QPointer>
#include <QScopeGuard>
#include <QTest>
#include <QTimer>

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
        return [this](const QString &, const QStringList &asked, QObject *context,
                   FaultSessionReader::Done done) {
            ++reads;
            FaultSessionReader::Reading reading;
            reading.ok = true;
            reading.sessions = sessions;
            reading.indexedTokens = tokens;
            reading.nodeStartedMs = nodeStartedMs;
            for (const QString &jti : asked)
                if (tokens.contains(jti))
                    reading.liveTokens << jti;
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

    RevokeUnderTest()
    {
        watcher.setPollMs(20);
        records.sessions.insert(QStringLiteral("s-1"), { QStringLiteral("node-1"), 1000 });
        records.sessions.insert(QStringLiteral("s-2"), { QStringLiteral("node-2"), 1000 });
        records.tokens = QStringList { QStringLiteral("jti-1"), QStringLiteral("jti-2") };
    }
    // Starts the watch on `watch` with `deadlineMs`; the event is "sent" and waits for delivered().
    void start(QObject *watch, int deadlineMs)
    {
        watcher.revoke(id, watch, deadlineMs, QStringLiteral("ada"),
            [this](FaultRevokeWatch::Delivered done) { delivered = std::move(done); });
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
        QPointer<QObject> watch = new QObject;
        const auto endWatch = qScopeGuard([&watch] { delete watch.data(); });
        t.start(watch, 60000);
        // The records are read before the event goes: what ada held then is what must go.
        QTRY_VERIFY_WITH_TIMEOUT(bool(t.delivered), 10000);
        QVERIFY2(
            t.effect().contains(QStringLiteral("before: 2 live session(s) of ada (node-1: 1, node-2: 1), "
                                               "2 token(s)")),
            qPrintable(t.effect()));
        t.delivered(QString());
        // node-1 closed its session and the tokens are gone; node-2 still holds s-2, and ada
        // logged in again on node-3 (a new session, not waited for).
        t.records.sessions.remove(QStringLiteral("s-1"));
        t.records.tokens.clear();
        t.records.sessions.insert(QStringLiteral("s-9"), { QStringLiteral("node-3"), 5000 });
        const int readsBefore = t.records.reads;
        // Five readings later (or the watch ended, which it must not have).
        QTRY_VERIFY_WITH_TIMEOUT(
            t.records.reads >= readsBefore + 5 || t.state() != FaultEventLog::EffectState::Watching, 10000);
        QCOMPARE(t.state(), FaultEventLog::EffectState::Watching);
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
        QPointer<QObject> watch = new QObject;
        const auto endWatch = qScopeGuard([&watch] { delete watch.data(); });
        t.start(watch, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(bool(t.delivered), 10000);
        t.delivered(QString());
        t.records.sessions.clear();
        t.records.tokens = QStringList { QStringLiteral("jti-2") };
        const int readsBefore = t.records.reads;
        // Five readings later (or the watch ended, which it must not have).
        QTRY_VERIFY_WITH_TIMEOUT(
            t.records.reads >= readsBefore + 5 || t.state() != FaultEventLog::EffectState::Watching, 10000);
        QCOMPARE(t.state(), FaultEventLog::EffectState::Watching);
        t.records.tokens.clear();
        QTRY_COMPARE_WITH_TIMEOUT(t.state(), FaultEventLog::EffectState::Observed, 10000);
    }

    // Nothing changes: at the deadline the event says what is still open, by session and replica.
    void whatIsStillOpenAtTheDeadlineIsNamed()
    {
        RevokeUnderTest t;
        QPointer<QObject> watch = new QObject;
        const auto endWatch = qScopeGuard([&watch] { delete watch.data(); });
        t.start(watch, 1500);
        QTRY_VERIFY_WITH_TIMEOUT(bool(t.delivered), 10000);
        t.delivered(QString());
        t.records.sessions.remove(QStringLiteral("s-1"));
        QTRY_COMPARE_WITH_TIMEOUT(t.state(), FaultEventLog::EffectState::NotObserved, 10000);
        QVERIFY2(t.effect().contains(QStringLiteral("still open after 1 s: 1 of 2 session(s) of ada (s-2 on "
                                                    "node-2); 2 of 2 token(s) not revoked")),
            qPrintable(t.effect()));
        QTRY_VERIFY(watch.isNull()); // the watch ended with it
    }

    // A session whose replica is not running, or that an earlier run of its replica left
    // (killed, then started again: the key waits for its TTL), is not held any more.
    void sessionsOfAStoppedOrRestartedReplicaHaveEnded()
    {
        RevokeUnderTest t;
        t.records.sessions.insert(QStringLiteral("s-3"), { QStringLiteral("node-3"), 1000 });
        t.records.nodeStartedMs.insert(QStringLiteral("node-1"), 2000); // s-1 began before this run
        t.running.remove(QStringLiteral("node-3"));
        QPointer<QObject> watch = new QObject;
        const auto endWatch = qScopeGuard([&watch] { delete watch.data(); });
        t.start(watch, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(bool(t.delivered), 10000);
        t.delivered(QString());
        t.records.tokens.clear();
        const int readsBefore = t.records.reads;
        // Five readings later (or the watch ended, which it must not have).
        QTRY_VERIFY_WITH_TIMEOUT(
            t.records.reads >= readsBefore + 5 || t.state() != FaultEventLog::EffectState::Watching, 10000);
        QCOMPARE(t.state(), FaultEventLog::EffectState::Watching); // s-2 is node-2's, running
        t.records.sessions.remove(QStringLiteral("s-2"));
        QTRY_COMPARE_WITH_TIMEOUT(t.state(), FaultEventLog::EffectState::Observed, 10000);
        QVERIFY2(t.effect().contains(QStringLiteral("3 session(s) of ada closed")), qPrintable(t.effect()));
    }

    void anEventNotDeliveredIsNotObserved()
    {
        RevokeUnderTest t;
        QPointer<QObject> watch = new QObject;
        const auto endWatch = qScopeGuard([&watch] { delete watch.data(); });
        t.start(watch, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(bool(t.delivered), 10000);
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
        QPointer<QObject> watch = new QObject;
        const auto endWatch = qScopeGuard([&watch] { delete watch.data(); });
        t.start(watch, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(bool(t.delivered), 10000);
        t.delivered(QString());
        QTRY_COMPARE_WITH_TIMEOUT(t.state(), FaultEventLog::EffectState::Observed, 10000);
        QVERIFY2(t.effect().contains(QStringLiteral("no live session of ada to close; 0 token(s) revoked")),
            qPrintable(t.effect()));
    }
};

SB_TEST_GUILESS_MAIN(TestFaultRevokeWatch)
#include "tst_faultrevokewatch.moc"
