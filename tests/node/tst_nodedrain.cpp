// "Draining" is seen (issue 11, item 4): a replica given SIGTERM while its clients are idle
// stays draining for the minimum drain period (--drain-min-seconds) — its registry entry
// says draining=1 at once, /healthz/ready answers 503 {"draining":true}, /admin/stats says
// draining, and the console's Replicas discovery shows it "draining" — then it leaves the
// registry and exits 0. Before, it was gone within a fraction of a second and nobody saw it.
// It leaves its registry entry marked left=1, and the console shows it "left"; a replica
// killed -9 in the middle of its drain (beside it, on the same cluster) is shown down, never
// left: only a finished drain writes the mark.

#include "NodeClusterFixture.h"
#include "NodeTestSupport.h"
#include "inspect/KafkaAdminClient.h"
#include "inspect/ReplicaDiscovery.h"
#include "models/ReplicaModel.h"
#include "support/RedisSeeder.h"
#include "support/TestMain.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

#include <csignal>

using namespace sb::testing;
using namespace Qt::StringLiterals;

namespace {

constexpr int kDrainMinSeconds = 3;

QByteArray registryField(quint16 redisPort, const QString &id, const QString &field)
{
    return RedisSeeder::cli(redisPort, { QStringLiteral("HGET"), QStringLiteral("sb:node:") + id, field });
}

// The console's discovery through the registry, polling five times a second. (Built here, not
// in the test: inlined there, GCC's -Wmaybe-uninitialized misreads the optional's move.)
sb::inspect::ReplicaDiscoveryConfig consoleDiscovery(quint16 redisPort)
{
    sb::inspect::ReplicaDiscoveryConfig config;
    config.redis = sb::cluster::RedisUrl::parse(QStringLiteral("redis://127.0.0.1:%1/0").arg(redisPort));
    config.pollIntervalMs = 200;
    return config;
}

bool waitDrainReady(quint16 port, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (httpGet(port, "/healthz/ready").status == 200)
            return true;
        QTest::qWait(100);
    }
    return false;
}

} // namespace

class TestNodeDrain : public QObject
{
    Q_OBJECT
private slots:
    void idleReplicaStaysDrainingForTheMinimumPeriod();
    void secondSignalEndsTheDrainAtOnce();
};

