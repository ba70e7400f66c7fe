// SseProbeClient against real `switchboard node` processes: events, comments and retry as
// frames; the node's reset seam reported as GAP; HTTP refusals and refused connections as
// clear errors; and a reconnect across a replica restart: two replicas sharing Redis and
// Kafka behind a TCP relay (a load balancer's stable address), the probe's replica killed
// by pid and replaced while a message is posted on the other, the probe resuming with
// Last-Event-ID and getting the missed message once, then live ones.
#include "NodeTestSupport.h"
#include "ProbeRecorder.h"
#include "app/NodeAssembly.h"
#include "cluster/KafkaEventBus.h"
#include "cluster/KafkaMockCluster.h"
#include "inspect/SseProbeClient.h"
#include "support/RedisServerProcess.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace sb::inspect;
using sb::protocol::TrafficFrame;
using sb::testing::ProbeRecorder;
using namespace Qt::StringLiterals;

namespace {

using Dir = TrafficFrame::Direction;
constexpr int kWaitMs = 15000;

// A TCP relay on a stable loopback port to whichever replica is the target now; with no
// target it accepts and closes at once, like a load balancer with no healthy backend.
class TcpRelay
{
public:
    TcpRelay()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] { onConnection(); });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    void setTarget(quint16 port) { m_target = port; }

private:
    void onConnection()
    {
        while (QTcpSocket *in = m_server.nextPendingConnection()) {
            if (m_target == 0) {
                in->abort();
                in->deleteLater();
                continue;
            }
            auto *out = new QTcpSocket(in);
            auto pending = std::make_shared<QByteArray>();
            QObject::connect(in, &QTcpSocket::readyRead, in, [in, out, pending] {
                if (out->state() == QAbstractSocket::ConnectedState)
                    out->write(in->readAll());
                else
                    pending->append(in->readAll());
            });
            QObject::connect(out, &QTcpSocket::connected, in, [out, pending] { out->write(*pending); });
            QObject::connect(out, &QTcpSocket::readyRead, in, [in, out] { in->write(out->readAll()); });
            QObject::connect(out, &QTcpSocket::disconnected, in, [in] { in->disconnectFromHost(); });
            QObject::connect(out, &QTcpSocket::errorOccurred, in, [in] { in->abort(); });
            QObject::connect(in, &QTcpSocket::disconnected, in, [in] { in->deleteLater(); });
            out->connectToHost(QHostAddress::LocalHost, m_target);
        }
    }

    QTcpServer m_server;
    quint16 m_target = 0;
};

bool sseProbeWaitReady(quint16 port, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (sb::testing::httpGet(port, "/healthz/ready").status == 200)
            return true;
        QTest::qWait(200);
    }
    return false;
}

QByteArray sseProbePostAs(quint16 port, const QByteArray &token, const QString &text)
{
    const QByteArray body = QJsonDocument(QJsonObject { { u"text"_s, text } }).toJson(QJsonDocument::Compact);
    const auto result = sb::testing::httpPost(port, "/api/channels/general/messages", body, token);
    return result.status == 201
        ? QJsonDocument::fromJson(result.body).object().value(u"id"_s).toString().toUtf8()
        : QByteArray();
}

// The events (not comments, not the probe's own frames) whose data holds `text`.
qsizetype sseProbeEventsWith(const ProbeRecorder &saw, const QString &text)
{
    qsizetype n = 0;
    for (const TrafficFrame &frame : saw.frames)
        n += frame.direction == Dir::Out && frame.command == u"notification"
            && frame.body.contains(text.toUtf8());
    return n;
}

} // namespace

class TestSseProbe : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void eventsCommentsAndRetry();
    void resetSeamIsMarked();
    void refusedRequestIsFinal();
    void connectionRefused();
    void reconnectAcrossReplicaRestart();

private:
    SseProbeSettings settingsFor(quint16 port, const QByteArray &token) const;

    std::unique_ptr<sb::testing::NodeProcess> m_node;
};

