// A node that ends a connection says why first, and the reason reaches the client before
// the end of the stream (issue 12): an SSE stream at the end of its lifetime or during a
// drain gets a comment naming the reason and a final retry, then a lingering close; a
// STOMP session silent past its heart-beats gets an ERROR before its close. Read with raw
// sockets, every byte up to EOF. Before, the SSE stream got a bare `retry:` and the
// heart-beat timeout a close frame with no ERROR.

#include "NodeTestSupport.h"
#include "support/TestMain.h"

#include <QDeadlineTimer>
#include <QTest>

using namespace sb::testing;

namespace {

// Opens an SSE stream with a bearer token and reads until the node closes it (bounded).
QByteArray readSseUntilEof(
    quint16 port, const QByteArray &token, int timeoutMs, const std::function<void()> &afterHead = {})
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(5000))
        return {};
    socket.write(
        "GET /api/sse HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nAuthorization: Bearer "
        + token + "\r\n\r\n");
    QByteArray received;
    bool headSeen = false;
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired() && socket.state() == QAbstractSocket::ConnectedState) {
        socket.waitForReadyRead(int(qMax<qint64>(1, qMin<qint64>(100, deadline.remainingTime()))));
        received += socket.readAll();
        if (!headSeen && received.contains("\r\n\r\n")) {
            headSeen = true;
            if (afterHead)
                afterHead();
        }
    }
    received += socket.readAll();
    if (socket.state() == QAbstractSocket::ConnectedState)
        received += "\n[still open at the deadline]";
    return received;
}

} // namespace

class TestNodeCloseReasons : public QObject
{
    Q_OBJECT
private slots:
    void sseLifetimeEndSaysWhyBeforeEof()
    {
        NodeProcess node;
        QVERIFY2(node.start({ QStringLiteral("--sse-lifetime-seconds"), QStringLiteral("1") }),
            qPrintable(node.errorString()));
        const QByteArray stream
            = readSseUntilEof(node.port(), login(node.port(), QStringLiteral("alice")), 10000);
        QVERIFY2(stream.startsWith("HTTP/1.1 200"), stream.constData());
        const qsizetype reason = stream.indexOf(":closing (lifetime): stream lifetime of 1 s reached");
        QVERIFY2(reason > 0, stream.constData());
        QVERIFY2(stream.indexOf("\nretry:", reason) > reason, stream.constData()); // then when to come back
        QVERIFY2(!stream.contains("[still open"), stream.constData());
    }

    void sseDrainSaysWhyBeforeEof()
    {
        NodeProcess node;
        QVERIFY2(node.start({ QStringLiteral("--drain-min-seconds"), QStringLiteral("0") }),
            qPrintable(node.errorString()));
        const QByteArray stream = readSseUntilEof(
            node.port(), login(node.port(), QStringLiteral("bob")), 10000, [&node] { node.terminate(); });
        QVERIFY2(stream.contains(
                     ":closing (draining): server shutting down; reconnect to another replica\nretry:"),
            stream.constData());
        QVERIFY(node.waitForExit(10000));
    }

    void heartBeatTimeoutSendsErrorBeforeTheClose()
    {
        NodeProcess node;
        QVERIFY2(node.start({ QStringLiteral("--heartbeat-ms"), QStringLiteral("300") }),
            qPrintable(node.errorString()));
        RawWebSocket ws;
        QCOMPARE(ws.open(node.port()), 101);
        // The client promises a heart-beat every 300 ms and then sends nothing at all.
        QVERIFY(
            stompConnect(ws, login(node.port(), QStringLiteral("carol")), "300,0").startsWith("CONNECTED"));
        RawWebSocket::Message message;
        const QDeadlineTimer deadline(10000);
        do {
            message = ws.read(int(qMax<qint64>(1, deadline.remainingTime())));
        } while (message.opcode == 1 && message.payload.trimmed().isEmpty() && !deadline.hasExpired());
        QVERIFY2(message.payload.startsWith("ERROR"), message.payload.constData());
        // (':' is escaped as '\\c' in a STOMP 1.2 header; the body has the message as is.)
        QVERIFY2(stompHeader(message.payload, "message").startsWith("heart-beat timeout"),
            message.payload.constData());
        QVERIFY2(message.payload.contains("\n\nheart-beat timeout: nothing received for "),
            message.payload.constData());
        QCOMPARE(ws.waitForClose(5000), 1000);
    }
};

SB_TEST_GUILESS_MAIN(TestNodeCloseReasons)
#include "tst_nodeclosereasons.moc"
