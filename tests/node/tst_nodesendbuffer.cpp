// --limit-socket-send-buffer-bytes (issue 15): the node bounds the kernel's send buffer of each
// connection it accepts (SO_SNDBUF, which Linux doubles), so a client that stops reading is
// dropped by the node's outbound limits within seconds at a modest rate, with the ERROR
// before the close. Left to autotuning, the kernel takes megabytes for such a client first
// (up to net.ipv4.tcp_wmem's maximum) and the node sees nothing to age or count for minutes.
// And the option's range: 0 (autotuning) or 4096 bytes to 64 MiB.

#include "NodeTestSupport.h"
#include "node/SocketSendBuffer.h"
#include "support/TestMain.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace sb::testing;

namespace {

constexpr int kBoundBytes = 16 * 1024;
constexpr int kBoundedAgeLimitMs = 2000;
// The publisher's pace: ~2 KB messages, 25 a second (~50 KB/s): modest, and in the 20 s the
// test allows at most ~1 MB, a fraction of what an autotuned send buffer (4 MiB) takes in.
constexpr int kBoundedMessageChars = 2000;
constexpr int kBoundedPublishIntervalMs = 40;
constexpr int kBoundedDropWithinMs = 20000;

QByteArray sendBufferMessage()
{
    return QJsonDocument(QJsonObject { { QStringLiteral("text"), QString(kBoundedMessageChars, u'y') } })
        .toJson(QJsonDocument::Compact);
}

} // namespace

class TestNodeSendBuffer : public QObject
{
    Q_OBJECT
private slots:
    void theKernelDoublesTheBound();
    void stalledClientIsDroppedWithinSeconds();
    void rangeIsChecked_data();
    void rangeIsChecked();
};

void TestNodeSendBuffer::theKernelDoublesTheBound()
{
    // What SocketSendBuffer sets on an accepted socket and what the kernel then reports.
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, server.serverPort());
    QVERIFY(server.waitForNewConnection(5000));
    QTcpSocket *accepted = server.nextPendingConnection();
    QVERIFY(accepted);
    const qintptr descriptor = accepted->socketDescriptor();
    QString error;
    QVERIFY2(sb::node::SocketSendBuffer::bound(descriptor, kBoundBytes, &error), qPrintable(error));
    QCOMPARE(sb::node::SocketSendBuffer::kernelBytes(descriptor), 2 * kBoundBytes);
    QVERIFY(!sb::node::SocketSendBuffer::bound(-1, kBoundBytes, &error));
    QVERIFY2(error.startsWith(QStringLiteral("SO_SNDBUF 16384: ")), qPrintable(error));
    QCOMPARE(sb::node::SocketSendBuffer::kernelBytes(-1), -1);
}

void TestNodeSendBuffer::stalledClientIsDroppedWithinSeconds()
{
    NodeProcess node;
    QVERIFY2(node.start({ QStringLiteral("--limit-socket-send-buffer-bytes"), QString::number(kBoundBytes),
                 QStringLiteral("--limit-outbound-age-ms"), QString::number(kBoundedAgeLimitMs) }),
        qPrintable(node.errorString()));
    const quint16 port = node.port();
    QTRY_VERIFY_WITH_TIMEOUT(node.standardError().contains("socket send buffer"), 5000);
    QVERIFY2(node.standardError().contains("socket send buffer 16384 bytes (SO_SNDBUF)"),
        node.standardError().constData());

    // bob subscribes, then never reads again; his receive window is tiny.
    RawWebSocket slow(4096);
    slow.socket().setReadBufferSize(4096); // not even this process's event loop reads it for him
    QVERIFY(subscribeToGeneral(slow, port, QStringLiteral("bob"), "s"));

    const QByteArray token = login(port, QStringLiteral("alice"));
    const QByteArray message = sendBufferMessage();
    QElapsedTimer elapsed;
    elapsed.start();
    int published = 0;
    double drops = 0;
    while (drops < 1 && elapsed.elapsed() < kBoundedDropWithinMs) {
        QCOMPARE(httpPost(port, "/api/channels/general/messages", message, token).status, 201);
        ++published;
        QTest::qWait(kBoundedPublishIntervalMs);
        drops = metricValue(metricsText(port), droppedTotal("slow_consumer"));
    }
    QVERIFY2(drops == 1,
        qPrintable(QStringLiteral("not dropped after %1 messages of %2 bytes in %3 ms")
                       .arg(published)
                       .arg(message.size())
                       .arg(elapsed.elapsed())));
    qInfo("dropped after %d messages (%lld KB) in %lld ms", published,
        qint64(published) * message.size() / 1000, qint64(elapsed.elapsed()));

    // What bob was sent ends with ERROR "slow consumer" before the close: he reads it all
    // now, before the lingering close's 2 s are up.
    slow.socket().setReadBufferSize(0);
    const QByteArray lastData = readUntilClose(slow, 3000).lastData;
    QVERIFY2(lastData.startsWith("ERROR"), lastData.left(200).constData());
    QVERIFY2(stompHeader(lastData, "message").startsWith("slow consumer"), lastData.left(200).constData());
    QCOMPARE(waitForMetricAtMost(port, "sb_connections{transport=\"stomp\"}", 0, 10000), 0.0);
}

void TestNodeSendBuffer::rangeIsChecked_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("0: autotuned") << QStringLiteral("0") << true;
    QTest::newRow("the minimum") << QStringLiteral("4096") << true;
    QTest::newRow("64 MiB") << QStringLiteral("67108864") << true;
    QTest::newRow("under the minimum") << QStringLiteral("4095") << false;
    QTest::newRow("negative") << QStringLiteral("-1") << false;
    QTest::newRow("over 64 MiB") << QStringLiteral("67108865") << false;
    QTest::newRow("not a number") << QStringLiteral("64k") << false;
}

void TestNodeSendBuffer::rangeIsChecked()
{
    QFETCH(QString, value);
    QFETCH(bool, accepted);
    NodeProcess node;
    const bool started = node.start({ QStringLiteral("--limit-socket-send-buffer-bytes"), value });
    QCOMPARE(started, accepted);
    if (accepted)
        return;
    QVERIFY(node.waitForExit(5000));
    QCOMPARE(node.exitCode(), 2);
    const QByteArray error = node.standardError();
    QVERIFY2(error.contains("--limit-socket-send-buffer-bytes: expected ") && error.contains(value.toUtf8()),
        error.constData());
}

SB_TEST_GUILESS_MAIN(TestNodeSendBuffer)
#include "tst_nodesendbuffer.moc"
