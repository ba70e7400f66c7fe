// What a 201 and a STOMP RECEIPT mean (issue 12): the message is in the stage-1 topic.
// Real `switchboard node` processes on librdkafka's mock cluster, in this process, whose
// brokers the test takes down and up. While Kafka cannot take a message, the publisher is
// told nothing; once it does, the 201 / RECEIPT comes and the record is already readable
// in {prefix}.MessageCreatedEvent. A record Kafka never takes (message.timeout.ms) is
// answered 503 with Retry-After / ERROR with receipt-id and retry-after, and a full
// producer queue is refused at once. Before, both were answered as soon as the record was
// queued, full queue included.

#include "NodeTestSupport.h"
#include "support/TestMain.h"

#include "cluster/KafkaEventBus.h"
#include "cluster/KafkaMockCluster.h"
#include "cluster/KafkaStage1Reader.h"

#include <librdkafka/rdkafka_mock.h>

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUuid>

using namespace sb::testing;

namespace {

constexpr int kMessageTimeoutMs = 3000; // the node's message.timeout.ms: how long Kafka may take
constexpr int kSlowBrokerMs = 1500; // a broker this slow to answer holds every acknowledgement back
const QByteArray kStage1Topic = QByteArrayLiteral("switchboard.MessageCreatedEvent");

const QByteArray kStompIn = QByteArrayLiteral("sb_messages_total{transport=\"stomp\",direction=\"in\"}");

bool waitPublishReady(quint16 port, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (httpGet(port, "/healthz/ready").status == 200)
            return true;
        QTest::qWait(100);
    }
    return false;
}

QByteArray textBody(const QByteArray &text)
{
    return QJsonDocument(QJsonObject { { QStringLiteral("text"), QString::fromUtf8(text) } })
        .toJson(QJsonDocument::Compact);
}

QByteArray postRequest(const QByteArray &channel, const QByteArray &json, const QByteArray &token)
{
    return "POST /api/channels/" + channel
        + "/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
          "Content-Type: application/json\r\nAuthorization: Bearer "
        + token + "\r\nContent-Length: " + QByteArray::number(json.size()) + "\r\n\r\n" + json;
}

// Reads the stage-1 topic from its start: true when a record's value contains `needle`.
bool stage1Holds(const QByteArray &bootstrap, const QByteArray &needle, QString *error)
{
    sb::cluster::KafkaSettings settings;
    settings.setBootstrapServers(bootstrap);
    sb::cluster::KafkaStage1Reader reader(settings, kStage1Topic, "tst-publishack-reader", "tst-publishack");
    if (!reader.open(error))
        return false;
    const auto partitions = reader.partitions(error);
    if (!partitions)
        return false;
    const auto ends = reader.endOffsets(*partitions, error);
    if (!ends)
        return false;
    QHash<int, sb::cluster::KafkaStage1Reader::Range> ranges;
    for (int p = 0; p < *partitions; ++p)
        if (ends->at(p) > 0)
            ranges.insert(p, { 0, ends->at(p) - 1 });
    bool found = false;
    const bool read = reader.read(
        ranges,
        [&](const sb::cluster::KafkaRecord &record) { found = found || record.value.contains(needle); },
        [] { return false; }, error);
    return read && found;
}

// Waits (bounded) for a whole response on a socket the test wrote a request to.
HttpResult readResponse(QTcpSocket &socket, int timeoutMs)
{
    QByteArray raw;
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        socket.waitForReadyRead(int(qMax<qint64>(1, qMin<qint64>(100, deadline.remainingTime()))));
        raw += socket.readAll();
        const HttpResult result = parseHttpResponse(raw);
        if (result.status != 0 && result.headers.contains("content-length"))
            return result;
    }
    return parseHttpResponse(raw);
}

QString errorOf(const HttpResult &result)
{
    return QJsonDocument::fromJson(result.body).object().value(QStringLiteral("error")).toString();
}

// The next frame that is not a heart-beat, or an empty payload at the deadline.
RawWebSocket::Message nextFrame(RawWebSocket &ws, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        RawWebSocket::Message message = ws.read(int(qMax<qint64>(1, deadline.remainingTime())));
        if ((message.opcode == 1 || message.opcode == 2) && message.payload.trimmed().isEmpty())
            continue;
        return message;
    }
    return {};
}

} // namespace

class TestNodePublishAck : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void fullProducerQueueIsRefusedAtOnce();
    void receiptComesOnceStage1HoldsTheMessage();
    void messageKafkaNeverTakesIsAnsweredRetryLater();
    void cleanup();

private:
    sb::cluster::KafkaMockCluster m_kafka;
    NodeProcess m_node; // the production queue
    NodeProcess m_smallQueue; // a producer queue of one record
};

