// `switchboard probe` run as a process: JSON lines on stdout (the tap's format) and exit 0
// when done; exit 1 with one line on stderr on a connection or protocol error; exit 2 with
// one line naming the option when the command line is wrong. Against a real node, and a
// SockJS server written in the test for --sockjs.
// The real binary, $SB_BINARY, so the mode's dispatch is tested too.
#include "NodeTestSupport.h"
#include "StompTestServer.h"
#include "protocol/TapFrameCodec.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using sb::protocol::TapFrameCodec;
using sb::protocol::TrafficFrame;
using namespace Qt::StringLiterals;

namespace {

struct ProbeRun
{
    int exitCode = -1;
    QList<TrafficFrame> frames;
    QByteArrayList lines;
    QByteArray standardError;
};

// Runs the probe without blocking the event loop (a test server may have to answer it).
ProbeRun runProbe(const QStringList &arguments, int timeoutMs = 30000)
{
    ProbeRun run;
    QProcess process;
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(qEnvironmentVariable("SB_BINARY"), QStringList { u"probe"_s } + arguments);
    if (!process.waitForStarted(5000)) {
        run.standardError = process.errorString().toUtf8();
        return run;
    }
    const QDeadlineTimer deadline(timeoutMs);
    while (finished.isEmpty() && !deadline.hasExpired())
        finished.wait(int(qMax<qint64>(1, qMin<qint64>(500, deadline.remainingTime()))));
    if (finished.isEmpty()) {
        process.kill();
        process.waitForFinished(5000);
        run.standardError = "(still running at the deadline) " + process.readAllStandardError();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.standardError = process.readAllStandardError();
    TapFrameCodec codec;
    for (const QByteArray &line : process.readAllStandardOutput().split('\n')) {
        if (line.isEmpty())
            continue;
        run.lines << line;
        QString error;
        const auto frame = codec.decode(line, &error);
        if (frame)
            run.frames << *frame;
        else
            run.standardError += "\n(not a tap frame: " + error.toUtf8() + ": " + line + ')';
    }
    return run;
}

QString describe(const ProbeRun &run)
{
    return u"exit %1, stderr '%2', %3 lines"_s.arg(run.exitCode)
        .arg(QString::fromUtf8(run.standardError))
        .arg(run.lines.size());
}

bool hasFrame(const ProbeRun &run, const QString &command)
{
    for (const TrafficFrame &frame : run.frames)
        if (frame.command == command)
            return true;
    return false;
}

} // namespace

class TestProbeMode : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void stompSendAndReceive();
    void stompThroughSockJs();
    void sseUntilTimeout();
    void countNotReachedIsAnError();
    void connectionRefused();
    void badTokenIsStompError();
    void badOptions_data();
    void badOptions();
    void help();

private:
    QString wsUrl() const { return u"ws://127.0.0.1:%1/ws"_s.arg(m_node.port()); }
    QString bearer(const QString &user) const
    {
        return u"Authorization:Bearer "_s + QString::fromLatin1(sb::testing::login(m_node.port(), user));
    }

    sb::testing::NodeProcess m_node;
};

void TestProbeMode::initTestCase()
{
    QVERIFY2(!qEnvironmentVariable("SB_BINARY").isEmpty(),
        "SB_BINARY is not set (CTest sets it to the switchboard binary)");
    QVERIFY2(m_node.start({ u"--sse-comment-seconds"_s, u"1"_s }), qPrintable(m_node.errorString()));
}

void TestProbeMode::stompSendAndReceive()
{
    const ProbeRun run = runProbe(
        { u"stomp"_s, wsUrl(), u"--header"_s, bearer(u"alice"_s), u"--header"_s, u"heart-beat:0,0"_s,
            u"--subscribe"_s, u"/topic/channels.general"_s, u"--send"_s, u"/app/channels.general"_s,
            uR"({"text":"from the command line"})"_s, u"--count"_s, u"1"_s, u"--timeout"_s, u"20"_s });
    QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
    QVERIFY2(run.standardError.isEmpty(), run.standardError.constData());
    // Received frames only (no --sent): CONNECTED, the SUBSCRIBE's RECEIPT, the MESSAGE.
    QStringList commands;
    for (const TrafficFrame &frame : run.frames) {
        commands << frame.command;
        QCOMPARE(frame.direction, TrafficFrame::Direction::Out);
        QCOMPARE(frame.source, u"probe"_s);
        QCOMPARE(TapFrameCodec::encode(frame),
            run.lines.at(commands.size() - 1)); // the tap's format, byte for byte
    }
    QCOMPARE(commands, (QStringList { u"CONNECTED"_s, u"RECEIPT"_s, u"MESSAGE"_s }));
    const TrafficFrame &message = run.frames.last();
    QVERIFY(!message.messageId.isEmpty());
    QCOMPARE(message.destination, u"/topic/channels.general"_s);
    QVERIFY(message.body.contains("from the command line"));
}