void TestSseProbe::initTestCase()
{
    m_node = std::make_unique<sb::testing::NodeProcess>();
    QVERIFY2(m_node->start({ u"--sse-comment-seconds"_s, u"1"_s }), qPrintable(m_node->errorString()));
}

SseProbeSettings TestSseProbe::settingsFor(quint16 port, const QByteArray &token) const
{
    SseProbeSettings settings;
    settings.url = QUrl(u"http://127.0.0.1:%1/api/sse"_s.arg(port));
    settings.headers = { { u"Authorization"_s, u"Bearer "_s + QString::fromLatin1(token) } };
    return settings;
}

void TestSseProbe::eventsCommentsAndRetry()
{
    SseProbeClient probe;
    ProbeRecorder saw(&probe);
    probe.start(settingsFor(m_node->port(), sb::testing::login(m_node->port(), u"bob"_s)));
    QTRY_COMPARE_WITH_TIMEOUT(probe.state(), ProbeState::Live, kWaitMs);
    const QByteArray id
        = sseProbePostAs(m_node->port(), sb::testing::login(m_node->port(), u"alice"_s), u"for bob"_s);
    QVERIFY(!id.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(sseProbeEventsWith(saw, u"for bob"_s), 1, kWaitMs);
    QTRY_VERIFY2_WITH_TIMEOUT(saw.find(u"COMMENT"_s, Dir::Out), qPrintable(saw.commands()), kWaitMs);

    const auto get = saw.find(u"GET"_s, Dir::In);
    QVERIFY(get);
    QCOMPARE(get->header(u"Authorization"_s), u"***"_s);
    QCOMPARE(get->header(u"Accept"_s), u"text/event-stream"_s);
    QCOMPARE(get->destination, u"/api/sse"_s);
    const auto retry = saw.find(u"RETRY"_s, Dir::Out);
    QVERIFY2(retry, qPrintable(saw.commands()));
    QCOMPARE(retry->header(u"retry"_s), u"3000"_s);
    QCOMPARE(probe.retryMs(), qint64(3000));
    const auto event = saw.find([](const TrafficFrame &f) { return f.command == u"notification"; });
    QCOMPARE(event->messageId, QString::fromLatin1(id));
    QCOMPARE(event->header(u"id"_s), QString::fromLatin1(id));
    QCOMPARE(event->transport, TrafficFrame::Transport::Sse);
    QCOMPARE(event->source, u"probe"_s);
    QCOMPARE(QJsonDocument::fromJson(event->body).object().value(u"sender"_s).toString(), u"alice"_s);
    QCOMPARE(probe.lastEventId(), QString::fromLatin1(id));
    const auto comment = saw.find(u"COMMENT"_s, Dir::Out);
    QCOMPARE(comment->body, "keep-alive"_ba);
    probe.stop();
    QCOMPARE(probe.state(), ProbeState::Closed);
}

void TestSseProbe::resetSeamIsMarked()
{
    SseProbeClient probe;
    ProbeRecorder saw(&probe);
    SseProbeSettings settings = settingsFor(m_node->port(), sb::testing::login(m_node->port(), u"carol"_s));
    settings.lastEventId = u"1-no-longer-stored"_s;
    probe.start(settings);
    QTRY_VERIFY2_WITH_TIMEOUT(saw.find(u"GAP"_s, Dir::None), qPrintable(saw.commands()), kWaitMs);
    QCOMPARE(saw.find(u"GET"_s, Dir::In)->header(u"Last-Event-ID"_s), u"1-no-longer-stored"_s);
    const auto gap = saw.find(u"GAP"_s, Dir::None);
    QCOMPARE(gap->header(u"Last-Event-ID"_s), u"1-no-longer-stored"_s);
    QVERIFY2(gap->body.contains("events were missed"), gap->body.constData());
    // The node's own reset event comes first and carries no id; GAP follows it at once. Then
    // what the node still has for carol is replayed, and Last-Event-ID follows those ids.
    const qsizetype resetAt = saw.indexOf(u"reset"_s);
    QVERIFY(resetAt >= 0);
    QCOMPARE(saw.frames.at(resetAt + 1).command, u"GAP"_s);
    QVERIFY(saw.frames.at(resetAt).messageId.isEmpty());
    QVERIFY(saw.frames.at(resetAt).header(u"id"_s).isEmpty());
    QString lastId = settings.lastEventId;
    for (const TrafficFrame &frame : std::as_const(saw.frames))
        if (!frame.messageId.isEmpty())
            lastId = frame.messageId;
    QCOMPARE(probe.lastEventId(), lastId);
}

void TestSseProbe::refusedRequestIsFinal()
{
    SseProbeClient probe;
    ProbeRecorder saw(&probe);
    probe.start(settingsFor(m_node->port(), "not-a-token"));
    QTRY_COMPARE_WITH_TIMEOUT(probe.state(), ProbeState::Failed, kWaitMs);
    QVERIFY2(probe.errorString().startsWith(u"HTTP 401"_s), qPrintable(probe.errorString()));
    QVERIFY2(
        probe.errorString().contains(u"error"_s), qPrintable(probe.errorString())); // the node's JSON reason
    QCOMPARE(probe.reconnects(), 0);
}

void TestSseProbe::connectionRefused()
{
    quint16 port = 0;
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        port = server.serverPort();
    }
    SseProbeClient probe;
    probe.start(settingsFor(port, "x"));
    QTRY_COMPARE_WITH_TIMEOUT(probe.state(), ProbeState::Failed, kWaitMs);
    QCOMPARE(probe.errorString(), u"connection refused by 127.0.0.1:%1"_s.arg(port));
}

