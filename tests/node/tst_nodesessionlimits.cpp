// A STOMP session's limits on a real node (issue 3, "Limits"): a frame over
// --limit-frame-bytes, a WebSocket message over what the socket layer takes, subscriptions
// past --limit-subscriptions (also pipelined): each is refused with a clear error, counted
// in sb_dropped_total{reason}, and leaves every other session unaffected.

#include "NodeTestSupport.h"
#include "support/TestMain.h"

#include <QTest>

using namespace sb::testing;

class TestNodeSessionLimits : public QObject
{
    Q_OBJECT
private slots:
    void oversizedFrameGetsErrorAndClose();
    void hugeWebSocketMessageIsRefused();
    void tooManySubscriptions();
    void pipelinedSubscriptionsPastTheLimit_data();
    void pipelinedSubscriptionsPastTheLimit();
};

void TestNodeSessionLimits::oversizedFrameGetsErrorAndClose()
{
    NodeProcess node;
    QVERIFY2(node.start({ QStringLiteral("--limit-frame-bytes"), QStringLiteral("2048") }),
        qPrintable(node.errorString()));
    const QByteArray token = login(node.port(), QStringLiteral("alice"));
    QVERIFY(!token.isEmpty());

    RawWebSocket ws;
    QCOMPARE(ws.open(node.port()), 101);
    QVERIFY(stompConnect(ws, token).startsWith("CONNECTED"));
    // 2.5 KiB: over the STOMP limit, within what the WebSocket layer lets through.
    const QByteArray body = "{\"text\":\"" + QByteArray(2500, 'x') + "\"}";
    ws.sendText(stompFrame("SEND", { { "destination", "/app/channels.general" } }, body));
    const RawWebSocket::Message error = ws.read();
    QVERIFY2(error.payload.startsWith("ERROR"), error.payload.constData());
    QVERIFY2(stompHeader(error.payload, "message").contains("2048"), error.payload.constData());
    QCOMPARE(ws.waitForClose(), 1002);
    QVERIFY(metricValue(metricsText(node.port()), droppedTotal("bad_frame")) >= 1);

    // The node still serves a new session.
    RawWebSocket other;
    QCOMPARE(other.open(node.port()), 101);
    QVERIFY(stompConnect(other, token).startsWith("CONNECTED"));
}

void TestNodeSessionLimits::hugeWebSocketMessageIsRefused()
{
    NodeProcess node;
    QVERIFY2(node.start({ QStringLiteral("--limit-frame-bytes"), QStringLiteral("2048") }),
        qPrintable(node.errorString()));
    const QByteArray token = login(node.port(), QStringLiteral("alice"));
    RawWebSocket ws;
    QCOMPARE(ws.open(node.port()), 101);
    QVERIFY(stompConnect(ws, token).startsWith("CONNECTED"));
    // Far over the limit: the node must not buffer it (refused from the frame's header); it
    // says why, then closes with 1009.
    const QByteArray body = "{\"text\":\"" + QByteArray(200 * 1024, 'x') + "\"}";
    ws.sendText(stompFrame("SEND", { { "destination", "/app/channels.general" } }, body));
    const RawWebSocket::Message error = ws.read();
    QCOMPARE(error.opcode, 1);
    QVERIFY2(error.payload.startsWith("ERROR"), error.payload.constData());
    QVERIFY2(stompHeader(error.payload, "message").contains("frame limit (2048 bytes)"),
        error.payload.constData());
    const RawWebSocket::Message message = ws.read();
    QCOMPARE(message.opcode, 8);
    QCOMPARE(message.closeCode(), 1009);
    QTRY_COMPARE_WITH_TIMEOUT(
        metricValue(metricsText(node.port()), droppedTotal("frame_too_large")), 1.0, 5000);
}

