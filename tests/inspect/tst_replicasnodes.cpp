// ReplicaDiscovery against two real `switchboard node` processes ($SB_BINARY, port 0,
// --demo-users), polled through /metrics and /admin/stats: the model's figures equal what
// each replica's own /admin/stats says at the same moment; a killed replica goes down at once.
#include "inspect/ReplicaDiscovery.h"
#include "models/ReplicaFigures.h"
#include "models/ReplicaModel.h"
#include "models/SeriesHistory.h"
#include "support/NodeClients.h"
#include "support/TestMain.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <csignal>
#include <memory>

using namespace sb;
using namespace Qt::StringLiterals;
using inspect::ReplicaInfo;

namespace {

// One node child process; killed by pid when the test is done with it.
struct Node
{
    std::unique_ptr<QProcess> process = std::make_unique<QProcess>();
    quint16 port = 0;
    QString id;

    ~Node() { kill(); }
    void kill()
    {
        if (process->state() != QProcess::NotRunning) {
            ::kill(pid_t(process->processId()), SIGKILL);
            process->waitForFinished(5000);
        }
    }
    QUrl url(const QString &path) const { return QUrl(u"http://127.0.0.1:%1%2"_s.arg(port).arg(path)); }
};

} // namespace

class TestReplicasNodes : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        const QString binary = qEnvironmentVariable("SB_BINARY");
        QVERIFY2(!binary.isEmpty(), "SB_BINARY is not set (CTest sets it to the switchboard binary)");
        for (int i = 0; i < 2; ++i) {
            auto node = std::make_unique<Node>();
            node->id = u"replica-%1"_s.arg(i + 1);
            node->process->setProgram(binary);
            node->process->setArguments({ u"node"_s, u"--id"_s, node->id, u"--listen"_s, u"127.0.0.1:0"_s,
                u"--demo-users"_s, u"--workers"_s, u"1"_s });
            node->process->start();
            QVERIFY2(node->process->waitForStarted(5000), qPrintable(node->process->errorString()));
            static const QRegularExpression listening(u"listening http://127\\.0\\.0\\.1:(\\d+)"_s);
            QByteArray out;
            QDeadlineTimer deadline(15000);
            while (node->port == 0 && !deadline.hasExpired() && node->process->state() == QProcess::Running) {
                node->process->waitForReadyRead(200);
                out += node->process->readAllStandardOutput();
                const auto match = listening.match(QString::fromUtf8(out));
                if (match.hasMatch())
                    node->port = quint16(match.captured(1).toUInt());
            }
            QVERIFY2(node->port != 0, out.constData());
            m_nodes.push_back(std::move(node));
        }
    }

    void figuresEqualEachReplicasAdminStats()
    {
        // Clients: 3 STOMP sessions (each subscribed) and 1 SSE stream on replica-1,
        // 1 STOMP session on replica-2.
        openStomp(*m_nodes[0], 3);
        openSse(*m_nodes[0]);
        openStomp(*m_nodes[1], 1);
        QTRY_COMPARE_WITH_TIMEOUT(adminStats(*m_nodes[0]).value(u"subscriptions"_s).toInt(), 3, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(
            adminStats(*m_nodes[0]).value(u"connections"_s).toObject().value(u"sse"_s).toInt(), 1, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(adminStats(*m_nodes[1]).value(u"subscriptions"_s).toInt(), 1, 5000);

        inspect::ReplicaDiscoveryConfig config;
        for (const auto &node : m_nodes) {
            config.prometheusEndpoints.append(node->url(u"/metrics"_s));
            config.adminStatsUrls.append(node->url(u"/admin/stats"_s));
        }
        config.adminUser = u"admin"_s;
        config.adminPassword = u"admin"_s;
        config.pollIntervalMs = 300;
        config.httpTimeoutMs = 1500;

        QThread worker;
        auto *discovery = new inspect::ReplicaDiscovery(config);
        discovery->moveToThread(&worker);
        connect(&worker, &QThread::finished, discovery, &QObject::deleteLater);
        models::ReplicaModel model;
        models::SeriesHistory history;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        inspect::ReplicaSnapshot last;
        connect(discovery, &inspect::ReplicaDiscovery::snapshotReady, &model,
            [&](const inspect::ReplicaSnapshot &snapshot) {
                last = snapshot;
                history.appendReplicaConnections(snapshot);
                model.apply(snapshot);
            });
        worker.start();
        QMetaObject::invokeMethod(discovery, &inspect::ReplicaDiscovery::start, Qt::QueuedConnection);

        auto settled = [&] {
            if (model.rowCount() != 2 || last.failingSources() != 0)
                return false;
            for (int row = 0; row < 2; ++row) {
                if (!model.replica(row).source.contains(u"admin"_s)
                    || !model.replica(row).source.contains(u"metrics"_s))
                    return false;
            }
            return true;
        };
        QTRY_VERIFY_WITH_TIMEOUT(settled(), 10000);

        // The same moment: nothing changes on the replicas now, so the last poll and a fresh
        // /admin/stats describe the same state.
        QSignalSpy polled(discovery, &inspect::ReplicaDiscovery::snapshotReady);
        QVERIFY(polled.wait(3000));
        QTRY_COMPARE(model.polls(), last.poll);
        qint64 total = 0;
        for (const auto &node : m_nodes) {
            const QJsonObject stats = adminStats(*node);
            const QJsonObject connections = stats.value(u"connections"_s).toObject();
            const int row = model.rowOf(stats.value(u"node"_s).toString());
            QVERIFY2(row >= 0, qPrintable(stats.value(u"node"_s).toString()));
            const ReplicaInfo &r = model.replica(row);
            QCOMPARE(r.id, node->id);
            QCOMPARE(r.state,
                stats.value(u"ready"_s).toBool() ? ReplicaInfo::State::Ready : ReplicaInfo::State::Unready);
            QCOMPARE(r.wsConnections, std::optional<qint64>(connections.value(u"stomp"_s).toInteger()));
            QCOMPARE(r.sseConnections, std::optional<qint64>(connections.value(u"sse"_s).toInteger()));
            QCOMPARE(r.subscriptions, std::optional<qint64>(stats.value(u"subscriptions"_s).toInteger()));
            QCOMPARE(
                r.heartbeatTimeouts, std::optional<qint64>(stats.value(u"heartBeatTimeouts"_s).toInteger()));
            // None dropped: the node's /metrics and /admin/stats list no slow_consumer reason yet,
            // and that reads as 0, not unknown (the slow-consumer alert judges growth from it).
            QCOMPARE(r.slowConsumerDrops,
                std::optional<qint64>(
                    stats.value(u"dropped"_s).toObject().value(u"slow_consumer"_s).toInteger()));
            QCOMPARE(r.slowConsumerDrops, std::optional<qint64>(0));
            QCOMPARE(r.started.toMSecsSinceEpoch(), stats.value(u"startedAt"_s).toInteger());
            QCOMPARE(r.address, u"127.0.0.1:%1"_s.arg(node->port));
            // Displayed as the figures say.
            QCOMPARE(model.index(row, models::ReplicaModel::WsConnections).data().toString(),
                QString::number(connections.value(u"stomp"_s).toInteger()));
            total += connections.value(u"stomp"_s).toInteger() + connections.value(u"sse"_s).toInteger();
        }
        QCOMPARE(model.figures().replicasUp, 2);
        QCOMPARE(model.figures().totalConnections, total);
        QCOMPARE(total, 5);
        // 4 vs 1 connections: max/mean = 4/2.5 — flagged.
        QVERIFY(model.figures().imbalance.has_value());
        QCOMPARE(*model.figures().imbalance, 1.6);
        QVERIFY(model.figures().imbalanced());
        QVERIFY(history.sampleCount(u"replica-1"_s) >= 2);

        // Kill replica-2: its probes fail (connection refused) and its row goes down at once.
        const QDateTime killedAt = QDateTime::currentDateTimeUtc();
        m_nodes[1]->kill();
        const int row2 = model.rowOf(u"replica-2"_s);
        QTRY_COMPARE_WITH_TIMEOUT(model.replica(row2).state, ReplicaInfo::State::Down, 5000);
        QVERIFY(model.replica(row2).stateSince >= killedAt);
        QVERIFY2(model.replica(row2).detail.contains(u"connection refused"_s)
                || model.replica(row2).detail.contains(u"closed"_s),
            qPrintable(model.replica(row2).detail));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.figures().replicasDown, 1);
        QCOMPARE(model.figures().totalConnections, 4);

        worker.quit();
        QVERIFY(worker.wait(5000));
    }

    void cleanupTestCase()
    {
        m_clients.closeAll();
        m_nodes.clear(); // kills by pid
    }

private:
    QJsonObject adminStats(const Node &node) { return m_clients.adminStats(node.url(QString())); }
    void openStomp(const Node &node, int count)
    {
        QString error;
        QVERIFY2(m_clients.openStomp(node.url(QString()), count, &error), qPrintable(error));
    }
    void openSse(const Node &node)
    {
        QString error;
        QVERIFY2(m_clients.openSse(node.url(QString()), &error), qPrintable(error));
    }

    std::vector<std::unique_ptr<Node>> m_nodes;
    testing::NodeClients m_clients;
};

SB_TEST_GUI_MAIN(TestReplicasNodes)
#include "tst_replicasnodes.moc"