void TestProbeMode::stompThroughSockJs()
{
    sb::testing::StompTestServer server(true);
    QVERIFY(server.listen());
    const ProbeRun run = runProbe({ u"stomp"_s, u"http://127.0.0.1:%1/stomp"_s.arg(server.port()),
        u"--sockjs"_s, u"--subscribe"_s, u"/topic/x"_s, u"--send"_s, u"/topic/x"_s, u"over sockjs"_s,
        u"--count"_s, u"1"_s, u"--timeout"_s, u"20"_s, u"--sent"_s });
    QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
    QVERIFY(hasFrame(run, u"MESSAGE"_s));
    QCOMPARE(run.frames.last().body, "over sockjs"_ba);
    QCOMPARE(run.frames.last().messageId, u"m-1"_s);
    QVERIFY(hasFrame(run, u"CONNECT"_s)); // --sent: what the probe sent is printed too
    QVERIFY(hasFrame(run, u"SEND"_s));
    QVERIFY2(
        server.requestPaths.value(0).endsWith(u"/websocket"_s), qPrintable(server.requestPaths.value(0)));
}

void TestProbeMode::sseUntilTimeout()
{
    const ProbeRun run = runProbe({ u"sse"_s, u"http://127.0.0.1:%1/api/sse"_s.arg(m_node.port()),
        u"--header"_s, bearer(u"bob"_s), u"--timeout"_s, u"2.5"_s });
    QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
    QVERIFY2(run.standardError.isEmpty(), run.standardError.constData());
    QVERIFY(hasFrame(run, u"RETRY"_s));
    QVERIFY(hasFrame(run, u"COMMENT"_s)); // --sse-comment-seconds 1
    QVERIFY(!hasFrame(run, u"GET"_s)); // a frame the probe sent: only with --sent
    for (const TrafficFrame &frame : run.frames)
        QCOMPARE(frame.transport, TrafficFrame::Transport::Sse);
}

void TestProbeMode::countNotReachedIsAnError()
{
    const ProbeRun run = runProbe({ u"stomp"_s, wsUrl(), u"--header"_s, bearer(u"carol"_s), u"--subscribe"_s,
        u"/topic/channels.general"_s, u"--count"_s, u"5"_s, u"--timeout"_s, u"1"_s });
    QVERIFY2(run.exitCode == 1, qPrintable(describe(run)));
    QCOMPARE(run.standardError, "switchboard: probe: timed out after 1 s with 0 of 5 messages\n"_ba);
}

void TestProbeMode::connectionRefused()
{
    quint16 port = 0;
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        port = server.serverPort();
    }
    for (const QStringList &args : { QStringList { u"stomp"_s, u"ws://127.0.0.1:%1/ws"_s.arg(port) },
             QStringList { u"sse"_s, u"http://127.0.0.1:%1/api/sse"_s.arg(port) } }) {
        const ProbeRun run = runProbe(args);
        QVERIFY2(run.exitCode == 1, qPrintable(describe(run)));
        QCOMPARE(QString::fromUtf8(run.standardError),
            u"switchboard: probe: connection refused by 127.0.0.1:%1\n"_s.arg(port));
        QVERIFY(run.lines.isEmpty());
    }
}

void TestProbeMode::badTokenIsStompError()
{
    const ProbeRun run = runProbe({ u"stomp"_s, wsUrl(), u"--header"_s, u"Authorization: Bearer forged"_s });
    QVERIFY2(run.exitCode == 1, qPrintable(describe(run)));
    QVERIFY2(
        run.standardError.startsWith("switchboard: probe: STOMP ERROR: "), run.standardError.constData());
    QCOMPARE(run.standardError.count('\n'), 1); // one line
    QVERIFY(run.standardError.endsWith('\n'));
    QVERIFY(hasFrame(run, u"ERROR"_s)); // and the ERROR frame itself on stdout
}

