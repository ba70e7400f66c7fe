#include "inspect/BurrowEvaluator.h"
#include "inspect/LagTracker.h"
#include "support/TestMain.h"

#include <QTest>

using namespace sb::inspect;

namespace {

const QString G = QStringLiteral("g");
const QString T = QStringLiteral("t");

// A window from (offset, lag) pairs, one commit every `stepMs` starting at t = 0.
QList<LagObservation> window(const QList<QPair<qint64, qint64>> &commits, qint64 stepMs = 10000)
{
    QList<LagObservation> out;
    qint64 at = 0;
    for (const auto &[offset, lag] : commits) {
        out.append({ offset, lag, at });
        at += stepMs;
    }
    return out;
}

} // namespace

// Burrow's evaluation rules (linkedin/Burrow wiki, "Consumer Lag Evaluation Rules"), one
// case per rule, plus the group roll-up and the tracker that feeds the windows.
class TestBurrowEvaluator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyWindowIsNotFound()
    {
        const auto v = BurrowEvaluator::evaluatePartition({}, 5, 100, 0);
        QCOMPARE(v.status, BurrowStatus::NotFound);
        QVERIFY(!v.reason.isEmpty());
    }

    void noCurrentLagIsOk()
    {
        // Offsets stuck and an old last commit, but the consumer is caught up: never an error.
        const auto w = window({ { 100, 0 }, { 100, 0 }, { 100, 0 } });
        const auto v = BurrowEvaluator::evaluatePartition(w, 0, 100, 1000000);
        QCOMPARE(v.status, BurrowStatus::Ok);
        QVERIFY2(v.reason.contains(u"caught up"), qPrintable(v.reason));
    }

    void unknownLogEndIsOk()
    {
        const auto v
            = BurrowEvaluator::evaluatePartition(window({ { 10, -1 }, { 10, -1 } }), -1, -1, 1000000);
        QCOMPARE(v.status, BurrowStatus::Ok);
    }

    void zeroLagInWindowIsOk()
    {
        // Lag grows, but it was zero at the first commit: Burrow's rule 1.
        const auto w = window({ { 10, 0 }, { 20, 5 }, { 30, 9 } });
        const auto v = BurrowEvaluator::evaluatePartition(w, 9, 39, 20000);
        QCOMPARE(v.status, BurrowStatus::Ok);
        QVERIFY2(v.reason.contains(u"zero"), qPrintable(v.reason));
    }

    void stalledOffsetsAreStall()
    {
        // Committing, lag growing, offset not moving: rule 2.
        const auto w = window({ { 50, 10 }, { 50, 20 }, { 50, 30 }, { 50, 40 } });
        const auto v = BurrowEvaluator::evaluatePartition(w, 40, 90, 31000);
        QCOMPARE(v.status, BurrowStatus::Stall);
        QVERIFY2(v.reason.contains(u"stuck at 50"), qPrintable(v.reason));
    }

    void lagNotDecreasingIsWarn()
    {
        // Offsets move, lag fixed or growing: rule 3.
        const auto w = window({ { 10, 5 }, { 20, 5 }, { 30, 8 }, { 40, 12 } });
        const auto v = BurrowEvaluator::evaluatePartition(w, 12, 52, 31000);
        QCOMPARE(v.status, BurrowStatus::Warn);
        QVERIFY2(v.reason.contains(u"5 → 12"), qPrintable(v.reason));
    }

    void lagDecreasingSomewhereIsOk()
    {
        const auto w = window({ { 10, 9 }, { 20, 12 }, { 30, 7 }, { 40, 8 } });
        QCOMPARE(BurrowEvaluator::evaluatePartition(w, 8, 48, 31000).status, BurrowStatus::Ok);
    }

    void quietLongerThanWindowIsStop()
    {
        // Window spans 30 s; the last commit is 31 s old and the consumer is behind: rule 4.
        const auto w = window({ { 10, 5 }, { 20, 4 }, { 30, 3 }, { 40, 2 } });
        const auto v = BurrowEvaluator::evaluatePartition(w, 20, 60, 30000 + 31000);
        QCOMPARE(v.status, BurrowStatus::Stop);
        QVERIFY2(v.reason.contains(u"no commit for 31 s"), qPrintable(v.reason));
        // Exactly as long as the window: not yet.
        QCOMPARE(BurrowEvaluator::evaluatePartition(w, 20, 60, 30000 + 30000).status, BurrowStatus::Ok);
    }

    void stopNeedsTheConsumerBehindTheBroker()
    {
        // Rule 4's exception: committed offset equals the log end, so not stopped even if quiet.
        const auto w = window({ { 10, 5 }, { 20, 4 }, { 60, 3 } });
        const auto v = BurrowEvaluator::evaluatePartition(w, 3, 60, 1000000);
        QVERIFY(v.status != BurrowStatus::Stop);
    }

    void stopOverridesZeroLagInWindow()
    {
        // Burrow checks STOP before looking for a zero lag in the window.
        const auto w = window({ { 10, 0 }, { 20, 0 } });
        QCOMPARE(BurrowEvaluator::evaluatePartition(w, 30, 50, 10000 + 11000).status, BurrowStatus::Stop);
    }

    void offsetGoingBackIsRewind()
    {
        const auto w = window({ { 100, 5 }, { 110, 6 }, { 40, 80 }, { 50, 75 } });
        const auto v = BurrowEvaluator::evaluatePartition(w, 75, 125, 31000);
        QCOMPARE(v.status, BurrowStatus::Rewind);
        QVERIFY2(v.reason.contains(u"from 110 to 40"), qPrintable(v.reason));
    }

    void rewindBeatsStall()
    {
        const auto w = window({ { 100, 5 }, { 40, 80 }, { 40, 85 } });
        QCOMPARE(BurrowEvaluator::evaluatePartition(w, 85, 125, 21000).status, BurrowStatus::Rewind);
    }

    void singleCommitWithLagIsOk()
    {
        const auto v = BurrowEvaluator::evaluatePartition(window({ { 10, 40 } }), 40, 50, 0);
        QCOMPARE(v.status, BurrowStatus::Ok);
    }

    void groupRollsUpTheWorstPartition()
    {
        using R = BurrowEvaluator::PartitionResult;
        const QList<R> warnOnly { { QStringLiteral("t"), 0, { BurrowStatus::Ok, {} } },
            { QStringLiteral("t"), 1, { BurrowStatus::Warn, {} } } };
        QCOMPARE(BurrowEvaluator::evaluateGroup(warnOnly).status, BurrowStatus::Warn);
        for (BurrowStatus bad : { BurrowStatus::Stop, BurrowStatus::Stall, BurrowStatus::Rewind }) {
            QList<R> partitions = warnOnly;
            partitions.append({ QStringLiteral("u"), 7, { bad, {} } });
            const auto v = BurrowEvaluator::evaluateGroup(partitions);
            QCOMPARE(v.status, BurrowStatus::Err);
            QVERIFY2(v.reason.contains(u"u[7] " + burrowStatusName(bad)), qPrintable(v.reason));
        }
        QCOMPARE(
            BurrowEvaluator::evaluateGroup({ { QStringLiteral("t"), 0, { BurrowStatus::Ok, {} } } }).status,
            BurrowStatus::Ok);
        QCOMPARE(BurrowEvaluator::evaluateGroup({}).status, BurrowStatus::NotFound);
    }

    void trackerRecordsChangesOnlyWithoutLiveMembers()
    {
        LagTracker tracker;
        tracker.observe(G, T, 0, 10, 50, false, 0);
        tracker.observe(G, T, 0, 10, 60, false, 1000); // same offset, no members: not a commit
        QCOMPARE(tracker.window(G, T, 0).size(), 1);
        const auto v = tracker.observe(G, T, 0, 10, 70, false, 5000);
        QCOMPARE(v.status, BurrowStatus::Stop); // quiet 5 s > span 0 s, behind the log end
        tracker.observe(G, T, 0, 20, 70, false, 6000);
        QCOMPARE(tracker.window(G, T, 0).size(), 2);
    }

    void trackerTurnsLiveStuckMembersIntoStall()
    {
        LagTracker tracker;
        BurrowVerdict v;
        for (int i = 0; i < 4; ++i)
            v = tracker.observe(G, T, 0, 10, 50 + i, true, i * 1000);
        QCOMPARE(v.status, BurrowStatus::Stall);
    }

    void trackerWindowIsBoundedAndPruned()
    {
        LagTracker tracker;
        for (int i = 0; i < 25; ++i)
            tracker.observe(G, T, 0, i, 100, false, i * 1000);
        QCOMPARE(tracker.window(G, T, 0).size(), LagTracker::kWindowSize);
        QCOMPARE(tracker.window(G, T, 0).first().offset, 25 - LagTracker::kWindowSize);
        tracker.endPoll();
        QCOMPARE(tracker.windowCount(), 1);
        tracker.endPoll(); // nothing observed since: the partition's window is dropped
        QCOMPARE(tracker.windowCount(), 0);
    }
};

SB_TEST_GUILESS_MAIN(TestBurrowEvaluator)
#include "tst_burrowevaluator.moc"
