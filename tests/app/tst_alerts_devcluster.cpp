// The console's devcluster alerts end to end (issue 13), on one real devcluster (mock
// Kafka, a redis-server child, two `switchboard node` children) started once for all of
// them: each scenario assembles the area its alert reads as the console does, evaluates
// the console's alerts over it with short holds, causes the fault, and checks the alert is
// raised after its hold with its figure, then cleared once the fault is gone: one scenario
// per alert rule. They run in the order the class declares them (AlertsDevClusterTest.h,
// with the helpers they share), each leaving the cluster as it found it. The Kafka area's
// two are in tst_alerts_devcluster_kafka.cpp; the Redis ones, the two that kill Redis last,
// in tst_alerts_devcluster_redis.cpp.
#include "AlertsDevClusterTest.h"
#include "DemoTrafficThread.h"
#include "app/ReplicasAreaAssembly.h"
#include "app/SlowConsumer.h"
#include "models/AlertRules.h"
#include "models/ReplicaModel.h"
#include "ui/TrafficView.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <csignal>
#include <optional>

#include <sys/types.h>

using namespace sb;
using namespace Qt::StringLiterals;
using models::Alert;
using models::AlertRules;
using testing::AlertDevClusterFixture;
using testing::findAlert;
using testing::postMessages;
using testing::ReplicasUnderAlerts;
using testing::TrafficUnderAlerts;

void TestAlertsDevCluster::initTestCase()
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
    // The node takes 30 s to time out a silent session: the wait runs under the scenarios
    // before the heart-beat one, watched from before the session opens.
    m_heartbeatWatch = std::make_unique<ReplicasUnderAlerts>(redisUrl(), m_fixture.profiles());
    const QUrl node = nodeUrl(u"node-1"_s);
    const QByteArray token = m_heartbeatClients.login(node, u"bob"_s);
    QVERIFY2(!token.isEmpty(), qPrintable(m_heartbeatClients.lastError()));
    const models::ReplicaModel *model = m_heartbeatWatch->replicas.model();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(u"node-1"_s) >= 0
            && model->replica(model->rowOf(u"node-1"_s)).heartbeatTimeouts == std::optional<qint64>(0),
        20000);
    QTRY_VERIFY_WITH_TIMEOUT(m_heartbeatWatch->alerts.engine().evaluatedAt() >= model->lastPoll(), 20000);
    m_silentSince = QDateTime::currentDateTimeUtc();
    m_silentSession.reset(testing::openSilentStompSession(node, token, &error));
    QVERIFY2(m_silentSession, qPrintable(error));
}

void TestAlertsDevCluster::cleanupTestCase()
{
    m_silentSession.reset();
    m_heartbeatWatch.reset();
    QVERIFY2(m_fixture.stop(), "the devcluster's children outlived it");
}

