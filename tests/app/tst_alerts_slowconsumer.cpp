#include "app/ConsoleAlerts.h"
#include "app/DevCluster.h"
#include "app/ReplicasAreaAssembly.h"
#include "app/SlowConsumer.h"
#include "cluster/RedisUrl.h"
#include "models/AlertRules.h"
#include "models/ProfileStore.h"
#include "models/ReplicaModel.h"
#include "support/NodeClients.h"
#include "ui/AreaView.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
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

// One message of `text` to the `general` channel through the node's HTTP API; true on 201.
bool post(QNetworkAccessManager *http, const QUrl &node, const QByteArray &token, const QString &text)
{
    QUrl url = node;
    url.setPath(u"/api/channels/general/messages"_s);
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    request.setRawHeader("Authorization", "Bearer " + token);
    std::unique_ptr<QNetworkReply> reply(http->post(
        request, QJsonDocument(QJsonObject { { u"text"_s, text } }).toJson(QJsonDocument::Compact)));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!finished.wait(10000))
        return false;
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 201;
}

} // namespace

// The "slow consumers dropped" alert end to end (issue 13): a real devcluster of one replica,
// the Replicas area assembled as the console does (reading the registry hash, where the node
// announces sb_dropped_total{reason="slow_consumer"} as slowConsumerDrops), and the console's
// alert evaluation over it. A client that subscribes and never reads (the slow-consumer
// fault's own SlowConsumer) is sent 32 KB messages until the replica drops it at
// --limit-outbound-bytes; the alert is raised with the growth, and clears once no drop
// happened for a (shortened) counter window.
class TestAlertsSlowConsumer : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<app::DevCluster> m_cluster;

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"switchboard-test"_s);
        QCoreApplication::setApplicationName(u"tst_alerts_slowconsumer"_s);
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

    void droppedSlowConsumerRaisesSlowConsumerDropsThenClears()
    {
        app::DevClusterOptions options;
        options.replicas = 1;
        m_cluster = std::make_unique<app::DevCluster>(options, qEnvironmentVariable("SB_BINARY"));
        QSignalSpy ready(m_cluster.get(), &app::DevCluster::ready);
        QSignalSpy failed(m_cluster.get(), &app::DevCluster::failed);
        m_cluster->start();
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() || !failed.isEmpty(), 60000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().at(1).toString()));
        const QJsonObject endpoints = ready.first().first().toJsonObject();
        const QUrl node(m_cluster->nodeUrl(u"node-1"_s));
        QVERIFY(node.isValid());

        ui::AreaView area(u"replicas"_s, { u"Replicas"_s, {}, {} });
        models::AttachmentState attachment;
        inspect::ReplicaDiscoveryConfig discovery;
        discovery.redis = cluster::RedisUrl::parse(endpoints.value(u"redis"_s).toString());
        app::ReplicasAreaAssembly replicas(&area, discovery, &attachment);
        replicas.start();
        models::ProfileStore profiles(m_dir.filePath(u"secrets.json"_s));
        app::ConsoleAlerts alerts(&attachment, &profiles);
        models::AlertThresholds thresholds; // short holds and window keep the test short
        thresholds.raiseAfterSeconds = 2;
        thresholds.clearAfterSeconds = 2;
        thresholds.counterWindowSeconds = 5;
        alerts.restart({}, thresholds);
        alerts.watch(&replicas, nullptr, nullptr);
        alerts.start();

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
        app::SlowConsumer consumer({ u"node-1"_s, node }, aliceToken, { u"general"_s });
        consumer.start();
        QTRY_VERIFY_WITH_TIMEOUT(consumer.isStalled(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(clients.adminStats(node).value(u"subscriptions"_s).toInteger() >= 2, 10000);

        // 32 KB messages until the replica drops it: its queue (1 MiB) plus what the kernel
        // holds for a reader with a 4 KiB window is a few MB.
        QNetworkAccessManager http;
        const QString text(32 * 1024, u'x');
        auto dropped = [&clients, &node] {
            return clients.adminStats(node)
                .value(u"dropped"_s)
                .toObject()
                .value(u"slow_consumer"_s)
                .toInteger();
        };
        int sent = 0;
        while (sent < 600 && (sent % 20 != 0 || dropped() == 0)) {
            QVERIFY2(post(&http, node, carolToken, text), "the replica refused a message");
            ++sent;
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
};

QTEST_MAIN(TestAlertsSlowConsumer)
#include "tst_alerts_slowconsumer.moc"
