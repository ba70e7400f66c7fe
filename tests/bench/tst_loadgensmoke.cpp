// The side-by-side benchmark's load generator (bench/loadgen, sb_loadgen) against a real
// node, briefly: 50 subscribers, a few hundred messages, by STOMP and by SSE. Fails on any
// loss or duplicate the generator counts, never on speed (the figures belong in
// bench/compare). A run that discards one message on purpose must report it lost, so a
// generator whose accounting stopped seeing losses fails here too. Scenario 4's spread over
// several channels: what each channel is owed and what the ledger counts (no server), then
// a short run through the trivial broadcast server, which routes by channel.
#include "ChannelSpread.h"
#include "DeliveryLedger.h"
#include "NodeTestSupport.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
constexpr int kSubscribers = 50;
constexpr int kMessages = 300; // --rates 300 for one second

struct LoadgenRun
{
    int exitCode = -1;
    QString output;

    // A figure of the step line, e.g. value("loss"); -1 when the line or the key is missing.
    qint64 value(const QString &key) const
    {
        const QRegularExpression pattern(
            u"^step .*\\b"_s + key + u"=(\\d+)"_s, QRegularExpression::MultilineOption);
        const auto match = pattern.match(output);
        return match.hasMatch() ? match.captured(1).toLongLong() : -1;
    }
};

LoadgenRun runLoadgen(const QString &target, quint16 port, qint64 pid, const QStringList &extra = {})
{
    QProcess loadgen;
    loadgen.setProcessChannelMode(QProcess::MergedChannels);
    loadgen.start(QStringLiteral(SB_LOADGEN),
        QStringList { u"--target"_s, target, u"--url"_s, u"http://127.0.0.1:%1"_s.arg(port),
            u"--subscribers"_s, QString::number(kSubscribers), u"--rates"_s, QString::number(kMessages),
            u"--step-seconds"_s, u"1"_s, u"--drain-seconds"_s, u"2"_s, u"--server-pid"_s,
            QString::number(pid), u"--fail-on-loss"_s }
            + extra);
    LoadgenRun run;
    if (!loadgen.waitForFinished(30000)) {
        loadgen.kill();
        loadgen.waitForFinished(5000);
    }
    run.exitCode = loadgen.exitStatus() == QProcess::NormalExit ? loadgen.exitCode() : -1;
    run.output = QString::fromUtf8(loadgen.readAll());
    return run;
}
} // namespace

class TestLoadgenSmoke : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void everyMessageOnceToEverySubscriber_data();
    void everyMessageOnceToEverySubscriber();
    void aDiscardedMessageIsReportedLost();
    void thePublisherPublishesWherePublishUrlSays();
    void eachChannelIsOwedItsMessagesTimesItsSubscribers();
    void theLedgerCountsOnlyASubscribersOwnChannel();
    void subscribersSpreadOverChannelsGetTheirChannelOnly();

private:
    sb::testing::NodeProcess m_node;
};

void TestLoadgenSmoke::initTestCase()
{
    // One address opens every connection and logs in four times per run.
    QVERIFY2(m_node.start({ u"--limit-connections-exempt-loopback"_s, u"--limit-logins-per-address"_s,
                 u"1000"_s, u"--limit-logins-per-user"_s, u"1000"_s, u"--limit-sse-per-user"_s, u"1000"_s }),
        qPrintable(m_node.errorString()));
}

void TestLoadgenSmoke::everyMessageOnceToEverySubscriber_data()
{
    QTest::addColumn<QString>("target");
    QTest::newRow("STOMP over WebSocket") << u"node-stomp"_s;
    QTest::newRow("SSE") << u"node-sse"_s;
}

void TestLoadgenSmoke::everyMessageOnceToEverySubscriber()
{
    QFETCH(QString, target);
    const LoadgenRun run = runLoadgen(target, m_node.port(), m_node.pid());
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QCOMPARE(run.value(u"sent"_s), kMessages);
    QCOMPARE(run.value(u"subscribers"_s), kSubscribers);
    QCOMPARE(run.value(u"loss"_s), 0);
    QCOMPARE(run.value(u"dup"_s), 0);
}

void TestLoadgenSmoke::aDiscardedMessageIsReportedLost()
{
    const LoadgenRun run
        = runLoadgen(u"node-stomp"_s, m_node.port(), m_node.pid(), { u"--discard-sequence"_s, u"7"_s });
    QVERIFY2(run.exitCode == 1, qPrintable(run.output));
    QCOMPARE(run.value(u"loss"_s), kSubscribers); // message 7, at every subscriber
    QCOMPARE(run.value(u"dup"_s), 0);
}