void TestNodeDrain::idleReplicaStaysDrainingForTheMinimumPeriod()
{
    NodeClusterFixture cluster;
    QString error;
    QVERIFY2(cluster.start(&error), qPrintable(error));
    const QString id = QStringLiteral("node-drain");
    const QString killedId = QStringLiteral("node-killed-mid-drain");
    const QStringList drainOptions { QStringLiteral("--drain-min-seconds"), QString::number(kDrainMinSeconds),
        QStringLiteral("--grace-seconds"), QStringLiteral("20") };
    NodeProcess node;
    QVERIFY2(node.start(cluster.args(id) + drainOptions), qPrintable(node.errorString()));
    NodeProcess killed;
    QVERIFY2(killed.start(cluster.args(killedId) + drainOptions), qPrintable(killed.errorString()));
    const quint16 port = node.port();
    QVERIFY2(waitDrainReady(port, 60000), "the node never became ready");
    QVERIFY2(waitDrainReady(killed.port(), 60000), "the second node never became ready");
    const QByteArray admin = login(port, QStringLiteral("admin"));
    QVERIFY(!admin.isEmpty());
    const QString bootId = QJsonDocument::fromJson(httpGet(port, "/admin/stats", admin).body)
                               .object()
                               .value(QStringLiteral("bootId"))
                               .toString();
    QVERIFY(!bootId.isEmpty());

    // The console's own view of the replicas: discovery through the registry, into the model.
    sb::inspect::ReplicaDiscovery discovery(consoleDiscovery(cluster.redisPort()));
    sb::models::ReplicaModel replicas;
    connect(&discovery, &sb::inspect::ReplicaDiscovery::snapshotReady, &replicas,
        &sb::models::ReplicaModel::apply);
    // Every state each replica was shown in, poll by poll.
    QHash<QString, QSet<QString>> statesShown; // id -> state keys
    connect(&discovery, &sb::inspect::ReplicaDiscovery::snapshotReady, this,
        [&statesShown](const sb::inspect::ReplicaSnapshot &snapshot) {
            for (const sb::inspect::ReplicaInfo &replica : snapshot.replicas)
                statesShown[replica.id].insert(sb::inspect::ReplicaInfo::stateKey(replica.state));
        });
    discovery.start();
    auto shownState = [&](const QString &which) -> QString {
        for (int row = 0; row < replicas.rowCount(); ++row) {
            if (replicas.replica(row).id == which)
                return replicas.index(row, sb::models::ReplicaModel::State).data().toString();
        }
        return {};
    };
    QTRY_VERIFY_WITH_TIMEOUT(
        shownState(id).startsWith(u"ready") && shownState(killedId).startsWith(u"ready"), 10000);

    // Idle clients: a STOMP session and an SSE stream that say nothing.
    RawWebSocket stomp;
    QCOMPARE(stomp.open(port), 101);
    QVERIFY(stompConnect(stomp, login(port, QStringLiteral("alice"))).startsWith("CONNECTED"));
    QTcpSocket sse;
    sse.connectToHost(QStringLiteral("127.0.0.1"), port);
    QVERIFY(sse.waitForConnected(5000));
    sse.write("GET /api/sse HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + login(port, QStringLiteral("bob")) + "\r\n\r\n");
    QVERIFY(sse.waitForReadyRead(5000));
    QCOMPARE(registryField(cluster.redisPort(), id, QStringLiteral("draining")), QByteArray("0"));

    QElapsedTimer clock;
    clock.start();
    node.terminate();
    killed.terminate();

    // The registry says so at once (not at the next second's announcement).
    QTRY_COMPARE_WITH_TIMEOUT(
        registryField(cluster.redisPort(), id, QStringLiteral("draining")), QByteArray("1"), 1500);
    // The other is killed in the middle of its drain: its entry still says draining (until
    // its key expires), its address refuses, it never finished: down, not left.
    QTRY_COMPARE_WITH_TIMEOUT(
        registryField(cluster.redisPort(), killedId, QStringLiteral("draining")), QByteArray("1"), 1500);
    QTRY_VERIFY_WITH_TIMEOUT(shownState(killedId).startsWith(u"draining"), 2000); // as the console saw it
    QCOMPARE(::kill(pid_t(killed.pid()), SIGKILL), 0);
    QVERIFY(killed.waitForExit(5000));
    // The clients are told to move and go.
    QCOMPARE(stomp.waitForClose(5000), 1001);
    QTRY_COMPARE_WITH_TIMEOUT(sse.state(), QAbstractSocket::UnconnectedState, 5000);

    // The registry follows at once: draining, with no connection left.
    QTRY_COMPARE_WITH_TIMEOUT(
        registryField(cluster.redisPort(), id, QStringLiteral("ws")), QByteArray("0"), 1000);
    QCOMPARE(registryField(cluster.redisPort(), id, QStringLiteral("sse")), QByteArray("0"));

    // Draining lasts the minimum period although nobody is connected any more: sampled
    // until just before it ends, every source says draining.
    int samples = 0;
    bool consoleSawDraining = false;
    while (clock.elapsed() < kDrainMinSeconds * 1000 - 400) {
        QVERIFY2(
            node.isRunning(), qPrintable(QStringLiteral("the node left after %1 ms").arg(clock.elapsed())));
        const HttpResult ready = httpGet(port, "/healthz/ready");
        QCOMPARE(ready.status, 503);
        QVERIFY2(ready.body.contains("\"draining\":true"), ready.body.constData());
        const HttpResult stats = httpGet(port, "/admin/stats", admin);
        QCOMPARE(stats.status, 200);
        QCOMPARE(
            QJsonDocument::fromJson(stats.body).object().value(QStringLiteral("draining")).toBool(), true);
        QCOMPARE(registryField(cluster.redisPort(), id, QStringLiteral("draining")), QByteArray("1"));
        consoleSawDraining = consoleSawDraining || shownState(id).startsWith(u"draining");
        ++samples;
        QTest::qWait(150); // sampling a state over a period, not waiting for one
    }
    QVERIFY2(samples >= 5, QByteArray::number(samples).constData());
    QVERIFY2(consoleSawDraining, qPrintable(shownState(id)));
    // Meanwhile the killed one went down, as soon as its refusal could not be a drain's end.
    QTRY_VERIFY_WITH_TIMEOUT(shownState(killedId).startsWith(u"down"), 5000);
    const sb::inspect::ReplicaInfo killedRow = replicas.replica(replicas.rowOf(killedId));
    QVERIFY2(killedRow.detail.contains(u"gone in the middle of its drain")
            && killedRow.detail.contains(u"connection refused"),
        qPrintable(killedRow.detail));

    // Then it leaves: exit 0 after the minimum, well within the grace period, and its
    // registry entry says so at once (the console shows it left, not draining for 5 s more).
    QVERIFY2(node.waitForExit(15000), "the node did not exit within the grace period");
    QCOMPARE(node.exitCode(), 0);
    QVERIFY2(clock.elapsed() >= kDrainMinSeconds * 1000, QByteArray::number(clock.elapsed()).constData());
    QCOMPARE(registryField(cluster.redisPort(), id, QStringLiteral("left")), QByteArray("1"));
    // It left on purpose: "left", neither down nor an error (issue 11); never down on the way.
    QTRY_VERIFY_WITH_TIMEOUT(shownState(id).startsWith(u"left"), 5000);
    QCOMPARE(replicas.figures().replicasDown, 1); // the killed one
    QCOMPARE(replicas.figures().replicasLeft, 1);
    QVERIFY(!statesShown.value(id).contains(u"down"_s));
    QVERIFY(!statesShown.value(killedId).contains(u"left"_s));
    const QByteArray log = node.standardError();
    QVERIFY2(log.contains("minimum drain period"), log.constData());

    // Its per-boot broadcast group was retired on the way out: deleted, or — the mock
    // cluster cannot delete groups — marked in its committed offsets, which is what the
    // console reads to show it RETIRED rather than as a lag alarm.
    const QString group = QStringLiteral("switchboard-broadcast-%1-%2").arg(id, bootId);
    QVERIFY2(log.contains(group.toUtf8()), log.constData());
    sb::inspect::KafkaAdminClient kafka(3000);
    sb::cluster::KafkaSettings settings;
    settings.setBootstrapServers(cluster.kafkaBootstrap());
    QVERIFY2(kafka.open(settings, &error), qPrintable(error));
    kafka.requestCommittedOffsets({ group }, { { QStringLiteral("switchboard.SseBroadcast"), 2 } });
    const auto offsets = kafka.collectCommittedOffsets().value(group);
    QVERIFY2(offsets.retired.has_value() || log.contains("deleted its group"), log.constData());
    if (offsets.retired)
        QCOMPARE(offsets.retired->by, QStringLiteral("switchboard-") + id);

    // The killed one's entry expires still saying draining: an expired key is not a leave.
    QTRY_COMPARE_WITH_TIMEOUT(RedisSeeder::cli(cluster.redisPort(),
                                  { QStringLiteral("EXISTS"), QStringLiteral("sb:node:") + killedId }),
        QByteArray("0"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(replicas.replica(replicas.rowOf(killedId)).detail.contains(u"is gone"), 5000);
    QVERIFY2(shownState(killedId).startsWith(u"down"), qPrintable(shownState(killedId)));
    QVERIFY(!statesShown.value(killedId).contains(u"left"_s));
}

void TestNodeDrain::secondSignalEndsTheDrainAtOnce()
{
    NodeProcess node;
    QVERIFY2(node.start({ QStringLiteral("--drain-min-seconds"), QStringLiteral("60"),
                 QStringLiteral("--grace-seconds"), QStringLiteral("120") }),
        qPrintable(node.errorString()));
    const quint16 port = node.port();
    QCOMPARE(httpGet(port, "/healthz/ready").status, 200);
    node.terminate();
    QTRY_COMPARE_WITH_TIMEOUT(httpGet(port, "/healthz/ready").status, 503, 5000);
    // Held by the 60 s minimum, with nobody connected.
    QElapsedTimer held;
    held.start();
    while (held.elapsed() < 1500) {
        QVERIFY2(
            node.isRunning(), qPrintable(QStringLiteral("the node left after %1 ms").arg(held.elapsed())));
        QCOMPARE(httpGet(port, "/healthz/ready").status, 503);
        QTest::qWait(150); // sampling a state over a period, not waiting for one
    }
    QElapsedTimer clock;
    clock.start();
    ::kill(pid_t(node.pid()), SIGINT); // the operator's second Ctrl+C
    QVERIFY2(node.waitForExit(5000), "a second signal did not end the drain");
    QCOMPARE(node.exitCode(), 0);
    QVERIFY2(node.standardError().contains("second stop request"), node.standardError().constData());
}

SB_TEST_GUILESS_MAIN(TestNodeDrain)
#include "tst_nodedrain.moc"
