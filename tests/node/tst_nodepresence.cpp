// Presence after a replica dies (issue 12, item 3): the replica holding all of a user's
// connections is killed -9. Its presence counts are leased (--presence-lease-seconds), so
// they expire: the user's count in sb:presence drops within the lease and a renewal, and
// the surviving replica publishes "offline", which a contact subscribed to /topic/presence
// there receives. Before, the count stayed for ever and no "offline" came.
//
// The same kill, as the console sees it (issue 11): its Replicas discovery shows the killed
// replica down at the next refresh, while the registry still lists it (its key outlives it
// by up to 5 s), and the survivor still ready.

#include "NodeClusterFixture.h"
#include "NodeTestSupport.h"
#include "inspect/ReplicaDiscovery.h"
#include "models/ReplicaModel.h"
#include "support/RedisSeeder.h"
#include "support/TestMain.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <csignal>

using namespace sb::testing;

namespace {

constexpr int kLeaseSeconds = 3;
constexpr int kRefreshMs = 1000; // the console's default refresh of the Replicas area

bool waitReady(quint16 port, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (httpGet(port, "/healthz/ready").status == 200)
            return true;
        QTest::qWait(100);
    }
    return false;
}

// Reads MESSAGE frames until one on /topic/presence says `user` is `status`; false at the deadline.
bool waitForPresence(RawWebSocket &ws, const QString &user, const QString &status, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        const RawWebSocket::Message message = ws.read(int(qMax<qint64>(1, deadline.remainingTime())));
        if (message.opcode != 1 || !message.payload.startsWith("MESSAGE"))
            continue;
        const qsizetype bodyStart = message.payload.indexOf("\n\n");
        QByteArray body = message.payload.mid(bodyStart + 2);
        body.chop(body.endsWith('\0') ? 1 : 0);
        const QJsonObject presence = QJsonDocument::fromJson(body).object();
        if (presence.value(QStringLiteral("user")).toString() == user
            && presence.value(QStringLiteral("status")).toString() == status)
            return true;
    }
    return false;
}

} // namespace

class TestNodePresence : public QObject
{
    Q_OBJECT
private slots:
    void killedReplicasUsersGoOffline();
};