void TestSseProbe::reconnectAcrossReplicaRestart()
{
    // Two replicas sharing Redis (tokens, replay) and Kafka (the bus), as in production.
    QString error;
    sb::cluster::KafkaMockCluster kafka;
    QVERIFY2(kafka.start(1, &error), qPrintable(error));
    QList<QByteArray> topics = sb::cluster::KafkaEventBus::topics("switchboard");
    topics << sb::app::NodeAssembly::roleUpdatedTopic(u"switchboard"_s);
    for (const QByteArray &topic : std::as_const(topics))
        QVERIFY2(kafka.createTopic(topic, 2, &error), qPrintable(error));
    sb::testing::RedisServerProcess redis;
    QVERIFY2(redis.start(), qPrintable(redis.errorString()));
    QTemporaryDir dir;
    QFile secret(dir.filePath(u"jwt-secret"_s));
    QVERIFY(secret.open(QIODevice::WriteOnly));
    QByteArray bytes(48, '\0');
    for (char &byte : bytes)
        byte = char(QRandomGenerator::global()->bounded(256));
    secret.write(bytes.toBase64());
    secret.close();
    const QStringList cluster { u"--jwt-secret-file"_s, secret.fileName(), u"--redis"_s,
        u"redis://127.0.0.1:%1/0"_s.arg(redis.port()), u"--kafka"_s,
        QString::fromLatin1(kafka.bootstrapServers()), u"--kafka-session-timeout-ms"_s, u"3000"_s };
    auto first = std::make_unique<sb::testing::NodeProcess>();
    sb::testing::NodeProcess other;
    QVERIFY2(
        first->start(cluster + QStringList { u"--id"_s, u"node-a"_s }), qPrintable(first->errorString()));
    QVERIFY2(other.start(cluster + QStringList { u"--id"_s, u"node-b"_s }), qPrintable(other.errorString()));
    QVERIFY2(sseProbeWaitReady(first->port(), 60000), "node-a not ready");
    QVERIFY2(sseProbeWaitReady(other.port(), 60000), "node-b not ready");
    TcpRelay relay;
    QVERIFY(relay.listen());
    relay.setTarget(first->port());

    const QByteArray bob = sb::testing::login(first->port(), u"bob"_s);
    const QByteArray alice = sb::testing::login(other.port(), u"alice"_s);
    QVERIFY(!bob.isEmpty() && !alice.isEmpty());
    SseProbeClient probe;
    ProbeRecorder saw(&probe);
    probe.start(settingsFor(relay.port(), bob));
    // A second stream of bob's, on node-b, tells the test when a message is stored: stage 1
    // persists (Redis) before it broadcasts, so node-b delivers only what is already stored.
    SseProbeClient witness;
    ProbeRecorder witnessSaw(&witness);
    witness.start(settingsFor(other.port(), bob));
    QTRY_COMPARE_WITH_TIMEOUT(probe.state(), ProbeState::Live, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(witness.state(), ProbeState::Live, kWaitMs);

    QVERIFY(!sseProbePostAs(other.port(), alice, u"before the restart"_s).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(sseProbeEventsWith(saw, u"before the restart"_s), 1, 30000);
    const QString lastSeen = probe.lastEventId();
    QVERIFY(!lastSeen.isEmpty());

    // node-a dies (SIGKILL: no drain, no final retry:); the relay has no backend for now.
    relay.setTarget(0);
    ::kill(pid_t(first->pid()), SIGKILL);
    QVERIFY(first->waitForExit(10000));
    QTRY_COMPARE_WITH_TIMEOUT(probe.state(), ProbeState::Reconnecting, kWaitMs);
    const QByteArray missedId = sseProbePostAs(other.port(), alice, u"while node-a was down"_s);
    QVERIFY(!missedId.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(sseProbeEventsWith(witnessSaw, u"while node-a was down"_s), 1, 30000);

    // node-a comes back on the same port; once ready, the relay sends traffic to it again.
    const quint16 port = first->port();
    first = std::make_unique<sb::testing::NodeProcess>();
    QVERIFY2(first->start(cluster
                 + QStringList { u"--id"_s, u"node-a"_s, u"--listen"_s, u"127.0.0.1:%1"_s.arg(port) }),
        qPrintable(first->errorString()));
    QCOMPARE(first->port(), port);
    QVERIFY2(sseProbeWaitReady(port, 60000), "node-a not ready after its restart");
    relay.setTarget(port);

    QTRY_COMPARE_WITH_TIMEOUT(sseProbeEventsWith(saw, u"while node-a was down"_s), 1, 30000);
    QCOMPARE(probe.state(), ProbeState::Live);
    // Every reconnect said where to resume, and the one that worked resumed after the last
    // event seen: the missed message came by replay, with no gap reported.
    QVERIFY(saw.count(u"RECONNECT"_s) >= 1);
    for (const TrafficFrame &frame : std::as_const(saw.frames))
        if (frame.command == u"RECONNECT")
            QCOMPARE(frame.header(u"Last-Event-ID"_s), lastSeen);
    QVERIFY2(!saw.find(u"GAP"_s, Dir::None), qPrintable(saw.commands()));
    const auto missed
        = saw.find([](const TrafficFrame &f) { return f.body.contains("while node-a was down"); });
    QCOMPARE(missed->messageId, QString::fromLatin1(missedId));
    QVERIFY(probe.reconnects() >= 1);

    // Live again: a new message arrives once, and the old ones were not replayed twice.
    QVERIFY(!sseProbePostAs(port, alice, u"after the restart"_s).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(sseProbeEventsWith(saw, u"after the restart"_s), 1, 30000);
    QCOMPARE(sseProbeEventsWith(saw, u"before the restart"_s), 1);
    QCOMPARE(sseProbeEventsWith(saw, u"while node-a was down"_s), 1);
    probe.stop();
    witness.stop();
}

QTEST_GUILESS_MAIN(TestSseProbe)
#include "tst_sseprobe.moc"
