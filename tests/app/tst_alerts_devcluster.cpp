// The console's devcluster alerts end to end (issue 13), on one real devcluster (mock
// Kafka, a redis-server child, two `switchboard node` children) started once for all of
// them: each scenario assembles the area its alert reads as the console does, evaluates
// the console's alerts over it with short holds, causes the fault, and checks the alert is
// raised after its hold with its figure, then cleared once the fault is gone. The scenarios
// run in the order below, each leaving the cluster as it found it; Redis killed comes last.
#include "AlertDevClusterFixture.h"
#include "DemoTrafficThread.h"
#include "app/ConsoleAlerts.h"
#include "app/RedisAreaAssembly.h"
#include "app/ReplicasAreaAssembly.h"
#include "app/SlowConsumer.h"
#include "app/TrafficAreaAssembly.h"
#include "cluster/RedisConnection.h"
#include "cluster/RedisUrl.h"
#include "models/AlertRules.h"
#include "models/ReplicaModel.h"
#include "support/NodeClients.h"
#include "ui/AreaView.h"
#include "ui/RedisView.h"
#include "ui/TrafficView.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QThread>

#include <algorithm>

#include <csignal>
#include <memory>
#include <vector>

#include <sys/types.h>

using namespace sb;
using namespace Qt::StringLiterals;
using models::Alert;
using models::AlertRules;
using testing::AlertDevClusterFixture;
using testing::findAlert;

namespace {

// `count` messages of `text` to the `general` channel through the node's HTTP API, sent at
// once (the manager keeps up to 6 connections busy): empty when every one was answered 201,
// else what came back for the first that was not, for a failure's message.
QString postMessages(
    QNetworkAccessManager *http, const QUrl &node, const QByteArray &token, const QString &text, int count)
{
    QUrl url = node;
    url.setPath(u"/api/channels/general/messages"_s);
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    request.setRawHeader("Authorization", "Bearer " + token);
    const QByteArray body = QJsonDocument(QJsonObject { { u"text"_s, text } }).toJson(QJsonDocument::Compact);
    std::vector<std::unique_ptr<QNetworkReply>> replies;
    for (int i = 0; i < count; ++i)
        replies.emplace_back(http->post(request, body));
    const bool answered = QTest::qWaitFor(
        [&replies] {
            return std::all_of(replies.begin(), replies.end(), [](const auto &r) { return r->isFinished(); });
        },
        30000);
    if (!answered)
        return u"not all answered within 30 s"_s;
    for (const auto &reply : replies) {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status != 201)
            return u"HTTP %1 (%2): %3"_s.arg(status).arg(
                reply->errorString(), QString::fromUtf8(reply->readAll().left(200)));
    }
    return {};
}

// The Replicas area on the cluster's registry, assembled as the console does, and the
// console's alerts over it alone, evaluating with short holds from the start.
struct ReplicasUnderAlerts
{
    ReplicasUnderAlerts(const cluster::RedisUrl &registry, models::ProfileStore *profiles)
        : replicas(&area, discoveryFrom(registry), &attachment)
        , alerts(&attachment, profiles)
    {
        replicas.start();
        alerts.restart({}, thresholds);
        alerts.watch(&replicas, nullptr, nullptr);
        alerts.start();
    }

    static inspect::ReplicaDiscoveryConfig discoveryFrom(const cluster::RedisUrl &registry)
    {
        inspect::ReplicaDiscoveryConfig discovery;
        discovery.redis = registry;
        return discovery;
    }

    const models::AlertThresholds thresholds = AlertDevClusterFixture::shortHolds();
    ui::AreaView area { u"replicas"_s, { u"Replicas"_s, {}, {} } };
    models::AttachmentState attachment;
    app::ReplicasAreaAssembly replicas;
    app::ConsoleAlerts alerts;
};

} // namespace

class TestAlertsDevCluster : public QObject
{
    Q_OBJECT
    AlertDevClusterFixture m_fixture;

