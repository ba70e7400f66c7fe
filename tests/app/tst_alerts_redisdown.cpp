#include "app/ConsoleAlerts.h"
#include "app/DevCluster.h"
#include "app/RedisAreaAssembly.h"
#include "cluster/RedisUrl.h"
#include "models/AlertRules.h"
#include "models/ProfileStore.h"
#include "ui/AreaView.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

#include <csignal>
#include <memory>

#include <sys/types.h>

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

// The "Redis unreachable" alert end to end (issue 13): a real devcluster whose
// redis-server child is killed by pid and started again 5 s later, the Redis area assembled
// as the console does, and the console's alert evaluation over it: raised once Redis has been
// unreachable for the hold time, with the connection's reason; cleared once it answers again.
class TestAlertsRedisDown : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<app::DevCluster> m_cluster;

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"switchboard-test"_s);
        QCoreApplication::setApplicationName(u"tst_alerts_redisdown"_s);
        QVERIFY2(!qEnvironmentVariableIsEmpty("SB_BINARY"),
            "run through ctest (SB_BINARY names the switchboard binary)");
    }

    void cleanup()
    {
        // Passed or failed, the cluster goes the same way: stopped, its children gone.
        if (!m_cluster)
            return;
        QSignalSpy stopped(m_cluster.get(), &app::DevCluster::stopped);
        m_cluster->stop(2000);
        QTRY_VERIFY_WITH_TIMEOUT(!stopped.isEmpty() && m_cluster->childPids().isEmpty(), 15000);
        m_cluster.reset();
    }

    void redisKilledRaisesRedisUnreachableThenClearsWhenBack()
    {
        app::DevClusterOptions options;
        options.replicas = 1;
        options.redisRestartAfterMs = 5000; // down longer than the raise hold, then back
        m_cluster = std::make_unique<app::DevCluster>(options, qEnvironmentVariable("SB_BINARY"));
        QSignalSpy ready(m_cluster.get(), &app::DevCluster::ready);
        QSignalSpy failed(m_cluster.get(), &app::DevCluster::failed);
        m_cluster->start();
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() || !failed.isEmpty(), 60000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().at(1).toString()));
        const QJsonObject endpoints = ready.first().first().toJsonObject();

        ui::AreaView area(u"redis"_s, { u"Redis"_s, {}, {} });
        models::AttachmentState attachment;
        app::RedisAreaAssembly redis(
            &area, cluster::RedisUrl::parse(endpoints.value(u"redis"_s).toString()), true, &attachment);
        redis.start();
        models::ProfileStore profiles(m_dir.filePath(u"secrets.json"_s));
        app::ConsoleAlerts alerts(&attachment, &profiles);
        models::AlertThresholds thresholds;
        thresholds.raiseAfterSeconds = 2;
        thresholds.clearAfterSeconds = 2;
        alerts.restart({}, thresholds);
        alerts.start();
        QTRY_COMPARE_WITH_TIMEOUT(attachment.health(models::AttachmentState::Service::Redis).state,
            models::ConnectionHealth::State::Up, 10000);

        const qint64 pid = endpoints.value(u"redisPid"_s).toInteger();
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

QTEST_MAIN(TestAlertsRedisDown)
#include "tst_alerts_redisdown.moc"
