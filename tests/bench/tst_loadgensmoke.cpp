// The side-by-side benchmark's load generator (bench/loadgen, sb_loadgen) against a real
// node, briefly: 50 subscribers, a few hundred messages, by STOMP and by SSE. Fails on any
// loss or duplicate the generator counts, never on speed (the figures belong in
// bench/compare). A run that discards one message on purpose must report it lost, so a
// generator whose accounting stopped seeing losses fails here too.
#include "NodeTestSupport.h"

#include <QProcess>
#include <QRegularExpression>
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

QTEST_GUILESS_MAIN(TestLoadgenSmoke)
#include "tst_loadgensmoke.moc"
