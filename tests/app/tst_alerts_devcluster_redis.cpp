// The devcluster alerts that Redis raises (the class and the story: AlertsDevClusterTest.h,
// tst_alerts_devcluster.cpp): Redis slow (another client's CLIENT PAUSE), then, last of all
// the scenarios, Redis killed: unreachable for the Redis area, and its replicas alive but
// not ready for the Replicas area.
#include "AlertsDevClusterTest.h"
#include "app/RedisAreaAssembly.h"
#include "app/ReplicasAreaAssembly.h"
#include "cluster/RedisConnection.h"
#include "models/AlertRules.h"
#include "models/ReplicaModel.h"
#include "ui/RedisView.h"

#include <QJsonObject>
#include <QLabel>
#include <QTest>

#include <csignal>
#include <optional>

#include <sys/types.h>

using namespace sb;
using namespace Qt::StringLiterals;
using models::Alert;
using models::AlertRules;
using testing::AlertDevClusterFixture;
using testing::findAlert;
using testing::ReplicasUnderAlerts;

// The "Redis latency" alert: the Redis area (its PING timed every 500 ms). Another
// client's CLIENT PAUSE holds every command for 6 s, so the area's PING waits: its age
// passes the threshold, the alert is raised after the hold with the figure, and it
// clears once PINGs answer in a few ms again.
void TestAlertsDevCluster::pausedRedisRaisesRedisLatencyThenClears()
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
    QTRY_VERIFY_WITH_TIMEOUT(alerts.engine().evaluatedAt().isValid(), 20000);
    QVERIFY(!findAlert(alerts.model()->active(), AlertRules::RedisLatency, u"redis"_s));
    // The Redis area's connection line shows the figure too.
    const QLabel *line = redis.view()->findChild<QLabel *>(u"redisConnection"_s);
    QVERIFY(line);
    QTRY_VERIFY_WITH_TIMEOUT(line->text().contains(u"; PING "_s), 20000);
    // And state.json's Redis figures (a snapshot, a recording's samples).
    const QJsonValue pingMs = redis.view()->snapshotState().value(u"figures"_s).toObject().value(u"pingMs"_s);
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
void TestAlertsDevCluster::redisKilledRaisesRedisUnreachableThenClearsWhenBack()
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

// The "replica not ready" alert, last: Redis killed again (DevCluster::killRedis) while
// both replicas run. They stay alive but their /healthz/ready answers 503 (a dependency
// down), which the Replicas area reads from them directly while the registry cannot be
// read: raised for each with the reason; cleared once Redis is back (the devcluster
// starts it again, after 10 s this time: it died within 30 s of its last start) and the
// replicas are ready again.
void TestAlertsDevCluster::redisOutageRaisesReplicaUnreadyThenClears()
{
    ReplicasUnderAlerts watched(redisUrl(), m_fixture.profiles());
    const models::ReplicaModel *model = watched.replicas.model();
    app::ConsoleAlerts &alerts = watched.alerts;
    auto state = [model](const QString &id) {
        const int row = model->rowOf(id);
        return row < 0 ? std::nullopt : std::optional(model->replica(row).state);
    };
    const std::optional ready(inspect::ReplicaInfo::State::Ready);
    QTRY_VERIFY_WITH_TIMEOUT(state(u"node-1"_s) == ready && state(u"node-2"_s) == ready, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(alerts.engine().evaluatedAt() >= model->lastPoll(), 20000);
    QVERIFY(!findAlert(alerts.model()->active(), AlertRules::ReplicaUnready, u"node-1"_s));

    QString why;
    QVERIFY2(m_fixture.cluster()->killRedis(&why), qPrintable(why));
    QTRY_VERIFY_WITH_TIMEOUT(findAlert(alerts.model()->active(), AlertRules::ReplicaUnready, u"node-1"_s)
            && findAlert(alerts.model()->active(), AlertRules::ReplicaUnready, u"node-2"_s),
        10000);
    const Alert unready = *findAlert(alerts.model()->active(), AlertRules::ReplicaUnready, u"node-1"_s);
    QCOMPARE(unready.severity, Alert::Severity::Warning);
    QCOMPARE(unready.figure, u"alive, not ready"_s);
    QVERIFY2(!unready.detail.isEmpty(), "the replica's own reason");
    QVERIFY(unready.since.secsTo(unready.raisedAt) >= watched.thresholds.raiseAfterSeconds);
    // Alive: not down, and its drain is not what this is.
    QVERIFY(!findAlert(alerts.model()->active(), AlertRules::ReplicaDown, u"node-1"_s));
    QVERIFY(!findAlert(alerts.model()->active(), AlertRules::DrainOverdue, u"node-1"_s));

    QTRY_VERIFY_WITH_TIMEOUT(!findAlert(alerts.model()->active(), AlertRules::ReplicaUnready, u"node-1"_s)
            && !findAlert(alerts.model()->active(), AlertRules::ReplicaUnready, u"node-2"_s),
        40000);
    const Alert *cleared = findAlert(alerts.model()->recent(), AlertRules::ReplicaUnready, u"node-1"_s);
    QVERIFY(cleared && cleared->clearedAt.isValid());
    QCOMPARE(state(u"node-1"_s), ready);
}