void TestNodeSessionLimits::tooManySubscriptions()
{
    NodeProcess node;
    QVERIFY2(node.start({ QStringLiteral("--limit-subscriptions"), QStringLiteral("3") }),
        qPrintable(node.errorString()));
    RawWebSocket ws;
    QCOMPARE(ws.open(node.port()), 101);
    QVERIFY(stompConnect(ws, login(node.port(), QStringLiteral("alice"))).startsWith("CONNECTED"));
    const QByteArray destinations[]
        = { "/topic/channels.general", "/topic/channels.ops", "/user/queue/notifications" };
    int n = 0;
    for (const QByteArray &destination : destinations) {
        const QByteArray id = QByteArray::number(++n);
        ws.sendText(stompFrame(
            "SUBSCRIBE", { { "id", id }, { "destination", destination }, { "receipt", "r" + id } }));
        const RawWebSocket::Message receipt = ws.read();
        QVERIFY2(receipt.payload.startsWith("RECEIPT"), receipt.payload.constData());
    }
    ws.sendText(stompFrame(
        "SUBSCRIBE", { { "id", "4" }, { "destination", "/topic/presence" }, { "receipt", "r4" } }));
    const RawWebSocket::Message error = ws.read();
    QVERIFY2(error.payload.startsWith("ERROR"), error.payload.constData());
    QVERIFY2(stompHeader(error.payload, "message").contains("too many subscriptions (limit 3"),
        error.payload.constData());
    QCOMPARE(stompHeader(error.payload, "receipt-id"), QByteArray("r4"));
    QCOMPARE(ws.waitForClose(), 1002);
    const QByteArray metrics = metricsText(node.port());
    QCOMPARE(metricValue(metrics, droppedTotal("too_many_subscriptions")), 1.0);
    // The closed session's subscriptions are gone from the gauge.
    QTRY_COMPARE_WITH_TIMEOUT(metricValue(metricsText(node.port()), "sb_subscriptions"), 0.0, 5000);
}

void TestNodeSessionLimits::pipelinedSubscriptionsPastTheLimit_data()
{
    QTest::addColumn<bool>("oneMessage");
    QTest::newRow("150 frames in one WebSocket message") << true;
    QTest::newRow("150 WebSocket messages back to back") << false;
}

void TestNodeSessionLimits::pipelinedSubscriptionsPastTheLimit()
{
    // Issue 12 #5: a client that pipelines past the limit is owed the 100 RECEIPTs, then the
    // ERROR, then the close, even though frames it sent after the one refused are still
    // arriving when the node closes (which must then not reset the connection).
    QFETCH(bool, oneMessage);
    NodeProcess node;
    QVERIFY2(node.start(), qPrintable(node.errorString()));
    // A client that reads slowly: what the node writes cannot all be in flight at once, so
    // some of it still waits in the node's kernel when the node closes. A close that resets
    // the connection (RST: the client's frames sit unread on the node) throws that away.
    RawWebSocket ws(4096);
    QCOMPARE(ws.open(node.port()), 101);
    QVERIFY(stompConnect(ws, login(node.port(), QStringLiteral("alice"))).startsWith("CONNECTED"));
    constexpr int kSent = 150;
    constexpr int kLimit = 100; // the default --limit-subscriptions
    const QByteArray padding(200, 'x'); // long receipt ids: 100 RECEIPTs are ~23 KB
    auto receiptId = [&padding](int i) -> QByteArray { return "r" + QByteArray::number(i) + '-' + padding; };
    QByteArray burst;
    for (int i = 0; i < kSent; ++i) {
        const QByteArray frame = stompFrame("SUBSCRIBE",
            { { "id", "s" + QByteArray::number(i) }, { "destination", "/topic/channels.general" },
                { "receipt", receiptId(i) } });
        if (oneMessage)
            burst += frame;
        else
            ws.sendText(frame); // may fail once the node has closed: what it answered still counts
    }
    if (oneMessage)
        QVERIFY(ws.sendText(burst));
    // ... and goes on sending (heart-beats here) before it reads: these arrive once the node
    // has refused the 101st and closed its side.
    QVERIFY(waitForMetric(node.port(), droppedTotal("too_many_subscriptions"), 1) >= 1);
    for (int i = 0; i < 100; ++i)
        ws.sendText("\n");

    for (int i = 0; i < kLimit; ++i) {
        const RawWebSocket::Message receipt = ws.read();
        QVERIFY2(receipt.payload.startsWith("RECEIPT"),
            qPrintable(QStringLiteral("frame %1: opcode %2 '%3'")
                           .arg(i)
                           .arg(receipt.opcode)
                           .arg(QString::fromUtf8(receipt.payload))));
        QCOMPARE(stompHeader(receipt.payload, "receipt-id"), receiptId(i));
    }
    const RawWebSocket::Message error = ws.read();
    QVERIFY2(error.payload.startsWith("ERROR"), error.payload.constData());
    QVERIFY2(stompHeader(error.payload, "message").contains("too many subscriptions (limit 100"),
        error.payload.constData());
    QCOMPARE(stompHeader(error.payload, "receipt-id"), receiptId(kLimit));
    QCOMPARE(ws.waitForClose(), 1002);
}

SB_TEST_GUILESS_MAIN(TestNodeSessionLimits)
#include "tst_nodesessionlimits.moc"
