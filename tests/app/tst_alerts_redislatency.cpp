#include "app/ConsoleAlerts.h"
#include "app/DevCluster.h"
#include "app/RedisAreaAssembly.h"
#include "cluster/RedisConnection.h"
#include "cluster/RedisUrl.h"
#include "models/AlertRules.h"
#include "models/ProfileStore.h"
#include "ui/AreaView.h"
#include "ui/RedisView.h"

#include <QJsonObject>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace sb;
using namespace Qt::StringLiterals;
using models::Alert;
using models::AlertRules;

namespace {

const Alert *findAlert(const QList<Alert> &alerts, QStringView rule, const QString &subject)
{
    for (const Alert &a : alerts)
        if (a.rule == rule && a.subject == subject)
            return &a;
    return nullptr;
}

} // namespace

// The "Redis latency" alert end to end (issue 13): a real devcluster, the Redis area
// assembled as the console does (its PING timed every 500 ms), and the console's alert
// evaluation over it. Another client's CLIENT PAUSE holds every command for 6 s, so the
// area's PING waits: its age passes the threshold, the alert is raised after the hold with
// the figure, and it clears once PINGs answer in a few ms again.
class TestAlertsRedisLatency : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<app::DevCluster> m_cluster;

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"switchboard-test"_s);
        QCoreApplication::setApplicationName(u"tst_alerts_redislatency"_s);
        QVERIFY2(!qEnvironmentVariableIsEmpty("SB_BINARY"),
            "run through ctest (SB_BINARY names the switchboard binary)");
    }

    void cleanup()
    {
        if (!m_cluster)
            return;
        QSignalSpy stopped(m_cluster.get(), &app::DevCluster::stopped);
        m_cluster->stop(2000);
        QTRY_VERIFY_WITH_TIMEOUT(!stopped.isEmpty() && m_cluster->childPids().isEmpty(), 15000);
        m_cluster.reset();
    }

    void pausedRedisRaisesRedisLatencyThenClears()
    {
        app::DevClusterOptions options;
        options.replicas = 1;
        m_cluster = std::make_unique<app::DevCluster>(options, qEnvironmentVariable("SB_BINARY"));
        QSignalSpy ready(m_cluster.get(), &app::DevCluster::ready);
        QSignalSpy failed(m_cluster.get(), &app::DevCluster::failed);
        m_cluster->start();
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() || !failed.isEmpty(), 60000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().at(1).toString()));
        const auto url
            = cluster::RedisUrl::parse(ready.first().first().toJsonObject().value(u"redis"_s).toString());

        ui::AreaView area(u"redis"_s, { u"Redis"_s, {}, {} });
        models::AttachmentState attachment;
        app::RedisAreaAssembly::Options redisOptions;
        redisOptions.pingIntervalMs = 500;
        app::RedisAreaAssembly redis(&area, url, true, &attachment, redisOptions);
        redis.start();
        models::ProfileStore profiles(m_dir.filePath(u"secrets.json"_s));
        app::ConsoleAlerts alerts(&attachment, &profiles);
        models::AlertThresholds thresholds; // short holds keep the test short; the rule is the console's
        thresholds.raiseAfterSeconds = 2;
        thresholds.clearAfterSeconds = 2;
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
};

QTEST_MAIN(TestAlertsRedisLatency)
#include "tst_alerts_redislatency.moc"