void TestNodePublishAck::initTestCase()
{
    QString error;
    QVERIFY2(m_kafka.start(1, &error), qPrintable(error));
    QList<QByteArray> topics = sb::cluster::KafkaEventBus::topics("switchboard");
    topics << QByteArrayLiteral("switchboard.RoleUpdatedEvent");
    for (const QByteArray &topic : std::as_const(topics))
        QVERIFY2(m_kafka.createTopic(topic, 2, &error), qPrintable(error));
    const QString bootstrap = QString::fromLatin1(m_kafka.bootstrapServers());
    auto args = [&](const QString &id) {
        return QStringList { QStringLiteral("--id"), id, QStringLiteral("--kafka"), bootstrap,
            QStringLiteral("--kafka-session-timeout-ms"), QStringLiteral("3000"),
            QStringLiteral("--kafka-property"),
            QStringLiteral("message.timeout.ms=%1").arg(kMessageTimeoutMs),
            // Back quickly once the brokers are: the test waits for it.
            QStringLiteral("--kafka-property"), QStringLiteral("reconnect.backoff.max.ms=250") };
    };
    QVERIFY2(m_node.start(args(QStringLiteral("ack-1"))), qPrintable(m_node.errorString()));
    QVERIFY2(m_smallQueue.start(args(QStringLiteral("ack-2"))
                 + QStringList { QStringLiteral("--kafka-property"),
                     QStringLiteral("queue.buffering.max.messages=1") }),
        qPrintable(m_smallQueue.errorString()));
    QVERIFY2(waitPublishReady(m_node.port(), 60000), "ack-1 never became ready");
    QVERIFY2(waitPublishReady(m_smallQueue.port(), 60000), "ack-2 never became ready");
}

void TestNodePublishAck::cleanup()
{
    m_kafka.setBrokersUp();
    rd_kafka_mock_broker_set_rtt(m_kafka.handle(), -1, 0);
    if (QTest::currentTestFailed()) { // what the nodes said, for whoever reads the failure
        QTest::qWait(300); // their pipes are read by the event loop
        qWarning("ack-1:\n%s\nack-2:\n%s", m_node.standardError().right(6000).constData(),
            m_smallQueue.standardError().right(2000).constData());
    }
}

void TestNodePublishAck::fullProducerQueueIsRefusedAtOnce()
{
    // First of all: nothing else has been published yet, so this node's producer queue
    // (one record) holds nothing but what the test sends.
    const quint16 port = m_smallQueue.port();
    const QByteArray token = login(port, QStringLiteral("carol"));
    QVERIFY(!token.isEmpty());
    // The broker answers late: a record the producer took stays in its queue meanwhile.
    rd_kafka_mock_broker_set_rtt(m_kafka.handle(), -1, kSlowBrokerMs);

    // Two publishes at once: whichever the node takes first waits for Kafka, the other
    // finds the queue full and is refused at once.
    QTcpSocket publishers[2];
    QByteArray texts[2];
    for (int i = 0; i < 2; ++i) {
        publishers[i].connectToHost(QStringLiteral("127.0.0.1"), port);
        QVERIFY(publishers[i].waitForConnected(5000));
        texts[i] = "queued-" + QUuid::createUuid().toByteArray(QUuid::Id128);
        publishers[i].write(postRequest("general", textBody(texts[i]), token));
        QVERIFY(publishers[i].waitForBytesWritten(5000));
    }
    int refusedIndex = -1;
    HttpResult refused;
    const QDeadlineTimer deadline(kSlowBrokerMs / 2);
    while (refusedIndex < 0 && !deadline.hasExpired()) {
        for (int i = 0; i < 2 && refusedIndex < 0; ++i) {
            publishers[i].waitForReadyRead(10);
            if (publishers[i].bytesAvailable() > 0) {
                refused = readResponse(publishers[i], 5000);
                refusedIndex = i;
            }
        }
    }
    QVERIFY2(refusedIndex >= 0, "neither publish was answered before the broker could have acknowledged one");
    QCOMPARE(refused.status, 503);
    QCOMPARE(errorOf(refused), QStringLiteral("publish queue full, retry"));
    QVERIFY(refused.headers.value("retry-after").toInt() >= 1);
    QCOMPARE(metricValue(metricsText(port), droppedTotal("publish_queue_full")), 1.0);
    // The other is not answered while Kafka has not taken it...
    QTcpSocket &queued = publishers[1 - refusedIndex];
    queued.waitForReadyRead(10);
    QCOMPARE(queued.bytesAvailable(), 0);

    // ... and is, 201, once the broker acknowledged it: its record is in the topic by then.
    const HttpResult created = readResponse(queued, kMessageTimeoutMs + 5000);
    rd_kafka_mock_broker_set_rtt(m_kafka.handle(), -1, 0);
    QCOMPARE(created.status, 201);
    const QByteArray id
        = QJsonDocument::fromJson(created.body).object().value(QStringLiteral("id")).toString().toUtf8();
    QVERIFY(!id.isEmpty());
    QString error;
    QVERIFY2(stage1Holds(m_kafka.bootstrapServers(), id, &error),
        qPrintable(u"not in the stage-1 topic: " + error));
    QVERIFY(
        !stage1Holds(m_kafka.bootstrapServers(), texts[refusedIndex], &error)); // the refused one never went
}