void TestProbeMode::badOptions_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("error"); // the start of the one line

    QTest::newRow("no kind") << QStringList() << u"switchboard: probe: expected 'stomp' or 'sse'"_s;
    QTest::newRow("unknown kind") << QStringList { u"mqtt"_s, u"ws://h/ws"_s }
                                  << u"switchboard: probe: expected 'stomp' or 'sse', got 'mqtt'"_s;
    QTest::newRow("no URL") << QStringList { u"stomp"_s } << u"switchboard: probe stomp: expected a URL"_s;
    QTest::newRow("unknown option") << QStringList { u"stomp"_s, u"ws://h/ws"_s, u"--bogus"_s }
                                    << u"switchboard: Unknown option 'bogus'"_s;
    QTest::newRow("header without colon") << QStringList { u"stomp"_s, u"ws://h/ws"_s, u"--header"_s,
        u"nocolon"_s } << u"switchboard: --header: expected NAME:VALUE, got 'nocolon'"_s;
    QTest::newRow("count zero") << QStringList { u"sse"_s, u"http://h/s"_s, u"--count"_s, u"0"_s }
                                << u"switchboard: --count:"_s;
    QTest::newRow("timeout not a number") << QStringList { u"sse"_s, u"http://h/s"_s, u"--timeout"_s,
        u"soon"_s } << u"switchboard: --timeout: expected a number from 0.001 to 604800, got 'soon'"_s;
    QTest::newRow("send without body") << QStringList { u"stomp"_s, u"ws://h/ws"_s, u"--send"_s, u"/x"_s }
                                       << u"switchboard: --send: expected a destination and a body"_s;
    QTest::newRow("sockjs for sse") << QStringList { u"sse"_s, u"http://h/s"_s, u"--sockjs"_s }
                                    << u"switchboard: --sockjs: only for 'probe stomp'"_s;
    QTest::newRow("last-event-id for stomp") << QStringList { u"stomp"_s, u"ws://h/ws"_s,
        u"--last-event-id"_s, u"1"_s } << u"switchboard: --last-event-id: only for 'probe sse'"_s;
    QTest::newRow("http URL without --sockjs")
        << QStringList { u"stomp"_s, u"http://h/ws"_s }
        << u"switchboard: probe stomp http://h/ws: a STOMP-over-WebSocket URL starts with ws://"_s;
    QTest::newRow("ws URL for sse") << QStringList { u"sse"_s,
        u"ws://h/s"_s } << u"switchboard: probe sse ws://h/s: an event-stream URL starts with http://"_s;
    QTest::newRow("bad heart-beat") << QStringList { u"stomp"_s, u"ws://h/ws"_s, u"--header"_s,
        u"heart-beat:often"_s } << u"switchboard: probe stomp ws://h/ws: heart-beat 'often'"_s;
    QTest::newRow("bad subprotocol") << QStringList { u"stomp"_s, u"ws://h/ws"_s, u"--subprotocol"_s,
        u"v12 stomp"_s } << u"switchboard: probe stomp ws://h/ws: subprotocol 'v12 stomp'"_s;
    QTest::newRow("bad ack") << QStringList { u"stomp"_s, u"ws://h/ws"_s, u"--ack"_s, u"sometimes"_s }
                             << u"switchboard: probe stomp ws://h/ws: ack mode 'sometimes'"_s;
}

void TestProbeMode::badOptions()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, error);
    const ProbeRun run = runProbe(arguments, 10000);
    QVERIFY2(run.exitCode == 2, qPrintable(describe(run)));
    const QString stderrText = QString::fromUtf8(run.standardError);
    QVERIFY2(stderrText.startsWith(error), qPrintable(stderrText));
    QCOMPARE(stderrText.count(u'\n'), 1);
    QVERIFY(run.lines.isEmpty());
}

void TestProbeMode::help()
{
    QProcess process;
    process.start(qEnvironmentVariable("SB_BINARY"), { u"probe"_s, u"--help"_s });
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 0);
    const QByteArray out = process.readAllStandardOutput();
    QVERIFY2(out.contains("switchboard probe") && out.contains("--sockjs") && out.contains("--last-event-id"),
        out.constData());
}

QTEST_GUILESS_MAIN(TestProbeMode)
#include "tst_probemode.moc"
