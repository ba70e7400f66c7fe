#include "cluster/BroadcastOrigin.h"
#include "cluster/BroadcastSequencer.h"
#include "cluster/BusBridgeFilter.h"
#include "support/TestMain.h"

#include <QTest>

using namespace sb::cluster;

namespace {

BusHop redisHop()
{
    return BusHop {
        .medium = BusHop::Medium::Redis, .topic = "sb:bus:broadcast", .partition = -1, .offset = -1, .key = {}
    };
}

BroadcastOrigin at(int partition, qint64 offset)
{
    return BroadcastOrigin { .partition = partition, .offset = offset };
}

} // namespace

// The stage-1 origin on the Redis bus, and the order/once rules of the receiving side.
class TestBroadcastSequencer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void framingRoundTrips_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::newRow("envelope") << QByteArrayLiteral("{\"type\":\"message\",\"message\":{\"id\":\"x\"}}");
        QTest::newRow("one member") << QByteArrayLiteral("{\"a\":1}");
        QTest::newRow("spaced") << QByteArrayLiteral("{ \"a\" : [1,2] }");
    }
    void framingRoundTrips()
    {
        QFETCH(QByteArray, payload);
        const QByteArray framed = BroadcastOrigin::frame(payload, at(2, 12345678901));
        QVERIFY(framed.startsWith("{\"stage1\":[2,12345678901],"));
        QByteArray back;
        const BroadcastOrigin origin = BroadcastOrigin::unframe(framed, &back);
        QCOMPARE(back, payload);
        QCOMPARE(origin.partition, 2);
        QCOMPARE(origin.offset, 12345678901);
    }

    void unframedMessagesPassThrough_data()
    {
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("plain envelope") << QByteArrayLiteral("{\"type\":\"message\"}");
        QTest::newRow("not json") << QByteArrayLiteral("hello");
        QTest::newRow("prefix without numbers") << QByteArrayLiteral("{\"stage1\":[x,1],\"a\":1}");
        QTest::newRow("prefix cut short") << QByteArrayLiteral("{\"stage1\":[1,");
        QTest::newRow("partition too large") << QByteArrayLiteral("{\"stage1\":[99999999999,1],\"a\":1}");
    }
    void unframedMessagesPassThrough()
    {
        QFETCH(QByteArray, message);
        QByteArray payload;
        QVERIFY(!BroadcastOrigin::unframe(message, &payload).isValid());
        QCOMPARE(payload, message);
    }

    void whatCannotCarryAnOriginIsSentAsItIs()
    {
        QCOMPARE(BroadcastOrigin::frame("{}", at(0, 1)), QByteArray("{}"));
        QCOMPARE(BroadcastOrigin::frame("[1]", at(0, 1)), QByteArray("[1]"));
        QCOMPARE(BroadcastOrigin::frame("{\"a\":1}", BroadcastOrigin()), QByteArray("{\"a\":1}"));
    }

    void liveMessagesAreDeliveredOncePerPartitionInOrder()
    {
        QList<QByteArray> seen;
        BroadcastSequencer sequencer(
            [&](const QByteArray &payload, const BusHop &) { seen.append(payload); }, 10);
        sequencer.live("a", redisHop(), at(0, 5));
        sequencer.live("b", redisHop(), at(1, 2));
        sequencer.live("a again", redisHop(), at(0, 5)); // a relay's redo after a rebalance
        sequencer.live("older", redisHop(), at(0, 4));
        sequencer.live("c", redisHop(), at(0, 6));
        sequencer.live("no origin", redisHop(), BroadcastOrigin());
        QCOMPARE(seen, (QList<QByteArray> { "a", "b", "c", "no origin" }));
        QCOMPARE(sequencer.repeats(), quint64(2));
        QCOMPARE(sequencer.resumeOffset(0, 0), qint64(7));
        QCOMPARE(sequencer.resumeOffset(1, 0), qint64(3));
        QCOMPARE(sequencer.resumeOffset(2, 40), qint64(40)); // nothing delivered: the floor
    }

    void liveIsHeldWhileCatchingUpThenFollowsStage1()
    {
        QList<QByteArray> seen;
        BroadcastSequencer sequencer(
            [&](const QByteArray &payload, const BusHop &) { seen.append(payload); }, 10);
        sequencer.live("1", redisHop(), at(0, 1));
        sequencer.beginCatchUp();
        sequencer.live("4", redisHop(), at(0, 4)); // live after the subscription returned
        sequencer.live("3", redisHop(), at(0, 3));
        sequencer.live("other", redisHop(), at(1, 9));
        QCOMPARE(seen, (QList<QByteArray> { "1" }));
        sequencer.holdOnly({ 0 }); // partition 1 missed nothing
        QCOMPARE(seen, (QList<QByteArray> { "1", "other" }));
        QCOMPARE(sequencer.resumeOffset(0, 0), qint64(2));
        sequencer.caughtUp("2", redisHop(), at(0, 2)); // missed while unsubscribed
        sequencer.caughtUp("3", redisHop(), at(0, 3));
        sequencer.live("5", redisHop(), at(0, 5));
        sequencer.release(0);
        QCOMPARE(seen, (QList<QByteArray> { "1", "other", "2", "3", "4", "5" }));
        sequencer.live("6", redisHop(), at(0, 6)); // released: live again
        QCOMPARE(seen.last(), QByteArray("6"));
        QVERIFY(sequencer.endCatchUp(true));
        QCOMPARE(sequencer.caughtUpCount(), quint64(2));
        QCOMPARE(sequencer.repeats(), quint64(1)); // the held "3"
    }

    void aFailedRoundKeepsHolding()
    {
        QList<QByteArray> seen;
        BroadcastSequencer sequencer(
            [&](const QByteArray &payload, const BusHop &) { seen.append(payload); }, 10);
        sequencer.live("1", redisHop(), at(0, 1));
        sequencer.beginCatchUp();
        sequencer.holdOnly({ 0 });
        sequencer.live("5", redisHop(), at(0, 5));
        // Kafka unreachable: 2..4 were never read, so 5 must not go out (it would move the
        // resume point past them).
        QVERIFY(!sequencer.endCatchUp(false));
        sequencer.live("6", redisHop(), at(0, 6));
        QCOMPARE(seen, (QList<QByteArray> { "1" }));
        QCOMPARE(sequencer.resumeOffset(0, 0), qint64(2));
        sequencer.beginCatchUp();
        sequencer.holdOnly({ 0 });
        for (int offset = 2; offset <= 4; ++offset)
            sequencer.caughtUp(QByteArray::number(offset), redisHop(), at(0, offset));
        sequencer.release(0);
        QVERIFY(sequencer.endCatchUp(true));
        QCOMPARE(seen, (QList<QByteArray> { "1", "2", "3", "4", "5", "6" }));
    }

    void tooMuchHeldIsDroppedAndAskedForAgain()
    {
        QList<QByteArray> seen;
        BroadcastSequencer sequencer(
            [&](const QByteArray &payload, const BusHop &) { seen.append(payload); }, 2);
        sequencer.beginCatchUp();
        sequencer.holdOnly({ 0 });
        sequencer.live("1", redisHop(), at(0, 1));
        sequencer.live("2", redisHop(), at(0, 2));
        sequencer.live("3", redisHop(), at(0, 3));
        sequencer.release(0); // overflowed: stays held, dropping
        sequencer.live("4", redisHop(), at(0, 4));
        QVERIFY(!sequencer.endCatchUp(true)); // another round must read them from stage 1
        QVERIFY(seen.isEmpty());
        QCOMPARE(sequencer.heldDropped(), quint64(4));
        QCOMPARE(sequencer.ceilingHits(), quint64(1)); // once per overflow, not per message
        sequencer.beginCatchUp();
        sequencer.holdOnly({ 0 });
        for (int offset = 1; offset <= 4; ++offset)
            sequencer.caughtUp(QByteArray::number(offset), redisHop(), at(0, offset));
        sequencer.release(0);
        QVERIFY(sequencer.endCatchUp(true));
        QCOMPARE(seen, (QList<QByteArray> { "1", "2", "3", "4" }));
    }

    // On the broadcast topic the origin rides in a header (the payload stays as it was).
    void originRidesInAKafkaHeader()
    {
        const BroadcastOrigin origin = at(2, 12345678901);
        const KafkaHeaders headers { { "message-id", "m-1" },
            { BroadcastOrigin::kKafkaHeader.toByteArray(), origin.headerValue() } };
        const BroadcastOrigin back = BroadcastOrigin::fromHeaders(headers);
        QCOMPARE(back.partition, 2);
        QCOMPARE(back.offset, 12345678901);
        QVERIFY(!BroadcastOrigin::fromHeaders({ { "message-id", "m-1" } }).isValid());
        for (const QByteArray bad : { "2", "2,", ",5", "2,5x", "x,5", "99999999999,1" })
            QVERIFY2(!BroadcastOrigin::fromHeaders({ { "stage1-origin", bad } }).isValid(), bad.constData());
    }

    // Bridged (both buses during a switch): the first copy of each stage-1 record is
    // delivered, whichever bus brought it, the second dropped; one without an origin passes.
    void bridgeDeliversEachRecordOnceFromEitherBus()
    {
        QList<QByteArray> seen;
        BusBridgeFilter filter([&](const QByteArray &payload, const BusHop &) { seen.append(payload); }, 3);
        filter.deliver("a", redisHop(), at(0, 1));
        filter.deliver("a (topic)", redisHop(), at(0, 1));
        filter.deliver("b (topic)", redisHop(), at(0, 2)); // relayed on the topic alone
        filter.deliver("c", redisHop(), at(1, 2)); // same offset, other partition
        filter.deliver("b", redisHop(), at(0, 2));
        filter.deliver("no origin", redisHop(), BroadcastOrigin());
        filter.deliver("no origin", redisHop(), BroadcastOrigin());
        QCOMPARE(seen, (QList<QByteArray> { "a", "b (topic)", "c", "no origin", "no origin" }));
        QCOMPARE(filter.repeats(), quint64(2));
        // The window is the last `capacity` origins.
        filter.deliver("d", redisHop(), at(0, 3));
        filter.deliver("a, long after", redisHop(), at(0, 1));
        QCOMPARE(seen.last(), QByteArray("a, long after"));
    }
};

SB_TEST_GUILESS_MAIN(TestBroadcastSequencer)
#include "tst_broadcastsequencer.moc"
