// The demo population against three real replicas (a real redis-server, the mock Kafka):
// the users log in through the replicas' users file, connect where the skew puts them, chat
// and see presence; churned users leave and come back; when a replica is killed -9 its users
// reconnect to the others. Figures are checked against the replicas' own /metrics.
#include "app/DemoPopulation.h"
#include "app/DemoUsers.h"

#include "NodeClusterFixture.h"
#include "NodeTestSupport.h"

#include <QFile>
#include <QTest>

#include <csignal>

#include <algorithm>
#include <array>
#include <memory>

using namespace sb::testing;
using sb::app::DemoPopulation;
using sb::app::DemoPopulationOptions;
using sb::app::DemoPopulationStats;
using sb::app::DemoReplica;
using sb::app::DemoUser;
using sb::app::DemoUsers;

namespace {
constexpr int kReplicas = 3;
constexpr int kUsers = 60;

double connectionsOn(quint16 port)
{
    const QByteArray text = metricsText(port);
    return metricValue(text, "sb_connections{transport=\"stomp\"}")
        + metricValue(text, "sb_connections{transport=\"sse\"}");
}
} // namespace

class TestDemoPopulation : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_cluster.start(&error), qPrintable(error));
        DemoPopulationOptions options;
        options.users = kUsers;
        m_users = DemoUsers::generate(options);
        QFile file(m_dir.filePath(QStringLiteral("users.json")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(DemoUsers::usersFileJson(m_users, 1000));
        file.close();
        for (int i = 0; i < kReplicas; ++i) {
            const QString id = QStringLiteral("node-%1").arg(i + 1);
            m_nodes[i] = std::make_unique<NodeProcess>();
            QVERIFY2(m_nodes[i]->start(m_cluster.args(id)
                         + QStringList { QStringLiteral("--users"), file.fileName(),
                             // Three populations log in within
                             // a minute here, from one address.
                             QStringLiteral("--limit-logins-per-address"), QStringLiteral("600") }),
                qPrintable(m_nodes[i]->errorString()));
            m_replicas.append({ id, QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_nodes[i]->port())) });
        }
        // Ready (Redis, Kafka groups) before the users come, as a devcluster's `ready` promises.
        // All three at once: a replica joining the stage-1 group rebalances it, and the others
        // say not ready (and refuse logins) until it settles.
        QTRY_VERIFY_WITH_TIMEOUT(
            std::all_of(m_nodes.begin(), m_nodes.end(),
                [](const auto &node) { return httpGet(node->port(), "/healthz/ready").status == 200; }),
            30000);
    }

    void usersSpreadBySkewChatAndSeePresence()
    {
        DemoPopulationOptions options;
        options.users = kUsers;
        options.skew = 0.5;
        options.churnEverySeconds = 0; // exact counts here; churn has its own test
        options.messagesPerSecond = 20;
        DemoPopulation population(options, m_users);
        population.start(m_replicas);
        QTRY_COMPARE_WITH_TIMEOUT(population.stats().connected, kUsers, 30000);
        const DemoPopulationStats stats = population.stats();
        // Half on node-1, the rest even, as ReplicaSpread says: seen by the replicas themselves.
        QCOMPARE(stats.connectedByReplica.value(QStringLiteral("node-1")), kUsers / 2);
        QCOMPARE(stats.connectedByReplica.value(QStringLiteral("node-2")), kUsers / 4);
        QTRY_COMPARE_WITH_TIMEOUT(connectionsOn(m_nodes[0]->port()), double(kUsers / 2), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(connectionsOn(m_nodes[1]->port()), double(kUsers / 4), 5000);
        QVERIFY(stats.stompConnected > 0 && stats.sseConnected > 0);
        QCOMPARE(stats.stompConnected + stats.sseConnected, kUsers);
        // They talk, and hear each other (through Kafka, across replicas), and see presence.
        QTRY_VERIFY_WITH_TIMEOUT(population.stats().messagesSent >= 20, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(population.stats().messagesReceived >= 20, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(population.stats().presenceEvents > 0, 10000);
        QCOMPARE(population.stats().failures, 0);
        QCOMPARE(population.userNames().size(), kUsers);
    }

    void churnedUsersLogOutAndComeBack()
    {
        DemoPopulationOptions options;
        options.users = 12;
        options.churnEverySeconds = 1;
        options.messagesPerSecond = 2;
        DemoPopulation population(options, m_users.mid(0, options.users));
        population.start(m_replicas);
        QTRY_VERIFY_WITH_TIMEOUT(population.stats().logouts >= 3, 15000);
        // They come back (away 2–6 s): a fresh login each, beyond everyone's first.
        QTRY_VERIFY_WITH_TIMEOUT(population.stats().logins >= options.users + 3, 15000);
        QVERIFY(population.stats().loggedOut < options.users / 2);
    }

    void killedReplicasUsersMoveToTheOthers()
    {
        DemoPopulationOptions options;
        options.users = kUsers;
        options.churnEverySeconds = 0;
        DemoPopulation population(options, m_users);
        population.start(m_replicas);
        QTRY_COMPARE_WITH_TIMEOUT(population.stats().connected, kUsers, 30000);
        QCOMPARE(population.stats().connectedByReplica.value(QStringLiteral("node-2")), kUsers / kReplicas);
        const qint64 receivedBefore = population.stats().messagesReceived;

        ::kill(pid_t(m_nodes[1]->pid()), SIGKILL);
        QVERIFY(m_nodes[1]->waitForExit(5000));
        // Within 10 % of everyone, on the two replicas left, as those replicas count them.
        QTRY_VERIFY_WITH_TIMEOUT(population.stats().connected >= kUsers * 9 / 10
                && population.stats().connectedByReplica.value(QStringLiteral("node-2")) == 0,
            15000);
        QTRY_VERIFY_WITH_TIMEOUT(
            connectionsOn(m_nodes[0]->port()) + connectionsOn(m_nodes[2]->port()) >= kUsers * 9 / 10, 5000);
        // Every user of node-2 came back elsewhere, as a reconnect (not a new login).
        QTRY_VERIFY_WITH_TIMEOUT(population.stats().reconnects >= kUsers / kReplicas, 10000);
        QCOMPARE(population.stats().logins, qint64(kUsers));
        // And the chat goes on.
        QTRY_VERIFY_WITH_TIMEOUT(population.stats().messagesReceived > receivedBefore + 20, 10000);
    }

private:
    NodeClusterFixture m_cluster;
    QTemporaryDir m_dir;
    QList<DemoUser> m_users;
    std::array<std::unique_ptr<NodeProcess>, kReplicas> m_nodes;
    QList<DemoReplica> m_replicas;
};

QTEST_GUILESS_MAIN(TestDemoPopulation)
#include "tst_demopopulation.moc"