void TestNodePublishAck::receiptComesOnceStage1HoldsTheMessage()
{
    const quint16 port = m_node.port();
    QVERIFY(waitPublishReady(port, 30000));
    RawWebSocket ws;
    QCOMPARE(ws.open(port), 101);
    QVERIFY(stompConnect(ws, login(port, QStringLiteral("alice"))).startsWith("CONNECTED"));
    const double framesIn = metricValue(metricsText(port), kStompIn);

    // The broker answers every request 1.5 s late: Kafka takes the record, slowly.
    rd_kafka_mock_broker_set_rtt(m_kafka.handle(), -1, kSlowBrokerMs);
    const QByteArray text = "held-" + QUuid::createUuid().toByteArray(QUuid::Id128);
    QVERIFY(ws.sendText(stompFrame("SEND",
        { { "destination", "/app/channels.general" }, { "receipt", "send-1" },
            { "content-type", "application/json" } },
        textBody(text))));
    // A SUBSCRIBE's receipt queues behind the SEND's: receipts keep the frames' order.
    QVERIFY(ws.sendText(stompFrame("SUBSCRIBE",
        { { "id", "s1" }, { "destination", "/topic/channels.general" }, { "receipt", "sub-1" } })));
    // The node has read both frames; nothing is owed to the client before Kafka answers.
    QCOMPARE(waitForMetric(port, kStompIn, framesIn + 2), framesIn + 2);
    QCOMPARE(nextFrame(ws, 100).opcode, -1);

    const RawWebSocket::Message receipt = nextFrame(ws, kMessageTimeoutMs + 5000);
    rd_kafka_mock_broker_set_rtt(m_kafka.handle(), -1, 0);
    QVERIFY2(receipt.payload.startsWith("RECEIPT"), receipt.payload.constData());
    QCOMPARE(stompHeader(receipt.payload, "receipt-id"), QByteArray("send-1"));
    QString error;
    QVERIFY2(stage1Holds(m_kafka.bootstrapServers(), text, &error),
        qPrintable(u"not in the stage-1 topic: " + error));
    const RawWebSocket::Message next = nextFrame(ws, 5000);
    QCOMPARE(stompHeader(next.payload, "receipt-id"), QByteArray("sub-1"));
}

void TestNodePublishAck::messageKafkaNeverTakesIsAnsweredRetryLater()
{
    const quint16 port = m_node.port();
    QVERIFY(waitPublishReady(port, 30000)); // login needs its dependencies
    const QByteArray token = login(port, QStringLiteral("bob"));
    RawWebSocket ws;
    QCOMPARE(ws.open(port), 101);
    QVERIFY(stompConnect(ws, token).startsWith("CONNECTED"));
    const double failedBefore = metricValue(metricsText(port), droppedTotal("publish_failed"));

    QVERIFY(m_kafka.setBrokersDown());
    QVERIFY(ws.sendText(stompFrame("SEND",
        { { "destination", "/app/channels.general" }, { "receipt", "lost-1" } }, textBody("never stored"))));
    // HTTP: no 201 ever; once message.timeout.ms is over, 503 with the reason and Retry-After.
    const HttpResult refused = rawHttp(
        port, postRequest("general", textBody("never stored either"), token), kMessageTimeoutMs + 10000);
    QCOMPARE(refused.status, 503);
    QVERIFY2(errorOf(refused).startsWith(u"message not stored ("), qPrintable(errorOf(refused)));
    QVERIFY(errorOf(refused).endsWith(u"), retry"));
    QVERIFY(refused.headers.value("retry-after").toInt() >= 1);

    // STOMP: no RECEIPT; an ERROR naming the SEND's receipt, with retry-after, then close 1013.
    const RawWebSocket::Message error = nextFrame(ws, kMessageTimeoutMs + 10000);
    QVERIFY2(error.payload.startsWith("ERROR"), error.payload.constData());
    QCOMPARE(stompHeader(error.payload, "receipt-id"), QByteArray("lost-1"));
    QVERIFY(stompHeader(error.payload, "message").startsWith("message not stored ("));
    QVERIFY(stompHeader(error.payload, "retry-after").toInt() >= 1);
    QCOMPARE(ws.waitForClose(5000), 1013);
    QCOMPARE(waitForMetric(port, droppedTotal("publish_failed"), failedBefore + 2), failedBefore + 2);
}

SB_TEST_GUILESS_MAIN(TestNodePublishAck)
#include "tst_nodepublishack.moc"
