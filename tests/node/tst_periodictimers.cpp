// PeriodicTimers, the worker's one QTimer for every session's heart-beat ticks: each callback
// at its period (never earlier than its slack allows), stopped ones never again — also when
// stopped from a callback, its own or another's — and started ones from inside a tick.

#include "node/PeriodicTimers.h"
#include "support/TestMain.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <memory>
#include <vector>

using sb::node::PeriodicTimers;

namespace {
constexpr qint64 kPeriodMs = 40;
constexpr int kDeadlineMs = 10000;
} // namespace

class TestPeriodicTimers : public QObject
{
    Q_OBJECT
private slots:
    void eachRunsAtItsPeriodNeverEarlierThanItsSlack()
    {
        // The price of shared wake-ups, as documented: 1/16 of the period, at most 50 ms.
        QCOMPARE(PeriodicTimers::slackMs(kPeriodMs), kPeriodMs / 16);
        QCOMPARE(PeriodicTimers::slackMs(10000), qint64(50));
        PeriodicTimers timers;
        struct Clock
        {
            QElapsedTimer sinceLast;
            QList<qint64> gapsMs;
        };
        std::vector<std::unique_ptr<Clock>> clocks;
        for (const qint64 period : { kPeriodMs, kPeriodMs, 3 * kPeriodMs }) {
            auto clock = std::make_unique<Clock>();
            clock->sinceLast.start();
            Clock *raw = clock.get();
            timers.start(period, [raw] { raw->gapsMs << raw->sinceLast.restart(); });
            clocks.push_back(std::move(clock));
        }
        QCOMPARE(timers.size(), 3);
        QTRY_VERIFY_WITH_TIMEOUT(clocks[2]->gapsMs.size() >= 4, kDeadlineMs);
        const qint64 periods[] = { kPeriodMs, kPeriodMs, 3 * kPeriodMs };
        for (std::size_t i = 0; i < clocks.size(); ++i) {
            QVERIFY(clocks[i]->gapsMs.size() >= 4);
            for (const qint64 gap : std::as_const(clocks[i]->gapsMs))
                QVERIFY2(gap >= periods[i] - PeriodicTimers::slackMs(periods[i]) - 1,
                    qPrintable(QStringLiteral("clock %1: a gap of %2 ms").arg(i).arg(gap)));
        }
    }

    void aStoppedCallbackNeverRunsAgain()
    {
        PeriodicTimers timers;
        int stopped = 0;
        int witness = 0;
        const PeriodicTimers::Id id = timers.start(kPeriodMs, [&] { ++stopped; });
        timers.start(kPeriodMs, [&] { ++witness; });
        QTRY_VERIFY_WITH_TIMEOUT(stopped >= 2, kDeadlineMs);
        timers.stop(id);
        timers.stop(id); // twice: ignored
        timers.stop(0); // "none": ignored
        const int atStop = stopped;
        const int witnessAtStop = witness;
        QTRY_VERIFY_WITH_TIMEOUT(witness >= witnessAtStop + 5, kDeadlineMs);
        QCOMPARE(stopped, atStop);
        QCOMPARE(timers.size(), 1);
    }

    void aCallbackMayStopItselfOrAnother()
    {
        PeriodicTimers timers;
        int self = 0;
        int other = 0;
        int witness = 0;
        PeriodicTimers::Id selfId = 0;
        PeriodicTimers::Id otherId = 0;
        // Queued in this order with one period: the stopper runs before its victim each tick.
        selfId = timers.start(kPeriodMs, [&] {
            if (++self == 3) {
                timers.stop(selfId); // the callback running now: it must finish safely
                timers.stop(otherId);
            }
        });
        otherId = timers.start(kPeriodMs, [&] { ++other; });
        timers.start(kPeriodMs, [&] { ++witness; });
        QTRY_VERIFY_WITH_TIMEOUT(self == 3, kDeadlineMs);
        const int otherAtStop = other;
        const int witnessAtStop = witness;
        QTRY_VERIFY_WITH_TIMEOUT(witness >= witnessAtStop + 5, kDeadlineMs);
        QCOMPARE(self, 3);
        QCOMPARE(other, otherAtStop);
        QVERIFY(otherAtStop <= 2); // stopped before its third tick came
    }

    void aCallbackMayStartAnother()
    {
        PeriodicTimers timers;
        int started = 0;
        PeriodicTimers::Id starter = 0;
        starter = timers.start(kPeriodMs, [&] {
            timers.start(2 * kPeriodMs, [&] { ++started; }); // a period with no queue yet
            timers.stop(starter);
        });
        QTRY_VERIFY_WITH_TIMEOUT(started >= 3, kDeadlineMs);
        QCOMPARE(timers.size(), 1);
    }

    void manyCallbacksOfOnePeriodAllRun()
    {
        // A worker's crowd of sessions: every one ticks, each tick shares its wake-up.
        PeriodicTimers timers;
        constexpr int kCallbacks = 5000;
        std::vector<int> runs(kCallbacks, 0);
        for (int i = 0; i < kCallbacks; ++i)
            timers.start(kPeriodMs, [&runs, i] { ++runs[std::size_t(i)]; });
        QTRY_VERIFY_WITH_TIMEOUT(*std::min_element(runs.begin(), runs.end()) >= 3, kDeadlineMs);
    }

    void itTicksOnTheThreadItWasMovedTo()
    {
        // As a worker's: made on the node's thread, moved to the worker's with its parent.
        QObject worker;
        auto *timers = new PeriodicTimers(&worker);
        QThread thread;
        worker.moveToThread(&thread);
        thread.start();
        std::atomic<int> runs { 0 };
        std::atomic<bool> onItsThread { true };
        QMetaObject::invokeMethod(timers, [&, timers] {
            timers->start(kPeriodMs, [&] {
                onItsThread = onItsThread && QThread::currentThread() == &thread;
                ++runs;
            });
        });
        QTRY_VERIFY_WITH_TIMEOUT(runs >= 3, kDeadlineMs);
        QVERIFY(onItsThread);
        QMetaObject::invokeMethod(
            &worker, [&worker] { worker.moveToThread(QCoreApplication::instance()->thread()); },
            Qt::BlockingQueuedConnection);
        thread.quit();
        QVERIFY(thread.wait(kDeadlineMs));
    }

    void theDestructorStopsEverything()
    {
        int runs = 0;
        {
            PeriodicTimers timers;
            timers.start(1, [&] { ++runs; });
            QTRY_VERIFY_WITH_TIMEOUT(runs >= 1, kDeadlineMs);
        }
        const int atEnd = runs;
        QCoreApplication::processEvents(); // what was posted for the timer finds nothing
        QCOMPARE(runs, atEnd);
    }
};

SB_TEST_GUILESS_MAIN(TestPeriodicTimers)
#include "tst_periodictimers.moc"
