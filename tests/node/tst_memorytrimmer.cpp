// MemoryTrimmer's decision (issue 12, item 4): memory is handed back once, after many
// connections have closed and the closing is over; never while they are still falling, never
// for a few. What malloc_trim gives back is measured by bench/node_memory_bench
// (docs/benchmarks.md, "Node: memory after mass disconnects").

#include "node/MemoryTrimmer.h"
#include "node/NodeMetrics.h"
#include "support/TestMain.h"

#include <QTest>

using namespace sb::node;

class TestMemoryTrimmer : public QObject
{
    Q_OBJECT
private slots:
    void trimsOnceAfterAMassDisconnect();
    void trimsOnceAfterOutboundQueuesDrain();
};

namespace {
void open(NodeMetrics &metrics, int n)
{
    for (int i = 0; i < n; ++i)
        metrics.connectionOpened(NodeMetrics::Transport::Stomp);
}
void close(NodeMetrics &metrics, int n)
{
    for (int i = 0; i < n; ++i)
        metrics.connectionClosed(NodeMetrics::Transport::Stomp);
}
} // namespace

void TestMemoryTrimmer::trimsOnceAfterAMassDisconnect()
{
    NodeMetrics metrics;
    MemoryTrimmer trimmer(&metrics);
    trimmer.start();
    open(metrics, 1500);
    trimmer.check();
    QCOMPARE(trimmer.trims(), 0);

    close(metrics, 600);
    trimmer.check(); // still falling
    trimmer.check(); // settled, but 600 < MemoryTrimmer::kMinShed
    QCOMPARE(trimmer.trims(), 0);

    close(metrics, 600);
    trimmer.check(); // falling again: wait for the end of it
    QCOMPARE(trimmer.trims(), 0);
    trimmer.check(); // settled, 1,200 closed since the peak
    QCOMPARE(trimmer.trims(), 1);
    trimmer.check();
    QCOMPARE(trimmer.trims(), 1); // once per burst

    open(metrics, 200);
    trimmer.check();
    close(metrics, 200);
    trimmer.check();
    trimmer.check();
    QCOMPARE(trimmer.trims(), 1); // churn is not a mass disconnect
}

void TestMemoryTrimmer::trimsOnceAfterOutboundQueuesDrain()
{
    // Overload (issue 15): queues grow on every connection, then drain or their slow consumers
    // are dropped; no 1,000 connections need close for the memory to go back.
    constexpr qint64 MiB = 1024 * 1024;
    NodeMetrics metrics;
    MemoryTrimmer trimmer(&metrics);
    trimmer.start();
    metrics.outboundQueued(200 * MiB);
    trimmer.check();
    metrics.outboundQueued(-100 * MiB);
    trimmer.check(); // still falling
    QCOMPARE(trimmer.trims(), 0);
    trimmer.check(); // settled, 100 MiB below the peak
    QCOMPARE(trimmer.trims(), 1);
    trimmer.check();
    QCOMPARE(trimmer.trims(), 1); // once per fall

    metrics.outboundQueued(-(MemoryTrimmer::kMinOutboundShedBytes - MiB));
    trimmer.check();
    trimmer.check();
    QCOMPARE(trimmer.trims(), 1); // less than kMinOutboundShedBytes since the last trim
}

SB_TEST_GUILESS_MAIN(TestMemoryTrimmer)
#include "tst_memorytrimmer.moc"
