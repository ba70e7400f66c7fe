// A real node's limits on HTTP connections (issue 3, "Limits"): a request head too large
// (431) or too slow (408), and idle keep-alive connections closed without a response;
// counted in sb_dropped_total{reason}.

#include "NodeTestSupport.h"
#include "support/TestMain.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTest>

using namespace sb::testing;

class TestNodeHttpLimits : public QObject
{
    Q_OBJECT
private slots:
    void oversizedHttpHeadGets431();
    void slowHeadGets408();
    void idleConnectionsCloseWithoutAResponse();
};

void TestNodeHttpLimits::oversizedHttpHeadGets431()
{
    NodeProcess node;
    QVERIFY2(node.start(), qPrintable(node.errorString()));
    const QByteArray request = "GET /healthz/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: "
        + QByteArray(17 * 1024, 'a') + "\r\n\r\n";
    const HttpResult result = rawHttp(node.port(), request);
    QCOMPARE(result.status, 431);
    QVERIFY(!result.body.isEmpty());
    QCOMPARE(httpGet(node.port(), "/healthz/live").status, 200);
}

void TestNodeHttpLimits::slowHeadGets408()
{
    NodeProcess node;
    QVERIFY2(node.start({ QStringLiteral("--limit-http-header-timeout-ms"), QStringLiteral("600") }),
        qPrintable(node.errorString()));
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), node.port());
    QVERIFY(socket.waitForConnected(5000));
    QElapsedTimer clock;
    clock.start();
    // A slowloris: one header byte every 100 ms, never finishing the head.
    socket.write("GET /healthz/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
    QByteArray response;
    while (clock.elapsed() < 5000 && socket.state() == QAbstractSocket::ConnectedState
        && !response.contains("\r\n\r\n")) {
        socket.write("a");
        socket.waitForReadyRead(100);
        response += socket.readAll();
    }
    socket.waitForDisconnected(2000);
    response += socket.readAll();
    const qint64 elapsed = clock.elapsed();
    QVERIFY2(response.startsWith("HTTP/1.1 408"), response.constData());
    QVERIFY2(elapsed >= 500 && elapsed < 3000, QByteArray::number(elapsed).constData());
    QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(metricValue(metricsText(node.port()), droppedTotal("header_timeout")), 1.0);
}

// A 408 sent to an idle connection races the client's next request on it: the client reads
// it as that request's answer (a test client did, between two /admin/stats calls 10 s
// apart). Idle connections are closed silently instead; only a begun request gets a 408.
void TestNodeHttpLimits::idleConnectionsCloseWithoutAResponse()
{
    NodeProcess node;
    QVERIFY2(node.start({ QStringLiteral("--limit-http-header-timeout-ms"), QStringLiteral("500"),
                 QStringLiteral("--limit-http-idle-timeout-ms"), QStringLiteral("2500") }),
        qPrintable(node.errorString()));
    const QByteArray get = "GET /healthz/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    auto exchange = [&get](QTcpSocket &socket) {
        socket.write(get);
        QByteArray raw;
        HttpResult result;
        const QDeadlineTimer deadline(5000);
        while (result.status == 0 && !deadline.hasExpired()
            && socket.state() == QAbstractSocket::ConnectedState) {
            socket.waitForReadyRead(100);
            raw += socket.readAll();
            result = parseHttpResponse(raw);
        }
        return result.status;
    };

    // A fresh connection that never sends a byte: closed at the head deadline, no response.
    QTcpSocket silent;
    silent.connectToHost(QStringLiteral("127.0.0.1"), node.port());
    QVERIFY(silent.waitForConnected(5000));
    QElapsedTimer clock;
    clock.start();
    QVERIFY(silent.state() == QAbstractSocket::UnconnectedState || silent.waitForDisconnected(5000));
    QVERIFY2(clock.elapsed() >= 400, QByteArray::number(clock.elapsed()).constData());
    QCOMPARE(silent.readAll(), QByteArray());

    // A kept-alive connection idle for three head deadlines is still open and silent, and
    // serves the next request.
    const auto servedOnce = [&](QTcpSocket &socket) {
        socket.connectToHost(QStringLiteral("127.0.0.1"), node.port());
        return socket.waitForConnected(5000) && exchange(socket) == 200;
    };
    QTcpSocket kept;
    QVERIFY(servedOnce(kept));
    QVERIFY(!kept.waitForReadyRead(1500));
    QCOMPARE(kept.state(), QAbstractSocket::ConnectedState);
    QCOMPARE(kept.bytesAvailable(), 0);
    QCOMPARE(exchange(kept), 200);
    // A stray CRLF after a request (RFC 9112 §2.2 lets servers ignore it) begins nothing:
    // still idle, no 408 at the head deadline.
    kept.write("\r\n");
    QVERIFY(!kept.waitForReadyRead(1500));
    QCOMPARE(kept.state(), QAbstractSocket::ConnectedState);
    QCOMPARE(exchange(kept), 200);

    // Past the idle deadline it is closed, still without a response.
    clock.restart();
    QVERIFY(kept.waitForDisconnected(6000));
    QVERIFY2(clock.elapsed() >= 2000, QByteArray::number(clock.elapsed()).constData());
    QCOMPARE(kept.readAll(), QByteArray());

    // A request begun on a kept-alive connection has the head deadline again: 408.
    QTcpSocket slow;
    QVERIFY(servedOnce(slow));
    QTest::qWait(1000); // idle: no deadline
    slow.write("GET /healthz/live HTTP/1.1\r\nHost: 127");
    QByteArray response;
    clock.restart();
    while (clock.elapsed() < 5000 && !response.contains("\r\n\r\n")
        && (slow.waitForReadyRead(100) || slow.state() == QAbstractSocket::ConnectedState))
        response += slow.readAll();
    response += slow.readAll();
    QVERIFY2(response.startsWith("HTTP/1.1 408"), response.constData());
    QVERIFY2(
        clock.elapsed() >= 400 && clock.elapsed() < 3000, QByteArray::number(clock.elapsed()).constData());
    QCOMPARE(metricValue(metricsText(node.port()), droppedTotal("header_timeout")), 2.0);
}

SB_TEST_GUILESS_MAIN(TestNodeHttpLimits)
#include "tst_nodehttplimits.moc"
