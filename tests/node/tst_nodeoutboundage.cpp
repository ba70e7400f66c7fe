// The outbound age limit of a real node (issue 15, overload): a client whose oldest unsent
// frame has waited longer than --limit-outbound-age-ms is dropped as a slow consumer, with
// the reason before the close, and counted by that limit, while --limit-outbound-bytes
// (1 MiB by default) is nowhere near; a client that reads is not.

#include "NodeTestSupport.h"
#include "support/TestMain.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>

#include <functional>

using namespace sb::testing;

namespace {

constexpr int kAgeLimitMs = 1000;
// Once the node queues, at most this many ~3 KB messages: far below the default byte limit.
constexpr int kMaxMessages = 250;
const QByteArray kAgeDrops = slowConsumersTotal("outbound_age");
const QByteArray kByteDrops = slowConsumersTotal("outbound_bytes");
const QByteArray kSlowConsumers = droppedTotal("slow_consumer");

QByteArray messageJson(int chars, char16_t filler = u'z')
{
    return QJsonDocument(QJsonObject { { QStringLiteral("text"), QString(chars, QChar(filler)) } })
        .toJson(QJsonDocument::Compact);
}

// The kernel's send buffer for a client that reads nothing grows to megabytes (tcp_wmem);
// only once it is full does the node queue anything. Messages of 4,000 three-byte characters
// (12 KB, the longest a message may be) fill it quickly; after each, `drain` (the reading
// client's turn). Returns how many were published, or -1.
int publishUntilTheNodeQueues(quint16 port, const QByteArray &token, const std::function<void(int)> &drain)
{
    const QByteArray big = messageJson(4000, u'\u20ac');
    for (int published = 1; published <= 2000; ++published) {
        if (httpPost(port, "/api/channels/general/messages", big, token).status != 201)
            return -1;
        drain(published);
        if (published % 10 == 0 && metricValue(metricsText(port), "sb_outbound_queued_bytes") > 0)
            return published;
    }
    return -1;
}

} // namespace

class TestNodeOutboundAge : public QObject
{
    Q_OBJECT
private slots:
    void stompClientTooFarBehindIsDropped();
    void sseClientTooFarBehindIsClosed();
};

void TestNodeOutboundAge::stompClientTooFarBehindIsDropped()
{
    NodeProcess node;
    QVERIFY2(node.start({ QStringLiteral("--limit-outbound-age-ms"), QString::number(kAgeLimitMs) }),
        qPrintable(node.errorString()));
    const quint16 port = node.port();

    // bob subscribes, then never reads again; his receive window is tiny.
    RawWebSocket slow(4096);
    slow.socket().setReadBufferSize(4096); // not even this process's event loop reads it for him
    QVERIFY(subscribeToGeneral(slow, port, QStringLiteral("bob"), "s"));
    // carol reads everything as it comes.
    RawWebSocket reader;
    QVERIFY(subscribeToGeneral(reader, port, QStringLiteral("carol"), "c"));

    const QByteArray token = login(port, QStringLiteral("alice"));
    int carolGot = 0;
    const auto drain = [&](int sent) {
        while (carolGot < sent) {
            const RawWebSocket::Message m = reader.read(2000);
            if (m.opcode == -1)
                break;
            if (m.payload.startsWith("MESSAGE"))
                ++carolGot;
        }
    };
    int published = publishUntilTheNodeQueues(port, token, drain);
    QVERIFY(published > 0);
    // Then a trickle, paced by carol's reading: bob's unsent frames age past the limit.
    const QByteArray small = messageJson(3000);
    double drops = 0;
    for (int trickled = 0; trickled < kMaxMessages && drops < 1; ++trickled) {
        QCOMPARE(httpPost(port, "/api/channels/general/messages", small, token).status, 201);
        drain(++published);
        QTest::qWait(20); // the publishing rate (at most 50/s): the queue must age, not fill
        drops = metricValue(metricsText(port), kAgeDrops);
    }
    QVERIFY2(
        drops == 1, qPrintable(QStringLiteral("no drop by age after %1 messages of ~3 KB").arg(published)));
    const QByteArray metrics = metricsText(port);
    QCOMPARE(metricValue(metrics, kByteDrops), 0.0);
    QCOMPARE(metricValue(metrics, kSlowConsumers), 1.0); // the total the console reads
    QCOMPARE(carolGot, published); // the reader was never behind by a second

    // What bob was sent ends with ERROR "slow consumer" before the close: he reads now, all
    // of it, before the lingering close's 2 s are up (the kernel's part of the
    // backlog, megabytes here, is the node's to send; what waited in the node was dropped).
    slow.socket().setReadBufferSize(0);
    const QByteArray lastData = readUntilClose(slow).lastData;
    QVERIFY2(lastData.startsWith("ERROR"), lastData.left(200).constData());
    const QByteArray message = stompHeader(lastData, "message");
    QVERIFY2(message.startsWith("slow consumer") && message.contains("ms unsent"), message.constData());
    // bob's session is gone, carol's is not.
    QCOMPARE(waitForMetricAtMost(port, "sb_connections{transport=\"stomp\"}", 1, 10000), 1.0);
}

