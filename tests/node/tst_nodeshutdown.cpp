// Graceful shutdown of a real node (issue 3, "Operations"): SIGTERM makes readiness false
// at once while clients are still connected, STOMP clients get ERROR + close 1001, SSE
// clients a final `retry:` and the close, new work is refused, and the process exits 0
// within the grace period.

#include "NodeTestSupport.h"
#include "support/TestMain.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QTest>

#include <csignal>
#include <memory>

using namespace sb::testing;

class TestNodeShutdown : public QObject
{
    Q_OBJECT
private slots:
    void sigtermDrainsAndExitsZero();
    void sigintDrainsAnIdleNode();
};

void TestNodeShutdown::sigtermDrainsAndExitsZero()
{
    NodeProcess node;
    QVERIFY2(node.start({ QStringLiteral("--grace-seconds"), QStringLiteral("8") }),
        qPrintable(node.errorString()));
    const quint16 port = node.port();
    QCOMPARE(httpGet(port, "/healthz/ready").status, 200);

    RawWebSocket stomp;
    QCOMPARE(stomp.open(port), 101);
    QVERIFY(stompConnect(stomp, login(port, QStringLiteral("alice"))).startsWith("CONNECTED"));

    QTcpSocket sse;
    sse.connectToHost(QStringLiteral("127.0.0.1"), port);
    QVERIFY(sse.waitForConnected(5000));
    sse.write("GET /api/sse HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + login(port, QStringLiteral("bob")) + "\r\n\r\n");
    QByteArray sseBytes;
    QDeadlineTimer deadline(5000);
    while (!sseBytes.contains("retry:") && !deadline.hasExpired()) {
        sse.waitForReadyRead(50);
        sseBytes += sse.readAll();
    }
    QVERIFY2(sseBytes.startsWith("HTTP/1.1 200"), sseBytes.constData());
    const qsizetype headEnd = sseBytes.indexOf("\r\n\r\n") + 4;

    QElapsedTimer clock;
    clock.start();
    node.terminate();

    // Readiness is false at once, answered on a new connection while the drain runs.
    HttpResult ready;
    deadline = QDeadlineTimer(2000);
    do {
        ready = httpGet(port, "/healthz/ready");
    } while (ready.status != 503 && !deadline.hasExpired());
    QCOMPARE(ready.status, 503);
    QVERIFY2(ready.body.contains("\"draining\":true"), ready.body.constData());
    QVERIFY2(clock.elapsed() < 1000, QByteArray::number(clock.elapsed()).constData());
    // New work is refused with a reason; liveness still answers.
    const HttpResult loginDuringDrain
        = httpPost(port, "/api/auth/login", R"({"username":"carol","password":"carol"})");
    QCOMPARE(loginDuringDrain.status, 503);
    QCOMPARE(loginDuringDrain.headers.value("retry-after"), QByteArray("1"));
    QCOMPARE(httpGet(port, "/healthz/live").status, 200);
    RawWebSocket late;
    QCOMPARE(late.open(port), 503);

    // The STOMP client: ERROR "server shutting down", then close 1001 going away.
    RawWebSocket::Message message;
    do {
        message = stomp.read(5000);
    } while (message.opcode == 1 && message.payload.trimmed().isEmpty());
    QVERIFY2(message.payload.startsWith("ERROR"), message.payload.constData());
    QCOMPARE(stompHeader(message.payload, "message"), QByteArray("server shutting down"));
    message = stomp.read(5000);
    QCOMPARE(message.opcode, 8);
    QCOMPARE(message.closeCode(), 1001);

    // The SSE client: a final retry: and the close.
    deadline = QDeadlineTimer(5000);
    while (sse.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
        sse.waitForReadyRead(50);
        sseBytes += sse.readAll();
    }
    sseBytes += sse.readAll();
    QCOMPARE(sse.state(), QAbstractSocket::UnconnectedState);
    const QByteArray tail = sseBytes.mid(headEnd);
    // One retry: opened the stream, the other is its last field before the close.
    QCOMPARE(tail.count("retry:"), 2);
    QVERIFY2(
        tail.endsWith("\n\n") && tail.trimmed().split('\n').last().startsWith("retry:"), tail.constData());

    // Every client gone: the process exits 0 well within the grace period.
    QVERIFY2(node.waitForExit(7000), "the node did not exit within the grace period");
    QCOMPARE(node.exitCode(), 0);
    QVERIFY2(clock.elapsed() < 8000, QByteArray::number(clock.elapsed()).constData());
    const QByteArray log = node.standardError();
    QVERIFY2(log.contains("draining"), log.constData());
}

void TestNodeShutdown::sigintDrainsAnIdleNode()
{
    NodeProcess node;
    QVERIFY2(node.start(), qPrintable(node.errorString()));
    QCOMPARE(httpGet(node.port(), "/healthz/live").status, 200);
    ::kill(pid_t(node.pid()), SIGINT);
    QVERIFY(node.waitForExit(5000));
    QCOMPARE(node.exitCode(), 0);
}

SB_TEST_GUILESS_MAIN(TestNodeShutdown)
#include "tst_nodeshutdown.moc"
