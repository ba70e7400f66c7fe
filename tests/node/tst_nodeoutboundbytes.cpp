// The outbound byte limit of a real node (issue 3, "Limits"; the age limit is
// tst_nodeoutboundage): a STOMP or SSE client that stops reading is cut off as a slow
// consumer once --limit-outbound-bytes wait for it, counted in sb_dropped_total{reason},
// while a client that reads is still served.

#include "NodeTestSupport.h"
#include "support/TestMain.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>

using namespace sb::testing;

namespace {

// A keep-alive HTTP/1.1 client for publishing many messages quickly.
class Publisher
{
public:
    Publisher(quint16 port, QByteArray token)
        : m_token(std::move(token))
    {
        m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        m_socket.waitForConnected(5000);
    }
    int publish(const QByteArray &channel, const QString &text)
    {
        const QByteArray body
            = QJsonDocument(QJsonObject { { QStringLiteral("text"), text } }).toJson(QJsonDocument::Compact);
        m_socket.write("POST /api/channels/" + channel
            + "/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              "Authorization: Bearer "
            + m_token + "\r\nContent-Type: application/json\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        const QDeadlineTimer deadline(5000);
        while (!deadline.hasExpired()) {
            qsizetype consumed = 0;
            const HttpResult result = parseHttpResponse(m_buffer, &consumed);
            if (result.status != 0) {
                m_buffer.remove(0, consumed);
                return result.status;
            }
            if (!m_socket.waitForReadyRead(100) && m_socket.state() != QAbstractSocket::ConnectedState)
                return 0;
            m_buffer += m_socket.readAll();
        }
        return 0;
    }

private:
    QTcpSocket m_socket;
    QByteArray m_token;
    QByteArray m_buffer;
};

} // namespace

class TestNodeOutboundBytes : public QObject
{
    Q_OBJECT
private slots:
    void slowConsumerIsCutOffOthersStillServed();
    void slowSseClientIsClosed();
};

void TestNodeOutboundBytes::slowConsumerIsCutOffOthersStillServed()
{
    NodeProcess node;
    QVERIFY2(node.start({ QStringLiteral("--limit-outbound-bytes"), QStringLiteral("65536") }),
        qPrintable(node.errorString()));
    const quint16 port = node.port();

    // bob subscribes, then never reads again; his receive window is tiny.
    RawWebSocket slow(4096);
    QVERIFY(subscribeToGeneral(slow, port, QStringLiteral("bob"), "s"));

    // carol reads everything.
    RawWebSocket reader;
    QVERIFY(subscribeToGeneral(reader, port, QStringLiteral("carol"), "c"));

    Publisher publisher(port, login(port, QStringLiteral("alice")));
    const QString text(3000, u'z');
    int published = 0;
    int carolGot = 0;
    for (; published < 3000; ++published) {
        QCOMPARE(publisher.publish("general", text), 201);
        // Keep carol drained as we go (she is a fast consumer).
        for (;;) {
            const RawWebSocket::Message m = reader.read(published % 50 == 49 ? 200 : 0);
            if (m.opcode == -1)
                break;
            if (m.payload.startsWith("MESSAGE"))
                ++carolGot;
        }
        if (published % 50 == 49 && metricValue(metricsText(port), droppedTotal("slow_consumer")) >= 1)
            break;
    }
    ++published;
    QVERIFY2(metricValue(metricsText(port), droppedTotal("slow_consumer")) >= 1,
        qPrintable(QStringLiteral("no slow-consumer drop after %1 messages").arg(published)));

    // carol got every message.
    const QDeadlineTimer deadline(10000);
    while (carolGot < published && !deadline.hasExpired()) {
        const RawWebSocket::Message m = reader.read(200);
        if (m.payload.startsWith("MESSAGE"))
            ++carolGot;
    }
    QCOMPARE(carolGot, published);

    // The slow session is gone from the node (not parked with its queue) ...
    QTRY_COMPARE_WITH_TIMEOUT(
        metricValue(metricsText(port), "sb_connections{transport=\"stomp\"}"), 1.0, 10000);
    // ... and what it was sent ends with ERROR "slow consumer" (read it all now).
    const SentBeforeClose sent = readUntilClose(slow);
    QVERIFY2(sent.lastData.startsWith("ERROR"), sent.lastData.left(200).constData());
    QVERIFY2(stompHeader(sent.lastData, "message").startsWith("slow consumer"), sent.lastData.constData());
    QVERIFY2(sent.messages < published,
        qPrintable(QStringLiteral("slow client got %1 of %2 messages").arg(sent.messages).arg(published)));

    // The node keeps serving new sessions.
    RawWebSocket fresh;
    QCOMPARE(fresh.open(port), 101);
    QVERIFY(stompConnect(fresh, login(port, QStringLiteral("bob"))).startsWith("CONNECTED"));
}

void TestNodeOutboundBytes::slowSseClientIsClosed()
{
    // An SSE client that stops reading: once --limit-outbound-bytes wait in its socket the
    // stream is closed and counted (it resumes later with Last-Event-ID), never buffered on.
    NodeProcess node;
    QVERIFY2(node.start({ QStringLiteral("--limit-outbound-bytes"), QStringLiteral("65536") }),
        qPrintable(node.errorString()));
    const quint16 port = node.port();
    QTcpSocket sse;
    sse.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
    sse.connectToHost(QStringLiteral("127.0.0.1"), port);
    QVERIFY(sse.waitForConnected(5000));
    sse.write("GET /api/sse HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + login(port, QStringLiteral("bob")) + "\r\n\r\n");
    QVERIFY(sse.waitForReadyRead(5000));
    QVERIFY(sse.read(64).startsWith("HTTP/1.1 200"));
    QCOMPARE(waitForMetric(port, "sb_connections{transport=\"sse\"}", 1), 1.0);

    Publisher publisher(port, login(port, QStringLiteral("alice")));
    const QString text(3000, u'z');
    double drops = 0;
    int published = 0;
    for (; published < 3000 && drops < 1; ++published) { // bob's notifications pile up unread
        QCOMPARE(publisher.publish("general", text), 201);
        if (published % 50 == 49)
            drops = metricValue(metricsText(port), droppedTotal("slow_consumer"));
    }
    QVERIFY2(
        drops >= 1, qPrintable(QStringLiteral("no slow-consumer drop after %1 messages").arg(published)));
    // The stream is gone on the node's side.
    const QDeadlineTimer deadline(5000);
    double open = 1;
    while ((open = metricValue(metricsText(port), "sb_connections{transport=\"sse\"}")) > 0
        && !deadline.hasExpired())
        QTest::qWait(100);
    QCOMPARE(open, 0.0);
}

SB_TEST_GUILESS_MAIN(TestNodeOutboundBytes)
#include "tst_nodeoutboundbytes.moc"
