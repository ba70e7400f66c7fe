// What a replica's /metrics says its stage 2 missed across a fault: its bus told by which
// counters it has (catch-up: Redis pub/sub; bridge: both), settled once a Redis-bus replica
// re-subscribed and no catch-up round still reads, and the event log's line for it, counted
// from the reading before (or from its start when it restarted meanwhile).
#include "app/FaultStage2Reading.h"
#include "support/TestMain.h"

#include <QTest>

using sb::app::FaultStage2Reading;
using sb::protocol::PrometheusTextParser;

namespace {
FaultStage2Reading reading(const QByteArray &text)
{
    return FaultStage2Reading::from(PrometheusTextParser::parse(text));
}

QByteArray redisBus(int rounds, int caughtUp, int running, int delivered)
{
    return "# TYPE sb_bus_delivered_total counter\nsb_bus_delivered_total " + QByteArray::number(delivered)
        + "\nsb_bus_catchup_rounds_total " + QByteArray::number(rounds) + "\nsb_bus_catchup_delivered_total "
        + QByteArray::number(caughtUp) + "\nsb_bus_catchup_running " + QByteArray::number(running) + '\n';
}
} // namespace

class TestFaultStage2Reading : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void busToldByTheCountersItHas()
    {
        QCOMPARE(reading("sb_bus_delivered_total 4\n").busName(), QStringLiteral("kafka bus"));
        QCOMPARE(reading(redisBus(1, 0, 0, 4)).busName(), QStringLiteral("redis bus"));
        QCOMPARE(reading(redisBus(1, 0, 0, 4) + "sb_bus_bridge_repeats_dropped_total 2\n").busName(),
            QStringLiteral("kafka+redis bridge"));
        QVERIFY(!FaultStage2Reading {}.answered);
    }

    void kafkaBusMissesNothingAndHasNothingToWaitFor()
    {
        const FaultStage2Reading before = reading("sb_bus_delivered_total 10\n");
        const FaultStage2Reading after = reading("sb_bus_delivered_total 15\n");
        QVERIFY(FaultStage2Reading::settled(before, after));
        QCOMPARE(FaultStage2Reading::describe(QStringLiteral("node-1"), before, after),
            QStringLiteral("node-1 (kafka bus): missed 0, its stage-2 consumer reads on from its committed "
                           "offsets (no catch-up); 5 broadcast(s) delivered"));
    }

    void redisBusSettledOnceReSubscribedAndNoRoundReads()
    {
        const FaultStage2Reading before = reading(redisBus(1, 2, 0, 10));
        QVERIFY(
            !FaultStage2Reading::settled(before, reading(redisBus(1, 2, 0, 10)))); // not re-subscribed yet
        QVERIFY(!FaultStage2Reading::settled(before, reading(redisBus(2, 3, 1, 11)))); // a round still reads
        QVERIFY(!FaultStage2Reading::settled(before, FaultStage2Reading {})); // no answer
        const FaultStage2Reading after = reading(redisBus(2, 39, 0, 47));
        QVERIFY(FaultStage2Reading::settled(before, after));
        QCOMPARE(FaultStage2Reading::describe(QStringLiteral("node-2"), before, after),
            QStringLiteral("node-2 (redis bus): subscribed again, caught up 37 from stage 1 in 1 catch-up "
                           "round(s) (what pub/sub had not brought it live); 37 broadcast(s) delivered"));
    }

    void restartedReplicaCountedFromItsStart()
    {
        const FaultStage2Reading before = reading(redisBus(3, 40, 0, 100));
        const FaultStage2Reading after = reading(redisBus(1, 5, 0, 6)); // counters went back
        QVERIFY(FaultStage2Reading::settled(before, after));
        QCOMPARE(FaultStage2Reading::describe(QStringLiteral("node-3"), before, after),
            QStringLiteral(
                "node-3 (redis bus): subscribed again, caught up 5 from stage 1 in 1 catch-up round(s) "
                "(what pub/sub had not brought it live); 6 broadcast(s) delivered since its restart"));
        QVERIFY(
            FaultStage2Reading::describe(QStringLiteral("node-3"), {}, after).endsWith(u" since its start"));
        QCOMPARE(FaultStage2Reading::describe(QStringLiteral("node-3"), before, {}),
            QStringLiteral("node-3: no /metrics answer"));
    }
};

SB_TEST_GUILESS_MAIN(TestFaultStage2Reading)
#include "tst_faultstage2reading.moc"
