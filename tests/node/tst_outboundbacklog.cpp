// OutboundBacklog (issue 15, overload): how long the oldest byte a connection queued has
// waited, from what it queued and what its socket still holds; and the node-wide total
// that MemoryTrimmer watches.

#include "node/NodeMetrics.h"
#include "node/OutboundBacklog.h"
#include "support/TestMain.h"

#include <QTest>

#include <memory>

using namespace sb::node;

class TestOutboundBacklog : public QObject
{
    Q_OBJECT
private slots:
    void nothingQueuedHasNoAge();
    void ageIsTheOldestUnsentWrite();
    void writesCloseInTimeShareOneMark();
    void bytesOfAnotherWriterDoNotAgeTheQueue();
    void nodeTotalFollowsEveryConnection();
};

void TestOutboundBacklog::nothingQueuedHasNoAge()
{
    OutboundBacklog backlog;
    QCOMPARE(backlog.ageMs(5000), qint64(0));
    backlog.queued(0, 0); // the kernel took everything
    QCOMPARE(backlog.ageMs(5000), qint64(0));
    QCOMPARE(backlog.marks(), qsizetype(0));
}

void TestOutboundBacklog::ageIsTheOldestUnsentWrite()
{
    OutboundBacklog backlog;
    backlog.queued(1000, 10'000);
    backlog.observe(1000);
    backlog.queued(500, 10'300);
    QCOMPARE(backlog.pending(), qint64(1500));
    QCOMPARE(backlog.ageMs(10'600), qint64(600));
    backlog.observe(1100); // 400 of the first write are out: its rest is still the oldest
    QCOMPARE(backlog.ageMs(10'600), qint64(600));
    backlog.observe(500); // the first write is out
    QCOMPARE(backlog.ageMs(10'600), qint64(300));
    backlog.observe(0); // caught up
    QCOMPARE(backlog.ageMs(20'000), qint64(0));
    QCOMPARE(backlog.marks(), qsizetype(0));
    backlog.queued(10, 30'000); // a new backlog ages from its own start
    QCOMPARE(backlog.ageMs(30'250), qint64(250));
}

void TestOutboundBacklog::writesCloseInTimeShareOneMark()
{
    // A client 10 s behind at one write per ms holds about 10 s / kMarkMs marks, not 10,000.
    OutboundBacklog backlog;
    for (qint64 t = 0; t < 10'000; ++t)
        backlog.queued(100, t);
    QCOMPARE(backlog.pending(), qint64(1'000'000));
    QVERIFY2(backlog.marks() <= 10'000 / OutboundBacklog::kMarkMs + 1,
        qPrintable(QString::number(backlog.marks())));
    QCOMPARE(backlog.ageMs(10'000), qint64(10'000));
    // Half written: the age is that of the first write still queued, within one mark.
    backlog.observe(500'000);
    QVERIFY(backlog.ageMs(10'000) <= 5'000 + OutboundBacklog::kMarkMs);
    QVERIFY(backlog.ageMs(10'000) >= 5'000 - OutboundBacklog::kMarkMs);
}

void TestOutboundBacklog::bytesOfAnotherWriterDoNotAgeTheQueue()
{
    // QWebSocket writes its control frames (pong, close) to the same socket: they appear in
    // its count without a queued() call; they are not old, and they do not hide what is.
    OutboundBacklog backlog;
    backlog.queued(100, 0);
    backlog.observe(0);
    backlog.observe(6); // a pong, long after
    QCOMPARE(backlog.ageMs(60'000), qint64(0));
    backlog.queued(100, 60'000);
    QCOMPARE(backlog.pending(), qint64(106));
    QCOMPARE(backlog.ageMs(61'000), qint64(1000));
    backlog.observe(100); // the pong went, and 6 bytes of the write
    QCOMPARE(backlog.ageMs(61'000), qint64(1000));
    backlog.observe(0);
    QCOMPARE(backlog.ageMs(61'000), qint64(0));
}

void TestOutboundBacklog::nodeTotalFollowsEveryConnection()
{
    NodeMetrics metrics;
    auto first = std::make_unique<OutboundBacklog>(&metrics);
    OutboundBacklog second(&metrics);
    first->queued(3000, 0);
    second.queued(2000, 0);
    QCOMPARE(metrics.outboundQueuedBytes(), qint64(5000));
    first->observe(1000);
    QCOMPARE(metrics.outboundQueuedBytes(), qint64(3000));
    first.reset(); // the connection went, and its queue with it
    QCOMPARE(metrics.outboundQueuedBytes(), qint64(2000));
    second.observe(0);
    QCOMPARE(metrics.outboundQueuedBytes(), qint64(0));
}

SB_TEST_GUILESS_MAIN(TestOutboundBacklog)
#include "tst_outboundbacklog.moc"