// The "tap frames dropped" alert for the console's own drops: the demo's traffic posted
// to node-1 from a thread of its own (so it goes on whatever this thread does), the
// Traffic area tapping node-1. The GUI thread is then kept busy for 6 s, the situation
// the batcher guards against: the capture thread's batches go unacknowledged, and past
// TrafficBatcher::kMaxBatchesInFlight it drops and counts frames. Once the GUI thread runs
// again it applies the queued batches, the count reaches the alert as the `console`
// subject, and the alert clears once nothing more was dropped for the window.
void TestAlertsDevCluster::busyGuiThreadRaisesConsoleTapDropsThenClears()
{
    testing::DemoTrafficThread demo(100, { nodeUrl(u"node-1"_s) });
    TrafficUnderAlerts watched(u"node-1"_s, nodeUrl(u"node-1"_s), m_fixture.profiles());
    app::TrafficAreaAssembly &traffic = watched.traffic;
    app::ConsoleAlerts &alerts = watched.alerts;
    const models::AlertThresholds &thresholds = watched.thresholds;

    // Frames flowing from a live tap, none dropped, and the alerts have seen that 0.
    auto liveTaps = [&traffic] {
        int live = 0;
        for (const auto &source : traffic.view()->sources())
            live += source.kind == u"tap" && source.state == inspect::TapSourceStatus::State::Live ? 1 : 0;
        return live;
    };
    QTRY_COMPARE_WITH_TIMEOUT(liveTaps(), 1, 20000);
    QSignalSpy applied(&traffic, &app::TrafficAreaAssembly::batchApplied);
    QTRY_VERIFY_WITH_TIMEOUT(applied.size() >= 5, 10000);
    QCOMPARE(traffic.droppedByConsole(), std::optional<qint64>(0));
    const QDateTime seenZero = QDateTime::currentDateTimeUtc();
    QTRY_VERIFY_WITH_TIMEOUT(alerts.engine().evaluatedAt() > seenZero, 20000);
    QVERIFY(!findAlert(alerts.model()->active(), AlertRules::TapDrops, u"console"_s));

    // The GUI thread busy (a stall, not a wait for something): the capture thread goes on.
    QThread::msleep(6000);

    QTRY_VERIFY_WITH_TIMEOUT(traffic.droppedByConsole().value_or(0) > 0, 20000);
    const qint64 dropped = *traffic.droppedByConsole();
    QTRY_VERIFY_WITH_TIMEOUT(findAlert(alerts.model()->active(), AlertRules::TapDrops, u"console"_s), 10000);
    const Alert raised = *findAlert(alerts.model()->active(), AlertRules::TapDrops, u"console"_s);
    QCOMPARE(raised.severity, Alert::Severity::Info);
    QVERIFY2(raised.figure.contains(u"tap frames dropped by the console"_s), qPrintable(raised.figure));
    QVERIFY2(raised.figure.startsWith(u'+'), qPrintable(raised.figure));
    QVERIFY(raised.since.secsTo(raised.raisedAt) >= thresholds.raiseAfterSeconds);

    // Keeping up again: no more drops, so the alert clears after the window and the hold.
    QTRY_VERIFY_WITH_TIMEOUT(!findAlert(alerts.model()->active(), AlertRules::TapDrops, u"console"_s), 20000);
    QVERIFY(findAlert(alerts.model()->recent(), AlertRules::TapDrops, u"console"_s));
    QVERIFY(traffic.droppedByConsole().value_or(0) >= dropped); // a counter: never down
}

// The "slow consumers dropped" alert: the Replicas area reading the registry hash, where
// the node announces sb_dropped_total{reason="slow_consumer"} as slowConsumerDrops. A
// client that subscribes and never reads (the slow-consumer fault's own SlowConsumer) is
// sent 4000-character messages until node-1 drops it at --limit-outbound-bytes; the alert is raised
// with the growth, and clears once no drop happened for the window.
void TestAlertsDevCluster::droppedSlowConsumerRaisesSlowConsumerDropsThenClears()
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
    QTRY_VERIFY_WITH_TIMEOUT(alerts.engine().evaluatedAt() >= model->lastPoll(), 20000);

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
        return clients.adminStats(node).value(u"dropped"_s).toObject().value(u"slow_consumer"_s).toInteger();
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

// The "heart-beat timeouts" alert: a STOMP session on node-1 that negotiated heart-beats
// and never sent one, opened when the cluster was ready, with the Replicas area and its
// alerts watching from then on (the node waits 3 of its 10 s intervals, so those 30 s
// pass during the scenarios before this one). node-1 closes it and counts it; the
// registry carries the count, the alert is raised with the growth and cleared once the
// count stopped growing for the window.
void TestAlertsDevCluster::silentStompSessionRaisesHeartbeatTimeoutsThenClears()
{
    QVERIFY(m_heartbeatWatch && m_silentSession);
    const models::ReplicaModel *model = m_heartbeatWatch->replicas.model();
    app::ConsoleAlerts &alerts = m_heartbeatWatch->alerts;
    const models::AlertThresholds &thresholds = m_heartbeatWatch->thresholds;
    auto timeouts = [model] {
        const int row = model->rowOf(u"node-1"_s);
        return row < 0 ? std::nullopt : model->replica(row).heartbeatTimeouts;
    };
    // 3 intervals of 10 s from the CONNECT, and the node's check after that.
    const int untilTimedOut = int(45000 - m_silentSince.msecsTo(QDateTime::currentDateTimeUtc()));
    QTRY_COMPARE_WITH_TIMEOUT(
        m_silentSession->state(), QAbstractSocket::UnconnectedState, std::max(1000, untilTimedOut));
    QCOMPARE(m_silentSession->closeReason(), u"heart-beat timeout"_s);
    QVERIFY2(m_silentSince.secsTo(QDateTime::currentDateTimeUtc()) >= 29, "closed before 3 intervals");
    QTRY_COMPARE_WITH_TIMEOUT(timeouts(), std::optional<qint64>(1), 10000);

    // Raised with the growth, then cleared: by now it may be in the recent list already.
    auto raised = [&alerts] {
        const Alert *a = findAlert(alerts.model()->active(), AlertRules::HeartbeatTimeouts, u"node-1"_s);
        return a ? a : findAlert(alerts.model()->recent(), AlertRules::HeartbeatTimeouts, u"node-1"_s);
    };
    QTRY_VERIFY_WITH_TIMEOUT(raised(), 10000);
    const Alert timedOut = *raised();
    QCOMPARE(timedOut.severity, Alert::Severity::Warning);
    QVERIFY2(timedOut.figure.startsWith(u"+1 heart-beat timeouts in 5 s (1 in all)"_s),
        qPrintable(timedOut.figure));
    QVERIFY(timedOut.since.secsTo(timedOut.raisedAt) >= thresholds.raiseAfterSeconds);
    QTRY_VERIFY_WITH_TIMEOUT(
        !findAlert(alerts.model()->active(), AlertRules::HeartbeatTimeouts, u"node-1"_s), 20000);
    const Alert *cleared = findAlert(alerts.model()->recent(), AlertRules::HeartbeatTimeouts, u"node-1"_s);
    QVERIFY(cleared && cleared->clearedAt.isValid());
    QVERIFY(cleared->raisedAt.secsTo(cleared->clearedAt) >= thresholds.clearAfterSeconds);
    m_heartbeatWatch.reset();
}