void TestNodeOutboundAge::sseClientTooFarBehindIsClosed()
{
    NodeProcess node;
    QVERIFY2(node.start({ QStringLiteral("--limit-outbound-age-ms"), QString::number(kAgeLimitMs) }),
        qPrintable(node.errorString()));
    const quint16 port = node.port();
    QTcpSocket sse;
    sse.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
    sse.setReadBufferSize(4096); // not even this process's event loop reads it for bob
    sse.connectToHost(QStringLiteral("127.0.0.1"), port);
    QVERIFY(sse.waitForConnected(5000));
    sse.write("GET /api/sse HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + login(port, QStringLiteral("bob")) + "\r\n\r\n");
    QVERIFY(sse.waitForReadyRead(5000));
    QByteArray received = sse.readAll();
    QVERIFY(received.startsWith("HTTP/1.1 200"));
    QCOMPARE(waitForMetric(port, "sb_connections{transport=\"sse\"}", 1), 1.0);

    // bob's notifications, until the node queues some, then one at a time until his oldest
    // unsent event is too old.
    const QByteArray token = login(port, QStringLiteral("alice"));
    int published = publishUntilTheNodeQueues(port, token, [](int) {});
    QVERIFY(published > 0);
    const QByteArray small = messageJson(3000);
    double drops = 0;
    for (int trickled = 0; trickled < kMaxMessages && drops < 1; ++trickled, ++published) {
        QCOMPARE(httpPost(port, "/api/channels/general/messages", small, token).status, 201);
        QTest::qWait(20); // the publishing rate (at most 50/s): the queue must age, not fill
        drops = metricValue(metricsText(port), kAgeDrops);
    }
    QVERIFY2(drops == 1, qPrintable(QStringLiteral("no drop by age after %1 events").arg(published)));
    // The reason is the stream's last comment, then the retry: bob reads now, before the
    // lingering close's 2 s are up.
    sse.setReadBufferSize(0);
    const QDeadlineTimer deadline(10000);
    while (sse.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
        sse.waitForReadyRead(100);
        received += sse.readAll();
    }
    received += sse.readAll();
    QVERIFY2(received.contains(":closing (slow_consumer): slow consumer: an event waited more than"),
        received.right(300).constData());
    QCOMPARE(metricValue(metricsText(port), kByteDrops), 0.0);
    QCOMPARE(waitForMetricAtMost(port, "sb_connections{transport=\"sse\"}", 0, 10000), 0.0);
}

SB_TEST_GUILESS_MAIN(TestNodeOutboundAge)
#include "tst_nodeoutboundage.moc"
