#include "app/ConsoleAlerts.h"
#include "app/DevCluster.h"
#include "app/ReplicasAreaAssembly.h"
#include "cluster/RedisUrl.h"
#include "models/AlertRules.h"
#include "models/ProfileStore.h"
#include "models/ReplicaModel.h"
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

// The "replica down" alert end to end (issue 13): a real devcluster (mock Kafka, a
// redis-server child, two `switchboard node` children), the Replicas area assembled as the
// console does, and the console's alert evaluation over it. A replica killed by pid with
// SIGKILL raises the alert once it has been down for the hold time, in the JSON state.json
// carries; started again, the alert clears after the clear hold and is listed as recent.
class TestAlertsDevCluster : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<app::DevCluster> m_cluster;

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"switchboard-test"_s);
        QCoreApplication::setApplicationName(u"tst_alerts_devcluster"_s);
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

    void killedReplicaRaisesReplicaDownThenClearsWhenBack()
    {
        app::DevClusterOptions options;
        options.replicas = 2;
        m_cluster = std::make_unique<app::DevCluster>(options, qEnvironmentVariable("SB_BINARY"));
        app::DevCluster &cluster = *m_cluster;
        QSignalSpy ready(&cluster, &app::DevCluster::ready);
        QSignalSpy failed(&cluster, &app::DevCluster::failed);
        cluster.start();
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() || !failed.isEmpty(), 60000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().at(1).toString()));
        const QJsonObject endpoints = ready.first().first().toJsonObject();

        ui::AreaView area(u"replicas"_s, { u"Replicas"_s, {}, {} });
        models::AttachmentState attachment;
        inspect::ReplicaDiscoveryConfig discovery;
        discovery.redis = cluster::RedisUrl::parse(endpoints.value(u"redis"_s).toString());
        app::ReplicasAreaAssembly replicas(&area, discovery, &attachment);
        replicas.start();

        models::ProfileStore profiles(m_dir.filePath(u"secrets.json"_s));
        app::ConsoleAlerts alerts(&attachment, &profiles);
        models::AlertThresholds thresholds; // short holds keep the test short; the rule is the console's
        thresholds.raiseAfterSeconds = 2;
        thresholds.clearAfterSeconds = 2;
        alerts.restart({}, thresholds);
        alerts.watch(&replicas, nullptr, nullptr);
        alerts.start();

        // Both replicas seen, no alert.
        QTRY_COMPARE_WITH_TIMEOUT(replicas.model()->rowCount(), 2, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(alerts.engine().evaluatedAt() >= replicas.model()->lastPoll(), 5000);
        QVERIFY(alerts.model()->active().isEmpty());

        qint64 pid = 0;
        for (const QJsonValue &node : endpoints.value(u"nodes"_s).toArray())
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
};

QTEST_MAIN(TestAlertsDevCluster)
#include "tst_alerts_devcluster.moc"
