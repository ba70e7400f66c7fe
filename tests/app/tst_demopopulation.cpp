// The demo population against three real replicas (a real redis-server, the mock Kafka):
// the users log in through the replicas' users file, connect where the skew puts them, chat
// and see presence; churned users leave and come back; when a replica is killed -9 its users
// reconnect to the others, resuming where they were: `since` on their SUBSCRIBEs and
// Last-Event-ID on their streams, as the replica they come to taps them. Figures are checked
// against the replicas' own /metrics.
#include "app/DemoPopulation.h"
#include "app/DemoUsers.h"
#include "node/PasswordHasher.h"

#include "NodeClusterFixture.h"
#include "NodeTestSupport.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
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
const QString kTapAdmin = QStringLiteral("tap-admin"); // password = name, as login() sends it

double connectionsOn(quint16 port)
{
    const QByteArray text = metricsText(port);
    return metricValue(text, "sb_connections{transport=\"stomp\"}")
        + metricValue(text, "sb_connections{transport=\"sse\"}");
}

// The demo's users file with an admin beside them, who may read the replicas' tap.
QByteArray usersFileWithTapAdmin(const QList<DemoUser> &users)
{
    QJsonObject file = QJsonDocument::fromJson(DemoUsers::usersFileJson(users, 1000)).object();
    QJsonArray entries = file.value(QStringLiteral("users")).toArray();
    entries.append(QJsonObject { { QStringLiteral("name"), kTapAdmin },
        { QStringLiteral("passwordHash"), sb::node::PasswordHasher::hash(kTapAdmin, 1000) },
        { QStringLiteral("roles"), QJsonArray { QStringLiteral("ROLE_ADMIN") } } });
    file.insert(QStringLiteral("users"), entries);
    return QJsonDocument(file).toJson(QJsonDocument::Compact);
}

// What a replica's tap (docs/protocol.md, "Tap frames") shows of clients resuming on it: a
// STOMP SUBSCRIBE that came in with `since`, an SSE stream opened with Last-Event-ID.
struct ResumesSeen
{
    int subscribesWithSince = 0;
    int streamsWithLastEventId = 0;
};

ResumesSeen readResumes(RawWebSocket &tap, int timeoutMs)
{
    ResumesSeen seen;
    const QDeadlineTimer deadline(timeoutMs);
    while ((seen.subscribesWithSince == 0 || seen.streamsWithLastEventId == 0) && !deadline.hasExpired()) {
        const RawWebSocket::Message message = tap.read(200);
        if (message.opcode != 1)
            continue;
        for (const QByteArray &line : message.payload.split('\n')) {
            const QJsonObject frame = QJsonDocument::fromJson(line).object();
            const QJsonObject headers = frame.value(QStringLiteral("headers")).toObject();
            const QString command = frame.value(QStringLiteral("command")).toString();
            if (command == u"SUBSCRIBE" && !headers.value(QStringLiteral("since")).toString().isEmpty())
                ++seen.subscribesWithSince;
            if (command == u"OPEN" && frame.value(QStringLiteral("transport")).toString() == u"sse"
                && !headers.value(QStringLiteral("last-event-id")).toString().isEmpty())
                ++seen.streamsWithLastEventId;
        }
    }
    return seen;
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
        file.write(usersFileWithTapAdmin(m_users));
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
        // Something seen on every channel (all are in general), so each has a place to resume from.
        const qint64 receivedConnected = population.stats().messagesReceived;
        QTRY_VERIFY_WITH_TIMEOUT(
            population.stats().messagesReceived >= receivedConnected + 2 * kUsers, 10000);
        // node-2's users come to node-3 first (the next replica): its tap shows how they ask.
        const quint16 node3 = m_nodes[2]->port();
        const QByteArray admin = login(node3, kTapAdmin);
        QVERIFY(!admin.isEmpty());
        RawWebSocket tap;
        QCOMPARE(tap.open(node3, "/admin/tap", {}, "Authorization: Bearer " + admin + "\r\n"), 101);
        QTRY_COMPARE_WITH_TIMEOUT(QJsonDocument::fromJson(httpGet(node3, "/admin/stats", admin).body)
                                      .object()
                                      .value(QStringLiteral("tapReaders"))
                                      .toInt(),
            1, 5000);
        const qint64 receivedBefore = population.stats().messagesReceived;

        ::kill(pid_t(m_nodes[1]->pid()), SIGKILL);
        QVERIFY(m_nodes[1]->waitForExit(5000));
        // They resume where they were, not from now (nothing else connects meanwhile).
        const ResumesSeen resumes = readResumes(tap, 15000);
        QVERIFY2(resumes.subscribesWithSince > 0, "no SUBSCRIBE with `since` on node-3");
        QVERIFY2(resumes.streamsWithLastEventId > 0, "no SSE stream opened with Last-Event-ID on node-3");
        tap.socket().abort();
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
