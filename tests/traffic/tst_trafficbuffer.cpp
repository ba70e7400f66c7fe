#include "models/TrafficBuffer.h"
#include "support/TestMain.h"

#include <QRandomGenerator>
#include <QTest>

using namespace sb::models;
using sb::protocol::TrafficFrame;
using namespace Qt::StringLiterals;

namespace {

QList<TrafficFrame> frames(int count, int firstNumber = 0)
{
    QList<TrafficFrame> list;
    for (int i = 0; i < count; ++i) {
        TrafficFrame frame;
        frame.tsMs = firstNumber + i;
        frame.messageId = QStringLiteral("%1").arg(firstNumber + i, 6, 10, QLatin1Char('0'));
        frame.body = QByteArray(100, 'x');
        list.append(frame);
    }
    return list;
}

} // namespace

class TestTrafficBuffer : public QObject
{
    Q_OBJECT

private slots:
    void numbersInArrivalOrder()
    {
        TrafficBuffer buffer(10);
        QCOMPARE(buffer.append(frames(3)), 0);
        QCOMPARE(buffer.size(), 3);
        QCOMPARE(buffer.firstSeq(), 1);
        QCOMPARE(buffer.nextSeq(), 4);
        for (qint64 seq = 1; seq <= 3; ++seq)
            QCOMPARE(buffer.bySeq(seq)->seq, seq);
        QVERIFY(!buffer.bySeq(0));
        QVERIFY(!buffer.bySeq(4));
    }

    void dropsTheOldestWhenFull_data()
    {
        QTest::addColumn<int>("capacity");
        QTest::addColumn<QList<int>>("batches");
        QTest::newRow("one batch over") << 5 << QList<int> { 12 };
        QTest::newRow("many small") << 7 << QList<int> { 3, 3, 3, 3, 3 };
        QTest::newRow("exactly full") << 4 << QList<int> { 4 };
        QTest::newRow("capacity one") << 1 << QList<int> { 2, 1, 5 };
    }
    void dropsTheOldestWhenFull()
    {
        QFETCH(int, capacity);
        QFETCH(QList<int>, batches);
        TrafficBuffer buffer(capacity);
        int total = 0;
        qint64 evicted = 0;
        for (int count : batches) {
            evicted += buffer.append(frames(count, total));
            total += count;
        }
        const int held = qMin(total, capacity);
        QCOMPARE(buffer.size(), held);
        QCOMPARE(buffer.evicted(), total - held);
        QCOMPARE(evicted, total - held);
        QCOMPARE(buffer.firstSeq(), qint64(total - held + 1));
        for (int i = 0; i < held; ++i) {
            const TrafficFrame &frame = buffer.at(i);
            QCOMPARE(frame.messageId.toInt(), total - held + i); // oldest first, in order
            QCOMPARE(buffer.bySeq(frame.seq), &frame);
        }
        QVERIFY(!buffer.bySeq(buffer.firstSeq() - 1));
    }

    void shrinkAndGrow()
    {
        TrafficBuffer buffer(10);
        buffer.append(frames(10));
        QCOMPARE(buffer.setCapacity(4), 6);
        QCOMPARE(buffer.size(), 4);
        QCOMPARE(buffer.at(0).messageId.toInt(), 6);
        QCOMPARE(buffer.setCapacity(8), 0);
        buffer.append(frames(6, 10));
        QCOMPARE(buffer.size(), 8);
        QCOMPARE(buffer.at(0).messageId.toInt(), 8);
        QCOMPARE(buffer.at(7).messageId.toInt(), 15);
        QCOMPARE(buffer.setCapacity(0), 7); // clamped to 1
        QCOMPARE(buffer.capacity(), 1);
        QCOMPARE(buffer.at(0).messageId.toInt(), 15);
    }