// The "connection imbalance" alert: the Replicas area's connection counts (the registry's).
// 8 STOMP sessions on node-1 and none on node-2: max/mean 2 over the 1.5 threshold; as
// many on node-2 again: balanced, cleared. The minimum of 20 connections in all (so a
// quiet cluster's few sessions are not an imbalance) is a threshold: 6 here.
void TestAlertsDevCluster::skewedSessionsRaiseConnectionImbalanceThenClear()
{
    models::AlertThresholds thresholds = AlertDevClusterFixture::shortHolds();
    thresholds.imbalanceMinConnections = 6;
    ReplicasUnderAlerts watched(redisUrl(), m_fixture.profiles(), thresholds);
    const models::ReplicaModel *model = watched.replicas.model();
    app::ConsoleAlerts &alerts = watched.alerts;
    auto connections = [model](const QString &id) {
        const int row = model->rowOf(id);
        return row < 0 ? std::nullopt : model->replica(row).totalConnections();
    };
    // Both counted, few enough not to judge yet.
    QTRY_VERIFY_WITH_TIMEOUT(connections(u"node-1"_s) && connections(u"node-2"_s), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(alerts.engine().evaluatedAt() >= model->lastPoll(), 20000);
    QVERIFY(!findAlert(alerts.model()->active(), AlertRules::ConnectionImbalance, u"cluster"_s));

    testing::NodeClients onNode1;
    QString error;
    QVERIFY2(onNode1.openStomp(nodeUrl(u"node-1"_s), 8, &error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(
        findAlert(alerts.model()->active(), AlertRules::ConnectionImbalance, u"cluster"_s), 15000);
    const Alert skewed = *findAlert(alerts.model()->active(), AlertRules::ConnectionImbalance, u"cluster"_s);
    QCOMPARE(skewed.severity, Alert::Severity::Warning);
    const double ratio = skewed.figure.section(u' ', 1, 1).toDouble();
    QVERIFY2(skewed.figure.startsWith(u"imbalance "_s) && ratio > thresholds.imbalanceRaise
            && skewed.figure.endsWith(u"over 2 replicas)"_s),
        qPrintable(skewed.figure));
    QVERIFY(skewed.since.secsTo(skewed.raisedAt) >= thresholds.raiseAfterSeconds);

    testing::NodeClients onNode2;
    QVERIFY2(onNode2.openStomp(nodeUrl(u"node-2"_s), 8, &error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(
        !findAlert(alerts.model()->active(), AlertRules::ConnectionImbalance, u"cluster"_s), 15000);
    const Alert *cleared = findAlert(alerts.model()->recent(), AlertRules::ConnectionImbalance, u"cluster"_s);
    QVERIFY(cleared && cleared->clearedAt.isValid());
    QVERIFY2(qAbs(*connections(u"node-1"_s) - *connections(u"node-2"_s)) <= 2,
        qPrintable(u"%1 vs %2"_s.arg(*connections(u"node-1"_s)).arg(*connections(u"node-2"_s))));
}

// The "tap frames dropped" alert for a replica's drops: the Traffic area tapping node-1,
// whose capture thread is stopped (a signal to that thread whose handler waits) while 3
// subscribers' deliveries of posted messages pass through the tap. node-1 queues what the
// socket cannot take up to its 1 MiB bound, then drops frames for that reader and says
// so once it reads again; the alert's subject is node-1, not the console.
void TestAlertsDevCluster::stalledTapReaderRaisesReplicaTapDropsThenClears()
{
    const QUrl node = nodeUrl(u"node-1"_s);
    TrafficUnderAlerts watched(u"node-1"_s, node, m_fixture.profiles());
    app::TrafficAreaAssembly &traffic = watched.traffic;
    app::ConsoleAlerts &alerts = watched.alerts;
    const models::AlertThresholds &thresholds = watched.thresholds;
    auto tapSource = [&traffic] {
        for (const auto &source : traffic.view()->sources())
            if (source.kind == u"tap" && source.id == u"node-1")
                return std::optional(source);
        return std::optional<inspect::TapSourceStatus>();
    };
    QTRY_VERIFY_WITH_TIMEOUT(
        tapSource() && tapSource()->state == inspect::TapSourceStatus::State::Live, 20000);
    // Its count seen by the alerts before any drop (growth counts from the first one seen).
    const QDateTime live = QDateTime::currentDateTimeUtc();
    QTRY_VERIFY_WITH_TIMEOUT(alerts.engine().evaluatedAt() > live, 20000);
    QVERIFY(!findAlert(alerts.model()->active(), AlertRules::TapDrops, u"node-1"_s));

    testing::NodeClients clients;
    // Subscribers, so that each message passes the tap once more per delivery (one login
    // each: the node limits logins per user).
    for (const QString &user : { u"alice"_s, u"bob"_s, u"admin"_s }) {
        QString error;
        QVERIFY2(clients.openStompSession(node, user, "/topic/channels.general", &error), qPrintable(error));
    }
    const QByteArray token = clients.login(node, u"carol"_s);
    QVERIFY2(!token.isEmpty(), qPrintable(clients.lastError()));
    auto tapDropped = [&clients, &node] {
        return clients.adminStats(node).value(u"dropped"_s).toObject().value(u"tap_overflow"_s).toInteger();
    };
    const qint64 before = tapDropped();

    QString error;
    QVERIFY2(testing::stallThreadNamed("traffic-capture", 20000, &error), qPrintable(error));
    QNetworkAccessManager http;
    const QString text(4000, u'x');
    int sent = 0;
    while (sent < 2000 && tapDropped() == before) {
        const QString refused = postMessages(&http, node, token, text, 50);
        if (!refused.isEmpty())
            testing::releaseStalledThread();
        QVERIFY2(refused.isEmpty(), qPrintable(u"after %1 messages: %2"_s.arg(sent).arg(refused)));
        sent += 50;
    }
    testing::releaseStalledThread();
    QVERIFY2(tapDropped() > before, qPrintable(u"no tap frame dropped after %1 messages"_s.arg(sent)));

    QTRY_VERIFY_WITH_TIMEOUT(tapSource() && tapSource()->droppedBySource > 0, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(findAlert(alerts.model()->active(), AlertRules::TapDrops, u"node-1"_s), 10000);
    const Alert raised = *findAlert(alerts.model()->active(), AlertRules::TapDrops, u"node-1"_s);
    QCOMPARE(raised.severity, Alert::Severity::Info);
    QVERIFY2(raised.figure.startsWith(u'+') && raised.figure.contains(u"tap frames dropped by the replica"_s),
        qPrintable(raised.figure));
    QVERIFY(raised.since.secsTo(raised.raisedAt) >= thresholds.raiseAfterSeconds);
    QVERIFY(!findAlert(alerts.model()->active(), AlertRules::TapDrops, u"console"_s));

    QTRY_VERIFY_WITH_TIMEOUT(!findAlert(alerts.model()->active(), AlertRules::TapDrops, u"node-1"_s), 20000);
    QVERIFY(findAlert(alerts.model()->recent(), AlertRules::TapDrops, u"node-1"_s));
}

// The "replica down" alert: the Replicas area and node-2 killed by pid with SIGKILL. The
// alert is raised once it has been down for the hold time, in the JSON state.json
// carries; started again, the alert clears after the clear hold and is listed as recent.
void TestAlertsDevCluster::killedReplicaRaisesReplicaDownThenClearsWhenBack()
{
    app::DevCluster &cluster = *m_fixture.cluster();
    ReplicasUnderAlerts watched(redisUrl(), m_fixture.profiles());
    const app::ReplicasAreaAssembly &replicas = watched.replicas;
    app::ConsoleAlerts &alerts = watched.alerts;
    const models::AlertThresholds &thresholds = watched.thresholds;

    // Both replicas seen, no alert.
    QTRY_COMPARE_WITH_TIMEOUT(replicas.model()->rowCount(), 2, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(alerts.engine().evaluatedAt() >= replicas.model()->lastPoll(), 20000);
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
    QVERIFY2(down.since.secsTo(down.raisedAt) >= thresholds.raiseAfterSeconds, "raised before the hold time");
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

// The "drain overdue" alert: node-2 drained (SIGTERM, DevCluster::drainNode). With no
// connection left it still stays draining for its minimum stay (--drain-min-seconds, 3 s,
// there for observers like this one), so the console's grace threshold is 0 s and its
// raise hold 0 s here: raised once it has drained for over a second. node-2 then leaves:
// the alert clears after the clear hold, and a replica that drained and left is not
// "down". Started again for the scenarios after this one.
void TestAlertsDevCluster::overdueDrainRaisesDrainOverdueThenClearsWhenItLeaves()
{
    app::DevCluster &cluster = *m_fixture.cluster();
    models::AlertThresholds thresholds = AlertDevClusterFixture::shortHolds();
    thresholds.drainGraceSeconds = 0;
    thresholds.raiseAfterSeconds = 0;
    ReplicasUnderAlerts watched(redisUrl(), m_fixture.profiles(), thresholds);
    const models::ReplicaModel *model = watched.replicas.model();
    app::ConsoleAlerts &alerts = watched.alerts;
    auto state = [model] {
        const int row = model->rowOf(u"node-2"_s);
        return row < 0 ? std::nullopt : std::optional(model->replica(row).state);
    };
    QTRY_COMPARE_WITH_TIMEOUT(state(), std::optional(inspect::ReplicaInfo::State::Ready), 20000);

    // What the Replicas area saw of node-2 from here on, for a failure's message.
    QStringList seen;
    connect(&watched.replicas, &app::ReplicasAreaAssembly::snapshotApplied, this, [model, &seen] {
        const int row = model->rowOf(u"node-2"_s);
        if (row >= 0)
            seen << model->replica(row).stateText() + u" since "_s
                    + model->replica(row).stateSince.toString(u"HH:mm:ss.zzz"_s);
    });
    QString why;
    QVERIFY2(cluster.drainNode(u"node-2"_s, &why), qPrintable(why));
    QTRY_VERIFY2_WITH_TIMEOUT(findAlert(alerts.model()->active(), AlertRules::DrainOverdue, u"node-2"_s),
        qPrintable(seen.join(u", "_s)), 10000);
    const Alert overdue = *findAlert(alerts.model()->active(), AlertRules::DrainOverdue, u"node-2"_s);
    QCOMPARE(overdue.severity, Alert::Severity::Warning);
    QVERIFY2(overdue.figure.startsWith(u"draining for "_s) && overdue.figure.endsWith(u" s (grace 0 s)"_s),
        qPrintable(overdue.figure));
    QVERIFY(overdue.since.secsTo(overdue.raisedAt) >= thresholds.raiseAfterSeconds);

    // The grace runs out: node-2 closes what is left and exits.
    QTRY_VERIFY_WITH_TIMEOUT(!cluster.isNodeRunning(u"node-2"_s), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(
        !findAlert(alerts.model()->active(), AlertRules::DrainOverdue, u"node-2"_s), 15000);
    const Alert *cleared = findAlert(alerts.model()->recent(), AlertRules::DrainOverdue, u"node-2"_s);
    QVERIFY(cleared && cleared->clearedAt.isValid());
    QVERIFY(cleared->raisedAt.secsTo(cleared->clearedAt) >= thresholds.clearAfterSeconds);
    QVERIFY(!findAlert(alerts.model()->active(), AlertRules::ReplicaDown, u"node-2"_s));

    QVERIFY2(cluster.startNode(u"node-2"_s, &why), qPrintable(why));
    QTRY_COMPARE_WITH_TIMEOUT(state(), std::optional(inspect::ReplicaInfo::State::Ready), 30000);
}

QTEST_MAIN(TestAlertsDevCluster)