    QUrl nodeUrl(const QString &id) const { return QUrl(m_fixture.cluster()->nodeUrl(id)); }
    cluster::RedisUrl redisUrl() const
    {
        return cluster::RedisUrl::parse(m_fixture.endpoints().value(u"redis"_s).toString());
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"switchboard-test"_s);
        QCoreApplication::setApplicationName(u"tst_alerts_devcluster"_s);
        QVERIFY2(!qEnvironmentVariableIsEmpty("SB_BINARY"),
            "run through ctest (SB_BINARY names the switchboard binary)");
        app::DevClusterOptions options;
        options.replicas = 2; // node-2 is killed by one scenario; node-1 serves the others
        options.redisRestartAfterMs = 5000; // Redis killed stays down longer than the raise hold
        QString error;
        QVERIFY2(m_fixture.start(options, &error), qPrintable(error));
    }

    void cleanupTestCase() { QVERIFY2(m_fixture.stop(), "the devcluster's children outlived it"); }

    // The "tap frames dropped" alert for the console's own drops: the demo's traffic posted
    // to node-1 from a thread of its own (so it goes on whatever this thread does), the
    // Traffic area tapping node-1. The GUI thread is then kept busy for 6 s, the situation
    // the batcher guards against: the capture thread's batches go unacknowledged, and past
    // TrafficBatcher::kMaxBatchesInFlight it drops and counts frames. Once the GUI thread runs
    // again it applies the queued batches, the count reaches the alert as the `console`
    // subject, and the alert clears once nothing more was dropped for the window.
    void busyGuiThreadRaisesConsoleTapDropsThenClears()
    {
        testing::DemoTrafficThread demo(100, { nodeUrl(u"node-1"_s) });
        models::AttachmentState attachment;
        ui::AreaView area(u"traffic"_s, ui::EmptyState { u"Traffic"_s, {}, {} });
        app::TrafficAreaAssembly traffic(&area, { {}, u"admin"_s, u"admin"_s }, u"test"_s, &attachment);
        traffic.start();
        traffic.setEndpoints({ { u"node-1"_s, nodeUrl(u"node-1"_s) } });
        app::ConsoleAlerts alerts(&attachment, m_fixture.profiles());
        const models::AlertThresholds thresholds = AlertDevClusterFixture::shortHolds();
        alerts.restart({}, thresholds);
        alerts.watch(nullptr, nullptr, &traffic);
        alerts.start();

        // Frames flowing from a live tap, none dropped, and the alerts have seen that 0.
        auto liveTaps = [&traffic] {
            int live = 0;
            for (const auto &source : traffic.view()->sources())
                live
                    += source.kind == u"tap" && source.state == inspect::TapSourceStatus::State::Live ? 1 : 0;
            return live;
        };
        QTRY_COMPARE_WITH_TIMEOUT(liveTaps(), 1, 20000);
        QSignalSpy applied(&traffic, &app::TrafficAreaAssembly::batchApplied);
        QTRY_VERIFY_WITH_TIMEOUT(applied.size() >= 5, 10000);
        QCOMPARE(traffic.droppedByConsole(), std::optional<qint64>(0));
        const QDateTime seenZero = QDateTime::currentDateTimeUtc();
        QTRY_VERIFY_WITH_TIMEOUT(alerts.engine().evaluatedAt() > seenZero, 5000);
        QVERIFY(!findAlert(alerts.model()->active(), AlertRules::TapDrops, u"console"_s));

        // The GUI thread busy (a stall, not a wait for something): the capture thread goes on.
        QThread::msleep(6000);

        QTRY_VERIFY_WITH_TIMEOUT(traffic.droppedByConsole().value_or(0) > 0, 5000);
        const qint64 dropped = *traffic.droppedByConsole();
        QTRY_VERIFY_WITH_TIMEOUT(
            findAlert(alerts.model()->active(), AlertRules::TapDrops, u"console"_s), 10000);
        const Alert raised = *findAlert(alerts.model()->active(), AlertRules::TapDrops, u"console"_s);
        QCOMPARE(raised.severity, Alert::Severity::Info);
        QVERIFY2(raised.figure.contains(u"tap frames dropped by the console"_s), qPrintable(raised.figure));
        QVERIFY2(raised.figure.startsWith(u'+'), qPrintable(raised.figure));
        QVERIFY(raised.since.secsTo(raised.raisedAt) >= thresholds.raiseAfterSeconds);

        // Keeping up again: no more drops, so the alert clears after the window and the hold.
        QTRY_VERIFY_WITH_TIMEOUT(
            !findAlert(alerts.model()->active(), AlertRules::TapDrops, u"console"_s), 20000);
        QVERIFY(findAlert(alerts.model()->recent(), AlertRules::TapDrops, u"console"_s));
        QVERIFY(traffic.droppedByConsole().value_or(0) >= dropped); // a counter: never down
    }

    // The "slow consumers dropped" alert: the Replicas area reading the registry hash, where
    // the node announces sb_dropped_total{reason="slow_consumer"} as slowConsumerDrops. A
    // client that subscribes and never reads (the slow-consumer fault's own SlowConsumer) is
    // sent 4000-character messages until node-1 drops it at --limit-outbound-bytes; the alert is raised
    // with the growth, and clears once no drop happened for the window.
    void droppedSlowConsumerRaisesSlowConsumerDropsThenClears()
    {
        const QUrl node = nodeUrl(u"node-1"_s);
        QVERIFY(node.isValid());
        ReplicasUnderAlerts watched(redisUrl(), m_fixture.profiles());
        const app::ReplicasAreaAssembly &replicas = watched.replicas;
        app::ConsoleAlerts &alerts = watched.alerts;
        const models::AlertThresholds &thresholds = watched.thresholds;

        // The registry says 0 so far, and the alerts have seen that 0 (growth starts there).
        const models::ReplicaModel *model = replicas.model();
        auto drops = [model] {
            const int row = model->rowOf(u"node-1"_s);
            return row < 0 ? std::nullopt : model->replica(row).slowConsumerDrops;
        };
        QTRY_COMPARE_WITH_TIMEOUT(drops(), std::optional<qint64>(0), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(alerts.engine().evaluatedAt() >= model->lastPoll(), 5000);

        testing::NodeClients clients;
        const QByteArray aliceToken = clients.login(node, u"alice"_s);
        QVERIFY2(!aliceToken.isEmpty(), qPrintable(clients.lastError()));
        const QByteArray carolToken = clients.login(node, u"carol"_s);
        QVERIFY2(!carolToken.isEmpty(), qPrintable(clients.lastError()));
        // No subscriber left from an earlier scenario, then the consumer's two (general, presence).
        auto subscriptions
            = [&clients, &node] { return clients.adminStats(node).value(u"subscriptions"_s).toInteger(); };
        QTRY_COMPARE_WITH_TIMEOUT(subscriptions(), 0, 10000);
        app::SlowConsumer consumer({ u"node-1"_s, node }, aliceToken, { u"general"_s });
        consumer.start();
        QTRY_VERIFY_WITH_TIMEOUT(consumer.isStalled(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(subscriptions() >= 2, 10000);

        // Messages of the node's longest text (ChatMessage::kMaxTextChars, 4000), 50 at a time,
        // until the replica drops it: its queue (1 MiB) plus what the kernel holds for a reader
        // with a 4 KiB window, bounded by the devcluster's 16 KiB send buffer (the kernel keeps
        // twice that), or by the age limit first.
        QNetworkAccessManager http;
        const QString text(4000, u'x');
        auto dropped = [&clients, &node] {
            return clients.adminStats(node)
                .value(u"dropped"_s)
                .toObject()
                .value(u"slow_consumer"_s)
                .toInteger();
        };
        int sent = 0;
        while (sent < 5000 && dropped() == 0) {
            const QString refused = postMessages(&http, node, carolToken, text, 50);
            QVERIFY2(refused.isEmpty(), qPrintable(u"after %1 messages: %2"_s.arg(sent).arg(refused)));
            sent += 50;
        }
        const qint64 byTheNode = dropped();
        QVERIFY2(byTheNode >= 1, qPrintable(u"not dropped after %1 messages"_s.arg(sent)));

        // The Replicas area reads the same count from the registry, and the alert follows.
        QTRY_COMPARE_WITH_TIMEOUT(drops(), std::optional<qint64>(byTheNode), 10000);
        const int row = model->rowOf(u"node-1"_s);
        QCOMPARE(model->index(row, models::ReplicaModel::SlowConsumerDrops).data().toString(),
            QString::number(byTheNode));
        QTRY_VERIFY_WITH_TIMEOUT(
            findAlert(alerts.model()->active(), AlertRules::SlowConsumerDrops, u"node-1"_s), 10000);
        const Alert raised = *findAlert(alerts.model()->active(), AlertRules::SlowConsumerDrops, u"node-1"_s);
        QCOMPARE(raised.severity, Alert::Severity::Warning);
        QVERIFY2(raised.figure.startsWith(u"+%1 slow consumers dropped in 5 s"_s.arg(byTheNode)),
            qPrintable(raised.figure));
        QVERIFY(raised.since.secsTo(raised.raisedAt) >= thresholds.raiseAfterSeconds);

        // No further drop: the growth leaves the window, then the clear hold.
        QTRY_VERIFY_WITH_TIMEOUT(
            !findAlert(alerts.model()->active(), AlertRules::SlowConsumerDrops, u"node-1"_s), 20000);
        QVERIFY(findAlert(alerts.model()->recent(), AlertRules::SlowConsumerDrops, u"node-1"_s));
    }

    // The "replica down" alert: the Replicas area and node-2 killed by pid with SIGKILL. The
    // alert is raised once it has been down for the hold time, in the JSON state.json
    // carries; started again, the alert clears after the clear hold and is listed as recent.
    void killedReplicaRaisesReplicaDownThenClearsWhenBack()
    {
        app::DevCluster &cluster = *m_fixture.cluster();
        ReplicasUnderAlerts watched(redisUrl(), m_fixture.profiles());
        const app::ReplicasAreaAssembly &replicas = watched.replicas;
        app::ConsoleAlerts &alerts = watched.alerts;
        const models::AlertThresholds &thresholds = watched.thresholds;

        // Both replicas seen, no alert.
        QTRY_COMPARE_WITH_TIMEOUT(replicas.model()->rowCount(), 2, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(alerts.engine().evaluatedAt() >= replicas.model()->lastPoll(), 5000);
        QVERIFY(alerts.model()->active().isEmpty());

        qint64 pid = 0;
        for (const QJsonValue &node : cluster.endpoints().value(u"nodes"_s).toArray())
            if (node.toObject().value(u"id"_s).toString() == u"node-2")
                pid = node.toObject().value(u"pid"_s).toInteger();
        QVERIFY(pid > 0);
        const QDateTime killedAt = QDateTime::currentDateTimeUtc();
        QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);

        // The registry entry expires (~5 s), the replica's own probes fail, then the hold.
        QTRY_VERIFY_WITH_TIMEOUT(
            findAlert(alerts.model()->active(), AlertRules::ReplicaDown, u"node-2"_s), 30000);
        const Alert down = *findAlert(alerts.model()->active(), AlertRules::ReplicaDown, u"node-2"_s);
        QCOMPARE(down.severity, Alert::Severity::Critical);
        QVERIFY(down.since >= killedAt.addSecs(-1));
        QVERIFY2(
            down.since.secsTo(down.raisedAt) >= thresholds.raiseAfterSeconds, "raised before the hold time");
        QVERIFY(down.figure.startsWith(u"down since"_s));
        QVERIFY(!findAlert(alerts.model()->active(), AlertRules::ReplicaDown, u"node-1"_s));
        // What state.json's "alerts" section carries.
        const QJsonArray active = alerts.model()->toJson().value(u"active"_s).toArray();
        QVERIFY(std::any_of(active.begin(), active.end(), [](const QJsonValue &a) {
            return a.toObject().value(u"rule"_s).toString() == u"replica-down"
                && a.toObject().value(u"subject"_s).toString() == u"node-2"
                && a.toObject().value(u"severity"_s).toString() == u"critical";
        }));

        // Back on its port: ready again, then the clear hold.
        QTRY_VERIFY_WITH_TIMEOUT(!cluster.isNodeRunning(u"node-2"_s), 10000);
        QString why;
        QVERIFY2(cluster.startNode(u"node-2"_s, &why), qPrintable(why));
        QTRY_VERIFY_WITH_TIMEOUT(
            !findAlert(alerts.model()->active(), AlertRules::ReplicaDown, u"node-2"_s), 30000);
        const Alert *cleared = findAlert(alerts.model()->recent(), AlertRules::ReplicaDown, u"node-2"_s);
        QVERIFY(cleared);
        QVERIFY(cleared->clearedAt.isValid());
        QVERIFY(cleared->raisedAt.secsTo(cleared->clearedAt) >= thresholds.clearAfterSeconds);
    }

    // The "Redis latency" alert: the Redis area (its PING timed every 500 ms). Another
    // client's CLIENT PAUSE holds every command for 6 s, so the area's PING waits: its age
    // passes the threshold, the alert is raised after the hold with the figure, and it
    // clears once PINGs answer in a few ms again.
    void pausedRedisRaisesRedisLatencyThenClears()
    {
        const cluster::RedisUrl url = redisUrl();
        ui::AreaView area(u"redis"_s, { u"Redis"_s, {}, {} });
        models::AttachmentState attachment;
        app::RedisAreaAssembly::Options redisOptions;
        redisOptions.pingIntervalMs = 500;
        app::RedisAreaAssembly redis(&area, url, true, &attachment, redisOptions);
        redis.start();
        app::ConsoleAlerts alerts(&attachment, m_fixture.profiles());
        const models::AlertThresholds thresholds = AlertDevClusterFixture::shortHolds();
        alerts.restart({}, thresholds);
        alerts.start();

        // Up and timed: a loopback PING is far under the threshold, so no alert.
        auto latency
            = [&attachment] { return attachment.health(models::AttachmentState::Service::Redis).latencyMs; };
        QTRY_VERIFY_WITH_TIMEOUT(latency().has_value(), 15000);
        QVERIFY2(*latency() < thresholds.redisLatencyClearMs, qPrintable(QString::number(*latency())));
        QTRY_VERIFY_WITH_TIMEOUT(alerts.engine().evaluatedAt().isValid(), 5000);
        QVERIFY(!findAlert(alerts.model()->active(), AlertRules::RedisLatency, u"redis"_s));
        // The Redis area's connection line shows the figure too.
        const QLabel *line = redis.view()->findChild<QLabel *>(u"redisConnection"_s);
        QVERIFY(line);
        QTRY_VERIFY_WITH_TIMEOUT(line->text().contains(u"; PING "_s), 5000);
        // And state.json's Redis figures (a snapshot, a recording's samples).
        const QJsonValue pingMs
            = redis.view()->snapshotState().value(u"figures"_s).toObject().value(u"pingMs"_s);
        QVERIFY2(pingMs.isDouble() && pingMs.toInteger() < thresholds.redisLatencyClearMs,
            qPrintable(QString::number(pingMs.toDouble())));

        cluster::RedisConnection admin(url);
        admin.open();
        QTRY_VERIFY_WITH_TIMEOUT(admin.isConnected(), 10000);
        // What the Redis area reported from here on, for a failure's message.
        QStringList seen;
        connect(&attachment, &models::AttachmentState::healthChanged, this,
            [&seen](models::AttachmentState::Service service, const models::ConnectionHealth &health) {
                if (service == models::AttachmentState::Service::Redis)
                    seen << QString(models::ConnectionHealth::stateName(health.state) + QLatin1Char(' ')
                        + (health.latencyMs ? QString::number(*health.latencyMs) : u"-"_s));
            });
        bool paused = false;
        QObject context;
        const QDateTime pausedAt = QDateTime::currentDateTimeUtc();
        admin.command({ "CLIENT", "PAUSE", "6000" }, &context,
            [&paused](const cluster::RedisReply &reply) { paused = reply.isStatus(); });
        QTRY_VERIFY_WITH_TIMEOUT(paused, 5000);

        QTRY_VERIFY2_WITH_TIMEOUT(findAlert(alerts.model()->active(), AlertRules::RedisLatency, u"redis"_s),
            qPrintable(seen.join(u", "_s)), 12000);
        const Alert slow = *findAlert(alerts.model()->active(), AlertRules::RedisLatency, u"redis"_s);
        QCOMPARE(slow.severity, Alert::Severity::Warning);
        QVERIFY2(slow.figure.startsWith(u"latency "_s) && slow.figure.endsWith(u"(threshold 250 ms)"_s),
            qPrintable(slow.figure));
        QVERIFY(slow.since >= pausedAt.addSecs(-1));
        QVERIFY(slow.since.secsTo(slow.raisedAt) >= thresholds.raiseAfterSeconds);
        // Slow is not down: the connection stayed up the whole time.
        QVERIFY(!findAlert(alerts.model()->active(), AlertRules::RedisUnreachable, u"redis"_s));

        // The pause ends, PINGs answer in ms again: cleared after the clear hold.
        QTRY_VERIFY_WITH_TIMEOUT(
            !findAlert(alerts.model()->active(), AlertRules::RedisLatency, u"redis"_s), 15000);
        const Alert *cleared = findAlert(alerts.model()->recent(), AlertRules::RedisLatency, u"redis"_s);
        QVERIFY(cleared);
        QVERIFY(cleared->clearedAt.isValid());
        QVERIFY(*latency() < thresholds.redisLatencyClearMs);
    }

    // The "Redis unreachable" alert, last: the redis-server child killed by pid and started
    // again by the devcluster 5 s later (DevClusterOptions::redisRestartAfterMs), the Redis
    // area: raised once Redis has been unreachable for the hold time, with the connection's
    // reason; cleared once it answers again.
    void redisKilledRaisesRedisUnreachableThenClearsWhenBack()
    {
        ui::AreaView area(u"redis"_s, { u"Redis"_s, {}, {} });
        models::AttachmentState attachment;
        app::RedisAreaAssembly redis(&area, redisUrl(), true, &attachment);
        redis.start();
        app::ConsoleAlerts alerts(&attachment, m_fixture.profiles());
        const models::AlertThresholds thresholds = AlertDevClusterFixture::shortHolds();
        alerts.restart({}, thresholds);
        alerts.start();
        QTRY_COMPARE_WITH_TIMEOUT(attachment.health(models::AttachmentState::Service::Redis).state,
            models::ConnectionHealth::State::Up, 10000);

        const qint64 pid = m_fixture.cluster()->endpoints().value(u"redisPid"_s).toInteger();
        QVERIFY(pid > 0);
        QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            findAlert(alerts.model()->active(), AlertRules::RedisUnreachable, u"redis"_s), 15000);
        const Alert down = *findAlert(alerts.model()->active(), AlertRules::RedisUnreachable, u"redis"_s);
        QCOMPARE(down.severity, Alert::Severity::Critical);
        QVERIFY2(!down.detail.isEmpty(), "the connection's reason");
        QVERIFY(down.since.secsTo(down.raisedAt) >= thresholds.raiseAfterSeconds);

        // The devcluster starts redis-server again on its port; the inspector reconnects.
        QTRY_VERIFY_WITH_TIMEOUT(
            !findAlert(alerts.model()->active(), AlertRules::RedisUnreachable, u"redis"_s), 40000);
        QVERIFY(findAlert(alerts.model()->recent(), AlertRules::RedisUnreachable, u"redis"_s));
    }
};

QTEST_MAIN(TestAlertsDevCluster)
#include "tst_alerts_devcluster.moc"