void TestNodePresence::killedReplicasUsersGoOffline()
{
    NodeClusterFixture cluster;
    QString error;
    QVERIFY2(cluster.start(&error), qPrintable(error));
    const QStringList lease { QStringLiteral("--presence-lease-seconds"), QString::number(kLeaseSeconds) };
    NodeProcess doomed;
    NodeProcess survivor;
    QVERIFY2(doomed.start(cluster.args(QStringLiteral("node-a")) + lease), qPrintable(doomed.errorString()));
    QVERIFY2(
        survivor.start(cluster.args(QStringLiteral("node-b")) + lease), qPrintable(survivor.errorString()));
    QVERIFY2(waitReady(doomed.port(), 60000), "node-a never became ready");
    QVERIFY2(waitReady(survivor.port(), 60000), "node-b never became ready");
    const quint16 redis = cluster.redisPort();
    auto presenceOf = [redis](const QString &user) {
        return RedisSeeder::cli(redis, { QStringLiteral("HGET"), QStringLiteral("sb:presence"), user });
    };

    // bob, a contact, watches presence on the replica that survives.
    RawWebSocket bob;
    QCOMPARE(bob.open(survivor.port()), 101);
    QVERIFY(stompConnect(bob, login(survivor.port(), QStringLiteral("bob"))).startsWith("CONNECTED"));
    QVERIFY(bob.sendText(stompFrame(
        "SUBSCRIBE", { { "id", "presence" }, { "destination", "/topic/presence" }, { "receipt", "r1" } })));
    QVERIFY(bob.read(5000).payload.startsWith("RECEIPT"));

    // alice's only connections are on the replica that will die.
    RawWebSocket alice;
    QCOMPARE(alice.open(doomed.port()), 101);
    QVERIFY(stompConnect(alice, login(doomed.port(), QStringLiteral("alice"))).startsWith("CONNECTED"));
    QVERIFY2(waitForPresence(bob, QStringLiteral("alice"), QStringLiteral("online"), 20000),
        "alice's online never came");
    QCOMPARE(presenceOf(QStringLiteral("alice")), QByteArray("1"));
    QCOMPARE(presenceOf(QStringLiteral("bob")), QByteArray("1"));

    // The console's Replicas discovery, through the registry, into its model.
    sb::inspect::ReplicaDiscoveryConfig config;
    config.redis = sb::cluster::RedisUrl::parse(QStringLiteral("redis://127.0.0.1:%1/0").arg(redis));
    config.pollIntervalMs = kRefreshMs;
    sb::inspect::ReplicaDiscovery discovery(config);
    sb::models::ReplicaModel replicas;
    connect(&discovery, &sb::inspect::ReplicaDiscovery::snapshotReady, &replicas,
        &sb::models::ReplicaModel::apply);
    discovery.start();
    auto shown = [&](const QString &id) {
        const int row = replicas.rowOf(id);
        return row < 0 ? sb::inspect::ReplicaInfo {} : replicas.replica(row);
    };
    using State = sb::inspect::ReplicaInfo::State;
    QTRY_VERIFY_WITH_TIMEOUT(shown(QStringLiteral("node-a")).state == State::Ready
            && shown(QStringLiteral("node-b")).state == State::Ready,
        15000);
    // Two more polls: each asked both replicas at their own addresses (a poll is published
    // once its checks answered), so the console knows node-a's address answers.
    QSignalSpy before(&discovery, &sb::inspect::ReplicaDiscovery::snapshotReady);
    QTRY_VERIFY_WITH_TIMEOUT(before.size() >= 2, 15000);

    QSignalSpy after(&discovery, &sb::inspect::ReplicaDiscovery::snapshotReady);
    QElapsedTimer clock;
    clock.start();
    ::kill(pid_t(doomed.pid()), SIGKILL);
    QVERIFY(doomed.waitForExit(5000));

    // Down at the next refresh (the poll in flight at the kill may have asked before it; the
    // one after must see it), while the registry still lists it: not when its key expires.
    QTRY_COMPARE_WITH_TIMEOUT(shown(QStringLiteral("node-a")).state, State::Down, 15000);
    const sb::inspect::ReplicaInfo killed = shown(QStringLiteral("node-a"));
    qInfo("the console showed node-a down %lld ms after the kill, in poll %lld after it (refresh %d ms)",
        clock.elapsed(), qint64(after.size()), kRefreshMs);
    QVERIFY2(after.size() <= 2, qPrintable(QString::number(after.size())));
    QVERIFY2(killed.detail.contains(u"the registry still lists it"), qPrintable(killed.detail));
    QVERIFY2(killed.detail.contains(u"connection refused"), qPrintable(killed.detail));
    QCOMPARE(killed.totalConnections(), std::nullopt);
    QCOMPARE(shown(QStringLiteral("node-b")).state, State::Ready); // no false down beside it
    discovery.stop();

    // Her count goes within the lease, a renewal and a margin for a loaded machine...
    const int boundMs = (kLeaseSeconds + 1) * 1000 + 3000;
    QTRY_VERIFY_WITH_TIMEOUT(presenceOf(QStringLiteral("alice")).isEmpty(), boundMs);
    qInfo(
        "alice's count left sb:presence %lld ms after the kill (lease %d s)", clock.elapsed(), kLeaseSeconds);
    // ... and bob is told, through the bus (which may wait for stage 1 to move off the dead
    // replica: its session timeout is 3 s here).
    QVERIFY2(waitForPresence(bob, QStringLiteral("alice"), QStringLiteral("offline"), 20000),
        "no 'offline' for alice reached her contact on the surviving replica");
    qInfo("bob got alice's offline %lld ms after the kill", clock.elapsed());

    // Only the dead replica's counts went: bob's own connection still counts, and only the
    // survivor still holds a lease.
    QCOMPARE(presenceOf(QStringLiteral("bob")), QByteArray("1"));
    QCOMPARE(RedisSeeder::cli(redis, { QStringLiteral("ZCARD"), QStringLiteral("sb:presence:leases") }),
        QByteArray("1"));
    QVERIFY(survivor.isRunning());
}

SB_TEST_GUILESS_MAIN(TestNodePresence)
#include "tst_nodepresence.moc"
