// pause-stage1's lag watch: growth is measured from a reading taken as the pause requests go
// out, not from the first one after they answer (under load the logins and POSTs take
// seconds, and a short pause whose lag had grown by then was never seen growing). The
// replicas' answers and the lag readings are stand-ins the test drives; the readings answer
// later, from the event loop, as FaultOffsetReader's do.
#include "app/FaultEventLog.h"
#include "app/FaultStage1Action.h"
#include "support/TestMain.h"

#include <QCoreApplication>
#include <QPointer>
#include <QScopeGuard>
#include <QTest>
#include <QTimer>

#include <memory>

using sb::app::FaultEventLog;
using sb::app::FaultStage1Action;

namespace {

// The lag Kafka would report now; each reading takes the value at the moment it is asked.
struct StandInLag
{
    qint64 now = 0;
    bool failing = false; // readings answer -1 (Kafka unreachable)
    int reads = 0;
    int answered = 0; // readings handed back (and judged) so far

    FaultStage1Action::LagRead reader()
    {
        return [this](QObject *context, FaultStage1Action::LagAnswer done) {
            ++reads;
            const qint64 value = failing ? -1 : now;
            QTimer::singleShot(0, context, [this, done = std::move(done), value] {
                done(value, value < 0 ? QStringLiteral("unreachable") : QString());
                ++answered;
            });
        };
    }
};

const QHash<QString, QString> kReplicas { { QStringLiteral("node-1"), QStringLiteral("http://127.0.0.1:9") },
    { QStringLiteral("node-2"), QStringLiteral("http://127.0.0.1:10") } };

} // namespace

class TestFaultStage1Action : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shortPauseIsSeenGrowingFromTheMomentOfThePause()
    {
        FaultEventLog log;
        FaultStage1Action action(&log, QStringLiteral("admin"), QStringLiteral("secret"));
        FaultStage1Action::Failures none;
        std::function<void(const FaultStage1Action::Failures &)> answer;
        action.setLever([&answer](const QHash<QString, QString> &, bool pause, QObject *,
                            std::function<void(const FaultStage1Action::Failures &)> done) {
            QVERIFY(pause);
            answer = std::move(done);
        });
        StandInLag lag;
        const int id = log.add(QStringLiteral("pause-stage1"), {}, true, QStringLiteral("POST"));
        // The watch ends before the action (a failed check returns early too): its timers
        // and readings go with it.
        QPointer<QObject> watch = new QObject;
        const auto endWatch = qScopeGuard([&watch] { delete watch.data(); });
        action.apply(id, watch, kReplicas, true, QByteArrayLiteral("demo-notifications"), lag.reader());
        QVERIFY(answer);
        // The requests are slow (a loaded machine), and by the time they answer the lag has grown, and grows
        // no more (the pause is short: the resume comes before the next poll would show more).
        lag.now = FaultStage1Action::kPausedLagSeen + 2;
        answer(none);
        QTRY_COMPARE_WITH_TIMEOUT(
            log.eventWithId(id)->effectState, FaultEventLog::EffectState::Observed, 10000);
        const QString effect = log.eventWithId(id)->effect.join(u'|');
        QVERIFY2(effect.contains(QStringLiteral("2 of 2 replica(s) paused")), qPrintable(effect));
        QVERIFY2(effect.contains(QStringLiteral("lag grew to %1 (from 0)").arg(lag.now)), qPrintable(effect));
        QVERIFY2(effect.contains(QStringLiteral("after the pause")), qPrintable(effect));
    }

    void baselineThatFailedIsTheFirstReadingAfter()
    {
        FaultEventLog log;
        FaultStage1Action action(&log, QStringLiteral("admin"), QStringLiteral("secret"));
        std::function<void(const FaultStage1Action::Failures &)> answer;
        action.setLever(
            [&answer](const QHash<QString, QString> &, bool, QObject *,
                std::function<void(const FaultStage1Action::Failures &)> done) { answer = std::move(done); });
        StandInLag lag;
        lag.failing = true;
        const int id = log.add(QStringLiteral("pause-stage1"), {}, true, QStringLiteral("POST"));
        // The watch ends before the action (a failed check returns early too): its timers
        // and readings go with it.
        QPointer<QObject> watch = new QObject;
        const auto endWatch = qScopeGuard([&watch] { delete watch.data(); });
        action.apply(id, watch, kReplicas, true, QByteArrayLiteral("demo-notifications"), lag.reader());
        lag.failing = false;
        lag.now = 12;
        answer({});
        // The first reading after the answers is the baseline now: 12 is not growth...
        QTRY_VERIFY_WITH_TIMEOUT(lag.answered >= 2, 5000);
        QCOMPARE(log.eventWithId(id)->effectState, FaultEventLog::EffectState::Watching);
        // ...15 is.
        lag.now = 15;
        QTRY_COMPARE_WITH_TIMEOUT(
            log.eventWithId(id)->effectState, FaultEventLog::EffectState::Observed, 10000);
        const QString effect = log.eventWithId(id)->effect.join(u'|');
        QVERIFY2(effect.contains(QStringLiteral("lag grew to 15 (from 12)")), qPrintable(effect));
    }

    void watchEndedDropsThePendingReadings()
    {
        FaultEventLog log;
        FaultStage1Action action(&log, QStringLiteral("admin"), QStringLiteral("secret"));
        std::function<void(const FaultStage1Action::Failures &)> answer;
        action.setLever(
            [&answer](const QHash<QString, QString> &, bool, QObject *,
                std::function<void(const FaultStage1Action::Failures &)> done) { answer = std::move(done); });
        StandInLag lag;
        const int id = log.add(QStringLiteral("pause-stage1"), {}, true, QStringLiteral("POST"));
        // The watch ends before the action (a failed check returns early too): its timers
        // and readings go with it.
        QPointer<QObject> watch = new QObject;
        const auto endWatch = qScopeGuard([&watch] { delete watch.data(); });
        action.apply(id, watch, kReplicas, true, QByteArrayLiteral("demo-notifications"), lag.reader());
        delete watch.data(); // the deadline passed: its baseline reading is dropped, never answered
        lag.now = 50;
        answer({}); // a late answer finds no watch
        QCoreApplication::processEvents();
        QCOMPARE(lag.reads, 1);
        QCOMPARE(log.eventWithId(id)->effectState, FaultEventLog::EffectState::Watching);
    }
};

SB_TEST_GUILESS_MAIN(TestFaultStage1Action)
#include "tst_faultstage1action.moc"
