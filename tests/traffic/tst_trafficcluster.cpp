// The Traffic area against a real devcluster (3 `switchboard node` replicas, the embedded
// Kafka, a redis-server): every replica's tap reaches the model decoded, a message's trace
// lists every hop and names a subscriber who disconnected, and `switchboard tap` /
// `switchboard trace` print what they should with the exit codes they document.
#include "app/TrafficAreaAssembly.h"
#include "cluster/KafkaSettings.h"
#include "cluster/RedisUrl.h"
#include "inspect/StompProbeSettings.h"
#include "inspect/TraceAssembler.h"
#include "models/AttachmentState.h"
#include "models/TrafficBuffer.h"
#include "models/TrafficModel.h"
#include "protocol/TapFrameCodec.h"
#include "support/DevClusterProcess.h"
#include "support/NodeClients.h"
#include "ui/AreaView.h"
#include "ui/TrafficView.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

#include <csignal>
#include <sys/types.h>

using namespace sb;
using namespace Qt::StringLiterals;

namespace {

struct ProcessResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

ProcessResult runSwitchboard(const QStringList &arguments, int timeoutMs = 60000)
{
    QProcess process;
    process.start(qEnvironmentVariable("SB_BINARY"), arguments);
    ProcessResult result;
    if (!process.waitForFinished(timeoutMs)) {
        ::kill(pid_t(process.processId()), SIGKILL);
        process.waitForFinished(5000);
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

} // namespace

class TestTrafficCluster : public QObject
{
    Q_OBJECT

    testing::DevClusterProcess m_cluster;
    QJsonObject m_endpoints;
    QList<QUrl> m_nodes;
    QStringList m_nodeArguments;
    testing::NodeClients m_clients;
    QNetworkAccessManager m_http;

    // Posts one message to `channel` through `node` as carol; its message id.
    QString publish(const QUrl &node, const QString &channel)
    {
        const QByteArray token = m_clients.login(node, u"carol"_s);
        if (token.isEmpty())
            return {};
        QUrl url = node;
        url.setPath(u"/api/channels/%1/messages"_s.arg(channel));
        QNetworkRequest request(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
        request.setRawHeader("Authorization", "Bearer " + token);
        QNetworkReply *reply = m_http.post(request, R"({"text":"traced"})"_ba);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!finished.wait(10000))
            return {};
        reply->deleteLater();
        return QJsonDocument::fromJson(reply->readAll()).object().value(u"id"_s).toString();
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_cluster.start(), qPrintable(m_cluster.errorString()));
        m_endpoints = m_cluster.endpoints();
        m_nodes = m_cluster.nodeUrls();
        for (const QUrl &node : std::as_const(m_nodes))
            m_nodeArguments << u"--node"_s << node.toString();
        QCOMPARE(m_nodes.size(), 3);
    }

    void tapsOfEveryReplicaReachTheModelAndTheTraceNamesTheMissed()
    {
        // Alice listens on every replica; bob subscribes on node-2 and leaves before the message.
        QString error;
        for (const QUrl &node : std::as_const(m_nodes))
            QVERIFY2(m_clients.openStompSession(node, u"alice"_s, "/topic/channels.general", &error),
                qPrintable(error));
        QWebSocket *bob = m_clients.openStompSession(m_nodes[1], u"bob"_s, "/topic/channels.general", &error);
        QVERIFY2(bob, qPrintable(error));

        // The console's Traffic area, as the console builds it (sessions above exist before it
        // attaches: the node's STATE frames tell it who is subscribed).
        models::AttachmentState attachment;
        ui::AreaView area(u"traffic"_s, ui::EmptyState { u"Traffic"_s, {}, {} });
        app::TrafficAreaAssembly traffic(&area, { {}, u"admin"_s, u"admin"_s }, u"test"_s, &attachment);
        traffic.start();
        QList<inspect::TapEndpoint> endpoints;
        for (int i = 0; i < m_nodes.size(); ++i)
            endpoints.append({ u"node-%1"_s.arg(i + 1), m_nodes[i] });
        traffic.setEndpoints(endpoints);
        // The console's own readers: the Redis monitor (silent here: the bus is Kafka) and a
        // tail of the stage-1 topic, which never joins a group.
        traffic.setClusterSources(cluster::RedisUrl::parse(m_endpoints.value(u"redis"_s).toString()),
            cluster::KafkaSettings(m_endpoints.value(u"kafka"_s).toString().toUtf8()), u"switchboard"_s);
        traffic.startKafkaTail({ u"switchboard.MessageCreatedEvent"_s }, 0, 0, {});
        ui::TrafficView *view = traffic.view();
        QVERIFY(view);
        auto liveTaps = [view] {
            int live = 0;
            for (const auto &source : view->sources())
                live
                    += source.kind == u"tap" && source.state == inspect::TapSourceStatus::State::Live ? 1 : 0;
            return live;
        };
        QTRY_COMPARE_WITH_TIMEOUT(liveTaps(), 3, 20000);
        auto sourceState = [view](const QString &id) {
            for (const auto &source : view->sources())
                if (source.id == id)
                    return source.state;
            return inspect::TapSourceStatus::State::Stopped;
        };
        QTRY_COMPARE_WITH_TIMEOUT(sourceState(u"kafka"_s), inspect::TapSourceStatus::State::Live, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(sourceState(u"redis"_s), inspect::TapSourceStatus::State::Live, 20000);
        // Bob's subscription is known (baseline or live SUBSCRIBE), then he leaves.
        auto bobSessionKnown = [&traffic] {
            const auto *buffer = traffic.model()->buffer();
            for (qsizetype i = 0; i < buffer->size(); ++i)
                if (buffer->at(i).user == u"bob" && buffer->at(i).source == u"node-2")
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(bobSessionKnown(), 10000);
        bob->close();
        auto bobClosed = [&traffic] {
            const auto *buffer = traffic.model()->buffer();
            for (qsizetype i = 0; i < buffer->size(); ++i)
                if (buffer->at(i).user == u"bob" && buffer->at(i).command == u"CLOSE")
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(bobClosed(), 10000);

        // A probe of the user's own (Capture → Probe an endpoint…) on node-3.
        inspect::StompProbeSettings probe;
        probe.url = QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(m_nodes[2].port()));
        probe.connectHeaders = { { u"Authorization"_s,
            u"Bearer "_s + QString::fromUtf8(m_clients.login(m_nodes[2], u"carol"_s)) } };
        probe.subscriptions = { u"/topic/channels.general"_s };
        emit view->stompProbeRequested(probe);
        QTRY_COMPARE_WITH_TIMEOUT(sourceState(u"probe"_s), inspect::TapSourceStatus::State::Live, 20000);

        const QString id = publish(m_nodes[0], u"general"_s);
        QVERIFY(!id.isEmpty());
        // The probe's MESSAGE joins the timeline and the trace as a delivery.
        auto probeDelivered = [view, &id] {
            for (const auto &hop : view->traceOf(id).hops)
                if (hop.source == u"probe" && hop.kind == inspect::TraceHop::Kind::DeliveredStomp)
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(probeDelivered(), 20000);
        emit view->probeStopRequested();
        // Decoded STOMP MESSAGE rows from all three replicas, carrying the id.
        auto deliveredOn = [&traffic, &id] {
            QSet<QString> sources;
            const models::TrafficModel *model = traffic.model();
            for (int row = 0; row < model->rowCount(); ++row) {
                const auto *frame = model->frameAt(row);
                if (frame->messageId == id && frame->command == u"MESSAGE"
                    && frame->transport == protocol::TrafficFrame::Transport::Stomp
                    && frame->destination == u"/topic/channels.general" && frame->body.contains("traced"))
                    sources.insert(frame->source);
            }
            return sources;
        };
        QTRY_COMPARE_WITH_TIMEOUT(
            deliveredOn(), (QSet<QString> { u"node-1"_s, u"node-2"_s, u"node-3"_s, u"probe"_s }), 20000);

        // The console's own tail of the stage-1 topic fetches on its own schedule.
        auto tailedRecords = [view, &id] {
            int count = 0;
            for (const auto &hop : view->traceOf(id).hops)
                count += hop.kind == inspect::TraceHop::Kind::KafkaRecord ? 1 : 0;
            return count;
        };
        QTRY_COMPARE_WITH_TIMEOUT(tailedRecords(), 1, 20000);
        const inspect::MessageTrace trace = view->traceOf(id);
        QCOMPARE(trace.channel, u"general"_s);
        QVERIFY(trace.publishedMs > 0);
        // In time order the publish comes first among the replicas' hops (the console's own
        // Kafka tail stamps the record with its produce time, which may precede it).
        const auto firstNodeHop = std::find_if(trace.hops.cbegin(), trace.hops.cend(),
            [](const inspect::TraceHop &hop) { return hop.source.startsWith(u"node-"_s); });
        QCOMPARE(firstNodeHop->kind, inspect::TraceHop::Kind::Publish);
        QCOMPARE(firstNodeHop->source, u"node-1"_s);
        int stage1 = 0, broadcasts = 0, deliveries = 0, tailed = 0;
        for (qsizetype i = 0; i < trace.hops.size(); ++i) {
            const auto &hop = trace.hops[i];
            if (i > 0)
                QVERIFY(trace.hops[i - 1].tsMs <= hop.tsMs);
            QVERIFY(hop.latencyKnown());
            if (hop.kind
                != inspect::TraceHop::Kind::KafkaRecord) // the tail's time is the record's produce time
                QVERIFY2(hop.latencyMs >= 0, qPrintable(trace.toText()));
            stage1 += hop.kind == inspect::TraceHop::Kind::Stage1 ? 1 : 0;
            broadcasts += hop.kind == inspect::TraceHop::Kind::Broadcast ? 1 : 0;
            deliveries += hop.kind == inspect::TraceHop::Kind::DeliveredStomp ? 1 : 0;
            if (hop.kind == inspect::TraceHop::Kind::KafkaRecord) {
                ++tailed;
                QCOMPARE(hop.source, u"kafka"_s);
                QVERIFY2(hop.detail.startsWith(u"partition "_s), qPrintable(hop.detail));
            }
        }
        QCOMPARE(tailed, 1); // the console's own reader saw the stage-1 record
        QVERIFY2(stage1 >= 1, qPrintable(trace.toText())); // at least once (a redone batch repeats it)
        QVERIFY2(broadcasts >= 3, qPrintable(trace.toText()));
        QCOMPARE(deliveries, 5); // alice on each replica, the probe's session on node-3, and the probe itself
        QCOMPARE(trace.deliveredSources().size(), 4); // three replicas and the probe
        QCOMPARE(trace.missed.size(), 1);
        QCOMPARE(trace.missed.first().user, u"bob"_s);
        QCOMPARE(trace.missed.first().source, u"node-2"_s);
        QVERIFY2(trace.missed.first().reason.startsWith(u"disconnected"_s),
            qPrintable(trace.missed.first().reason));

        // A session recording saved now carries the frames captured since its first sample.
        const QJsonObject section
            = traffic
                  .recordingSection(QDateTime::fromMSecsSinceEpoch(trace.publishedMs - 5000),
                      QDateTime::currentDateTimeUtc())
                  .value(u"traffic"_s)
                  .toObject();
        QCOMPARE(section.value(u"format"_s).toString(), u"switchboard-traffic/1"_s);
        int recordedHops = 0;
        for (const QJsonValue &frame : section.value(u"frames"_s).toArray()) {
            QVERIFY(frame.toObject().value(u"ts"_s).toDouble() >= double(trace.publishedMs - 5000));
            recordedHops += frame.toObject().value(u"messageId"_s).toString() == id ? 1 : 0;
        }
        QCOMPARE(recordedHops, trace.hops.size());
        QCOMPARE(section.value(u"omitted"_s).toInt(), 0);

        // The area's snapshot carries the rows (with replica ids and commands) and the trace.
        const QJsonObject state = view->snapshotState();
        QSet<QString> replicas;
        for (const QJsonValue &row : state.value(u"rows"_s).toArray())
            if (!row.toObject().value(u"command"_s).toString().isEmpty())
                replicas.insert(row.toObject().value(u"replica"_s).toString());
        QVERIFY(replicas.contains(QSet<QString> { u"node-1"_s, u"node-2"_s, u"node-3"_s }));
        QVERIFY(replicas.contains(u"kafka"_s)); // the console's own tail
        QVERIFY(!state.value(u"trace"_s).toObject().value(u"hops"_s).toArray().isEmpty());
        QVERIFY(state.value(u"trace"_s).toObject().value(u"missed"_s).isArray());
        QCOMPARE(state.value(u"counts"_s).toObject().value(u"droppedByConsole"_s).toInt(), 0);
    }

    void redisBusHopsJoinTheTimeline()
    {
        testing::DevClusterProcess redisBus;
        QVERIFY2(redisBus.start({ u"--bus"_s, u"redis"_s }), qPrintable(redisBus.errorString()));
        const QJsonObject endpoints = redisBus.endpoints();
        const QList<QUrl> nodes = redisBus.nodeUrls();
        QList<inspect::TapEndpoint> taps;
        for (qsizetype i = 0; i < nodes.size(); ++i)
            taps.append({ redisBus.nodeIds().at(i), nodes.at(i) });
        models::AttachmentState attachment;
        ui::AreaView area(u"traffic"_s, ui::EmptyState { u"Traffic"_s, {}, {} });
        app::TrafficAreaAssembly traffic(&area, { {}, u"admin"_s, u"admin"_s }, u"test"_s, &attachment);
        traffic.start();
        traffic.setEndpoints(taps);
        traffic.setClusterSources(cluster::RedisUrl::parse(endpoints.value(u"redis"_s).toString()),
            cluster::KafkaSettings(endpoints.value(u"kafka"_s).toString().toUtf8()), u"switchboard"_s);
        ui::TrafficView *view = traffic.view();
        auto live = [view] {
            int count = 0;
            for (const auto &source : view->sources())
                count += source.state == inspect::TapSourceStatus::State::Live ? 1 : 0;
            return count;
        };
        QTRY_COMPARE_WITH_TIMEOUT(live(), 4, 20000); // 3 taps and the Redis monitor
        const QString id = publish(nodes[0], u"general"_s);
        QVERIFY(!id.isEmpty());
        auto hopsOf = [view, &id](inspect::TraceHop::Kind kind) {
            QSet<QString> sources;
            for (const auto &hop : view->traceOf(id).hops)
                if (hop.kind == kind)
                    sources.insert(hop.source + u' ' + hop.transport);
            return sources;
        };
        // The monitor's PUBLISH frame and each replica's BROADCAST from Redis.
        QTRY_COMPARE_WITH_TIMEOUT(
            hopsOf(inspect::TraceHop::Kind::RedisMessage), QSet<QString> { u"redis redis"_s }, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(hopsOf(inspect::TraceHop::Kind::Broadcast),
            (QSet<QString> { u"node-1 redis"_s, u"node-2 redis"_s, u"node-3 redis"_s }), 20000);
    }

    void tapCommandPrintsFilteredFrames()
    {
        QProcess tap;
        tap.start(qEnvironmentVariable("SB_BINARY"),
            QStringList {
                u"tap"_s, u"--filter"_s, u"cmd=POST"_s, u"--count"_s, u"2"_s, u"--timeout"_s, u"60"_s }
                + m_nodeArguments);
        QVERIFY(tap.waitForStarted(5000));
        // Publish until the tap has its two frames (it may attach after the first posts).
        QDeadlineTimer deadline(40000);
        int posted = 0;
        while (tap.state() == QProcess::Running && !deadline.hasExpired()) {
            QVERIFY(!publish(m_nodes[posted % 3], u"general"_s).isEmpty());
            ++posted;
            tap.waitForFinished(500);
        }
        QCOMPARE(tap.exitStatus(), QProcess::NormalExit);
        QCOMPARE(tap.exitCode(), 0);
        const QList<QByteArray> lines = tap.readAllStandardOutput().trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        protocol::TapFrameCodec codec;
        for (const QByteArray &line : lines) {
            QString error;
            const auto frame = codec.decode(line, &error);
            QVERIFY2(frame, qPrintable(error));
            QCOMPARE(frame->command, u"POST"_s);
            QCOMPARE(frame->transport, protocol::TrafficFrame::Transport::Http);
            QVERIFY(frame->source.startsWith(u"node-"_s));
            QVERIFY(!frame->messageId.isEmpty());
        }
    }

    void tapCommandExitCodes()
    {
        const ProcessResult bad = runSwitchboard(
            { u"tap"_s, u"--filter"_s, u"user:/(x/"_s, u"--node"_s, u"http://127.0.0.1:1"_s });
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.startsWith("switchboard: --filter: bad regular expression"), bad.err.constData());
        QCOMPARE(bad.err.count('\n'), 1);
        QCOMPARE(runSwitchboard({ u"tap"_s }).exitCode, 2);
        QCOMPARE(runSwitchboard({ u"tap"_s, u"--format"_s, u"xml"_s, u"--node"_s, u"http://127.0.0.1:1"_s })
                     .exitCode,
            2);

        const ProcessResult down
            = runSwitchboard({ u"tap"_s, u"--node"_s, u"http://127.0.0.1:1"_s, u"--timeout"_s, u"2"_s });
        QCOMPARE(down.exitCode, 1);
        QVERIFY2(
            down.err.contains("switchboard: no replica could be tapped within 2 s"), down.err.constData());

        const ProcessResult refused = runSwitchboard(
            QStringList { u"tap"_s, u"--password"_s, u"wrong"_s, u"--timeout"_s, u"30"_s } + m_nodeArguments);
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("switchboard: every replica refused the credentials"),
            refused.err.constData());
    }

    void traceCommandFollowsAPublishedMessage()
    {
        const ProcessResult result = runSwitchboard(
            QStringList { u"trace"_s, u"--publish"_s, u"general"_s, u"--format"_s, u"json"_s }
            + m_nodeArguments);
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QJsonObject trace = QJsonDocument::fromJson(result.out).object();
        QCOMPARE(trace.value(u"channel"_s).toString(), u"general"_s);
        QSet<QString> delivered;
        for (const QJsonValue &hop : trace.value(u"hops"_s).toArray())
            if (hop.toObject().value(u"kind"_s).toString().startsWith(u"delivered"_s))
                delivered.insert(hop.toObject().value(u"replica"_s).toString());
        QCOMPARE(delivered, (QSet<QString> { u"node-1"_s, u"node-2"_s, u"node-3"_s }));
        QCOMPARE(
            trace.value(u"hops"_s).toArray().first().toObject().value(u"kind"_s).toString(), u"publish"_s);

        const ProcessResult unseen = runSwitchboard(
            QStringList { u"trace"_s, u"no-such-id"_s, u"--wait"_s, u"2"_s } + m_nodeArguments);
        QCOMPARE(unseen.exitCode, 1);
        QVERIFY2(unseen.err.contains("message no-such-id was not seen"), unseen.err.constData());
        QCOMPARE(runSwitchboard({ u"trace"_s, u"--node"_s, u"http://127.0.0.1:1"_s }).exitCode, 2);
    }

    void cleanupTestCase()
    {
        m_clients.closeAll();
        m_cluster.stop();
    }
};

QTEST_MAIN(TestTrafficCluster)
#include "tst_trafficcluster.moc"