// Scenario 6 publishes on one replica and subscribes on another (--publish-url): with the
// publisher sent to a port nobody listens on, the run fails at once, the subscribers ready.
void TestLoadgenSmoke::thePublisherPublishesWherePublishUrlSays()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 nobody = closed.serverPort();
    closed.close();
    QElapsedTimer took;
    took.start();
    const LoadgenRun run = runLoadgen(u"node-stomp"_s, m_node.port(), m_node.pid(),
        { u"--publish-url"_s, u"http://127.0.0.1:%1"_s.arg(nobody) });
    QVERIFY2(run.exitCode != 0, qPrintable(run.output));
    QVERIFY2(run.output.contains(u"ready=%1"_s.arg(kSubscribers)), qPrintable(run.output));
    QVERIFY2(!run.output.contains(u"publisher=ready"_s), qPrintable(run.output));
    QVERIFY2(took.elapsed() < 20000, qPrintable(run.output)); // not the 30 s readiness deadline

    const LoadgenRun same = runLoadgen(u"node-stomp"_s, m_node.port(), m_node.pid(),
        { u"--publish-url"_s, u"http://127.0.0.1:%1"_s.arg(m_node.port()) });
    QVERIFY2(same.exitCode == 0, qPrintable(same.output));
    QCOMPARE(same.value(u"loss"_s), 0);
}

void TestLoadgenSmoke::eachChannelIsOwedItsMessagesTimesItsSubscribers()
{
    const ChannelSpread three(3);
    QCOMPARE(three.channelOfSubscriber(4), 1);
    // Sequences 4..8 go to channels 1, 2, 0, 1, 2.
    QCOMPARE(three.messagesOn(0, 4, 5), 1u);
    QCOMPARE(three.messagesOn(1, 4, 5), 2u);
    QCOMPARE(three.messagesOn(2, 4, 5), 2u);
    QCOMPARE(three.expectedDeliveries(4, 5, { 10, 0, 3 }), 10u * 1 + 3u * 2);
    // One channel: every ready subscriber is owed every message, as before channels.
    QCOMPARE(ChannelSpread(1).expectedDeliveries(7, 300, { 50 }), 300u * 50);
}

void TestLoadgenSmoke::theLedgerCountsOnlyASubscribersOwnChannel()
{
    DeliveryLedger ledger(ChannelSpread(5));
    const int onTwo = ledger.addSubscriber(2);
    const int onZero = ledger.addSubscriber(0);
    ledger.beginStep(0, 20);
    for (const uint64_t sequence : { 2u, 7u, 12u, 17u, 7u }) // 7 twice
        ledger.delivered(onTwo, DeliveryMarker { sequence, 0 }, 1);
    ledger.delivered(onTwo, DeliveryMarker { 3, 0 }, 1); // channel 3's
    ledger.delivered(onZero, DeliveryMarker { 5, 0 }, 1);
    ledger.delivered(onTwo, DeliveryMarker { 22, 0 }, 1); // its channel, after the step
    const StepTally tally = ledger.takeStep();
    QCOMPARE(tally.unique, 5u);
    QCOMPARE(tally.duplicates, 1u);
    QCOMPARE(tally.misrouted, 1u);
    QCOMPARE(tally.outsideStep, 1u);
}

void TestLoadgenSmoke::subscribersSpreadOverChannelsGetTheirChannelOnly()
{
    // The trivial server sends a message only to its channel's subscribers. Over 7 channels
    // neither the 300 messages nor the 50 subscribers divide evenly: channels 0-5 get 43
    // messages and channel 6 42; channel 0 has 8 subscribers, the others 7. So the step owes
    // 8 × 43 + 5 × 7 × 43 + 7 × 42 = 2,143 deliveries, and a generator that put subscribers on
    // other channels than it accounts for would receive another number; a delivery on the
    // wrong channel would be counted as misrouted.
    QProcess server;
    server.start(QStringLiteral(SB_BROADCAST_SERVER), {});
    QVERIFY2(server.waitForStarted(10000), qPrintable(server.errorString()));
    const QDeadlineTimer deadline(10000);
    QByteArray listening;
    while (!listening.contains('\n') && server.waitForReadyRead(int(deadline.remainingTime())))
        listening += server.readAllStandardOutput();
    const auto port
        = QRegularExpression(u"listening http://127.0.0.1:(\\d+)"_s).match(QString::fromUtf8(listening));
    QVERIFY2(port.hasMatch(), listening.constData());
    constexpr int channels = 7;
    const LoadgenRun run = runLoadgen(u"trivial-stomp"_s, quint16(port.captured(1).toUInt()),
        server.processId(), { u"--channels"_s, QString::number(channels) });
    server.kill();
    server.waitForFinished(5000);
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QCOMPARE(run.value(u"sent"_s), kMessages);
    QCOMPARE(run.value(u"expected"_s), 2143);
    QCOMPARE(run.value(u"received"_s), 2143);
    QCOMPARE(run.value(u"loss"_s), 0);
    QCOMPARE(run.value(u"dup"_s), 0);
    QCOMPARE(run.value(u"misrouted"_s), 0);
}

QTEST_GUILESS_MAIN(TestLoadgenSmoke)
#include "tst_loadgensmoke.moc"