    void clearKeepsNumbering()
    {
        TrafficBuffer buffer(5);
        buffer.append(frames(3));
        buffer.clear();
        QVERIFY(buffer.isEmpty());
        QCOMPARE(buffer.approximateBytes(), 0);
        buffer.append(frames(2));
        QCOMPARE(buffer.firstSeq(), 4);
        QCOMPARE(buffer.at(0).seq, 4);
    }

    void memoryEstimateFollowsTheFrames()
    {
        TrafficBuffer buffer(100);
        buffer.append(frames(100));
        const qint64 full = buffer.approximateBytes();
        QVERIFY(full >= 100 * (qint64(sizeof(TrafficFrame)) + 100));
        buffer.append(frames(100, 100)); // replaces every frame with one of the same size
        QCOMPARE(buffer.approximateBytes(), full);
        buffer.setCapacity(50);
        QCOMPARE(buffer.approximateBytes(), full / 2);
    }

    // The ring against its plain definition (the newest min(appended, capacity) frames, seqs
    // never reused), over random batches, capacities that cut chunks anywhere, clears, and
    // batches still shared with a copy that must not change (the queued signal's copy).
    void matchesItsDefinitionAcrossChunkBoundaries()
    {
        constexpr qsizetype chunk = TrafficBuffer::kChunkFrames;
        QRandomGenerator random(20261205);
        qsizetype capacity = 2 * chunk + 5;
        TrafficBuffer buffer(capacity);
        qint64 nextSeq = 1;
        qsizetype held = 0;
        for (int step = 0; step < 300; ++step) {
            const int action = int(random.bounded(12));
            if (action == 0) {
                capacity = 1 + qsizetype(random.bounded(qint64(4 * chunk + 3)));
                const qsizetype kept = qMin(held, capacity);
                QCOMPARE(buffer.setCapacity(capacity), held - kept);
                held = kept;
            } else if (action == 1) {
                buffer.clear();
                held = 0;
            } else {
                const int count = int(random.bounded(action == 2 ? int(3 * chunk) : 700));
                // Frames carry their future seq, so a frame in the wrong slot shows.
                QList<TrafficFrame> batch = frames(count, int(nextSeq));
                const bool shareIt = random.bounded(2) == 0;
                const QList<TrafficFrame> sharedCopy = shareIt ? batch : QList<TrafficFrame>();
                const qsizetype evicted = qMax<qsizetype>(0, held + count - capacity);
                QCOMPARE(buffer.append(shareIt ? batch : std::move(batch)), evicted);
                held = held + count - evicted;
                nextSeq += count;
                if (shareIt) {
                    QCOMPARE(sharedCopy.size(), count);
                    for (int i = 0; i < count; ++i) {
                        QCOMPARE(sharedCopy.at(i).tsMs, nextSeq - count + i);
                        QCOMPARE(sharedCopy.at(i).body.size(), 100); // not moved from
                    }
                }
            }
            QCOMPARE(buffer.size(), held);
            QCOMPARE(buffer.nextSeq(), nextSeq);
            QCOMPARE(buffer.firstSeq(), nextSeq - held);
            for (qsizetype i = 0; i < held; ++i) {
                const TrafficFrame &frame = buffer.at(i);
                if (frame.tsMs != buffer.firstSeq() + i || frame.seq != frame.tsMs)
                    QFAIL(qPrintable(
                        QStringLiteral("step %1: slot %2 holds frame %3 (seq %4), expected %5")
                            .arg(QString::number(step), QString::number(i), QString::number(frame.tsMs),
                                QString::number(frame.seq), QString::number(buffer.firstSeq() + i))));
            }
            QVERIFY(!buffer.bySeq(buffer.firstSeq() - 1));
            QVERIFY(!buffer.bySeq(nextSeq));
            if (held > 0)
                QCOMPARE(buffer.bySeq(nextSeq - 1)->tsMs, nextSeq - 1);
        }
    }
};

SB_TEST_GUILESS_MAIN(TestTrafficBuffer)
#include "tst_trafficbuffer.moc"
