// The truth check's cases with a fault undone afterwards (the class and its story:
// SnapshotTruthTest.h, tst_snapshot_truth.cpp): a replica killed -9 and another drained
// with Redis up, then both started again; and Redis back after its outage.
#include "SnapshotTruthTest.h"

using namespace sb::testing::truth;
using sb::testing::ReplicaProbes;
using sb::testing::ReplicaProbeSeries;

// Redis up, a replica killed -9 and another drained while the console runs, a few refresh
// intervals (1 s) before its snapshot: the killed one is down — not ready, as its
// registry entry still says (held past the snapshot here, so only the console's own
// question to the replica can tell) — because its address refuses, as its probes say; the
// draining one is shown draining (it answers /healthz/ready 503 "draining" for
// --drain-min-seconds, 3 s, at least), the third is ready, and each one's connections are
// the ones it counts itself, in the same second. Both are started again afterwards for the
// Redis fault below.
void TestSnapshotTruth::killedAndDrainingReplicasAreShownAsTheirOwnProbesSay()
{
    const QList<QUrl> nodes = m_cluster.nodeUrls();
    const QStringList ids = m_cluster.nodeIds();
    QCOMPARE(nodes.size(), 3);
    const QJsonArray described = m_endpoints.value(u"nodes"_s).toArray();
    const auto pidOf = [&described](int i) { return described.at(i).toObject().value(u"pid"_s).toInteger(); };
    QVERIFY2(pidOf(0) > 0 && pidOf(1) > 0, "the devcluster does not report its replicas' pids");
    QString error;
    QVERIFY2(saveProfile(&error), qPrintable(error));
    // The replica to be killed holds no client: a session key it cannot delete would expire
    // 40-60 s later (SessionLease::kTtlSeconds), in the middle of redisBack's Redis figures,
    // which a console reads every 5 s. The SSE stream moves to the third replica meanwhile.
    m_clients.closeAll();
    QVERIFY2(m_clients.openStomp(nodes.at(0), 2, &error), qPrintable(error));
    QVERIFY2(m_clients.openSse(nodes.at(2), &error), qPrintable(error));
    QVERIFY(pollUntil([this] { return m_redis->count(u"sb:session:*"_s) == 3; }, 10000, 200));

    constexpr int kSnapshotAfterSeconds = 9;
    QTemporaryDir out;
    QProcess console;
    startConsole(&console, out.path(), kSnapshotAfterSeconds);
    QVERIFY(console.waitForStarted(10000));
    QElapsedTimer running;
    running.start();
    auto hasRead = [&] { return consoleHasReadTheRegistry(running.elapsed() / 1000 + 1); };
    pollUntil([&] { return hasRead() || console.state() == QProcess::NotRunning; }, 20000, 200);
    QVERIFY2(hasRead(), "the console has not read the registry before its snapshot");
    // The console's snapshot clock started with its discovery, just before this read.
    const qint64 readAtMs = running.elapsed();
    QNetworkAccessManager network;
    ReplicaProbeSeries measurements(&network, nodes);
    // The kill 4 s before the snapshot is due by this test's clock, which runs up to a second
    // or more behind the console's (it notices the console's first read late): the snapshot
    // comes 2 to 4 s after the kill, more than one refresh interval (1 s) however the two
    // clocks stand, yet before the key would expire on a quiet machine.
    const qint64 dueAtMs = readAtMs + kSnapshotAfterSeconds * 1000;
    measurements.readFor(&console, int(dueAtMs - 4000 - running.elapsed()));
    const QString killedKey = u"sb:node:"_s + ids.at(1);
    const QDateTime killedAt = QDateTime::currentDateTimeUtc();
    QCOMPARE(::kill(pid_t(pidOf(1)), SIGKILL), 0);
    // Its key would expire 5 s after its last announcement (RegistryAnnouncer::kTtlSeconds);
    // held for a minute, the registry lists it "ready" throughout, so only the console's own
    // question to the replica (ReplicaLivenessChecks) can say down.
    QCOMPARE(m_redis->run({ u"EXPIRE"_s, killedKey, u"60"_s }), u"1"_s);
    // The drain 2 s before: it lasts 3 s at least, so the last poll before the snapshot falls
    // inside it.
    measurements.readFor(&console, int(dueAtMs - 2000 - running.elapsed()));
    QCOMPARE(::kill(pid_t(pidOf(0)), SIGTERM), 0);
    measurements.readUntilFinished(&console, 60000);
    QVERIFY(console.state() == QProcess::NotRunning);
    QCOMPARE(console.exitCode(), 0);

    QFile file(out.filePath(u"state.json"_s));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject replicas
        = QJsonDocument::fromJson(file.readAll()).object().value(u"replicas"_s).toObject();
    QVERIFY2(!replicas.value(u"discoveryDegraded"_s).toBool(),
        qPrintable(replicas.value(u"discoveryDegradedReason"_s).toString()));
    QVERIFY(!replicas.value(u"stale"_s).toBool());
    QString why;
    const ReplicaProbeSeries::Reading *nearest = readingAsOf(measurements, replicas, &why);
    QVERIFY2(nearest, qPrintable(why));
    // The registry still listed the killed replica, as ready, when the picture was taken.
    QCOMPARE(m_redis->run({ u"HGET"_s, killedKey, u"ready"_s }), u"1"_s);
    const qint64 killToPictureMs
        = killedAt.msecsTo(QDateTime::fromString(replicas.value(u"asOf"_s).toString(), Qt::ISODateWithMs));
    qInfo("the Replicas picture is of %lld ms after the kill", killToPictureMs);

    const QJsonArray states = replicas.value(u"replicaStates"_s).toArray();
    const QJsonArray rows = replicas.value(u"rows"_s).toArray();
    const QStringList expected { u"draining"_s, u"down"_s, u"ready"_s };
    qint64 connections = 0;
    for (int i = 0; i < nodes.size(); ++i) {
        const ReplicaProbes &probes = nearest->replicas.at(i);
        const QJsonObject shown = rowWith(states, u"id"_s, ids.at(i));
        const QString what
            = u"%1 shown '%2' (%3) while its /healthz/live answers %4, /healthz/ready %5%6; picture %7 ms after the kill"_s
                  .arg(ids.at(i), shown.value(u"stateText"_s).toString(), shown.value(u"reason"_s).toString(),
                      QString::number(probes.live), QString::number(probes.ready),
                      probes.draining ? u" (draining)"_s : QString(), QString::number(killToPictureMs));
        QVERIFY2(!shown.isEmpty(), qPrintable(ids.at(i) + u" is not in the picture"_s));
        // The fault as the replica itself says it at that moment, then the console.
        const QString truth = probes.live == 0 ? u"down"_s
            : probes.draining                  ? u"draining"_s
            : probes.ready == 200              ? u"ready"_s
                                               : u"unready"_s;
        QVERIFY2(
            truth == expected.at(i), qPrintable(u"the fault was not in place at the snapshot: "_s + what));
        QVERIFY2(shown.value(u"state"_s).toString() == truth, qPrintable(what));
        if (truth == u"down") {
            // Down by its own address's answer (ReplicaLivenessChecks), not its key's expiry.
            const QString reason = shown.value(u"reason"_s).toString();
            QVERIFY2(
                reason.contains(u"the registry still lists it"_s) && reason.contains(u"connection refused"_s),
                qPrintable(what));
            continue;
        }
        QVERIFY2(rowCountsAsProbed(rows, ids.at(i), probes, &why), qPrintable(why));
        connections += probes.stomp + probes.sse;
    }
    const QJsonObject figures = replicas.value(u"figures"_s).toObject();
    QCOMPARE(figures.value(u"totalConnections"_s).toInteger(), connections);
    QCOMPARE(figures.value(u"replicasDown"_s).toInt(), 1);
    QCOMPARE(figures.value(u"replicasLeft"_s).toInt(), 0);

    // Both back, on their old ports, for the Redis fault (the drained one once it left).
    QTRY_VERIFY_WITH_TIMEOUT(::kill(pid_t(pidOf(0)), 0) != 0, 15000); // exited, and reaped
    for (const QString &id : { ids.at(0), ids.at(1) })
        run(qEnvironmentVariable("SB_BINARY"),
            { u"fault"_s, u"start"_s, u"replica="_s + id, u"--control"_s,
                m_endpoints.value(u"control"_s).toString() });
    for (const QUrl &node : { nodes.at(0), nodes.at(1) })
        QTRY_COMPARE_WITH_TIMEOUT(ReplicaProbes::read(&network, node).ready, 200, 20000);
    // Their clients went with them: the same ones again, for the cases below to count on.
    m_clients.closeAll();
    QVERIFY2(m_clients.openStomp(nodes.at(0), 2, &error), qPrintable(error));
    QVERIFY2(m_clients.openSse(nodes.at(1), &error), qPrintable(error));
}

// Redis back, as the devcluster starts it again (same port, from its append-only file),
// while a console started during the outage runs: the picture is the truth again —
// discovery from the registry (not degraded), the replicas alive again ready with the
// connections they count, the killed one down or forgotten, and the Redis figures
// (DBSIZE, sessions, tokens) those redis-cli reads, not an outage's leftovers.
void TestSnapshotTruth::redisBackTheFiguresAreTheTruthAgain()
{
    QVERIFY2(
        m_redis->run({ u"PING"_s }) != u"PONG"_s, "this case follows the Redis fault, with Redis still down");
    QVERIFY2(!m_redisDir.isEmpty(), "redis-server's dir (CONFIG GET dir) was not read");
    const QList<QUrl> nodes = m_cluster.nodeUrls();
    const QStringList ids = m_cluster.nodeIds();
    QTemporaryDir out;
    QProcess console;
    startConsole(&console, out.path(), 12);
    QVERIFY(console.waitForStarted(10000));
    QNetworkAccessManager network;
    ReplicaProbeSeries measurements(&network, nodes);
    measurements.readFor(&console, 2000); // the console looks at the outage first
    const QString port = QString::number(QUrl(m_endpoints.value(u"redis"_s).toString()).port());
    m_redisAgain.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_redisAgain.start(QStandardPaths::findExecutable(u"redis-server"_s),
        { u"--port"_s, port, u"--bind"_s, u"127.0.0.1"_s, u"--save"_s, QString(), u"--appendonly"_s, u"yes"_s,
            u"--dir"_s, m_redisDir, u"--notify-keyspace-events"_s, u"KA"_s });
    QVERIFY(m_redisAgain.waitForStarted(10000));
    QTRY_COMPARE_WITH_TIMEOUT(m_redis->run({ u"PING"_s }), u"PONG"_s, 10000);
    // Redis's own figures read beside the replicas' while the console runs, each with its
    // time: the Redis area is held to the reading nearest its asOf, not to one taken after
    // the console ended (a session key of the killed replica can go in between: the
    // fresh-clone CI of 356ff6d saw 5 sessions shown, 4 counted afterwards).
    struct RedisReading
    {
        QDateTime at;
        qint64 dbsize = 0;
        int sessions = 0;
        int tokens = 0;
    };
    QList<RedisReading> redisReadings;
    const QDeadlineTimer consoleDeadline(60000);
    while (console.state() != QProcess::NotRunning && !consoleDeadline.hasExpired()) {
        redisReadings.append({ QDateTime::currentDateTimeUtc(), m_redis->run({ u"DBSIZE"_s }).toLongLong(),
            m_redis->count(u"sb:session:*"_s), m_redis->count(u"sb:token:*"_s) });
        measurements.readFor(&console, 250);
    }
    measurements.readUntilFinished(&console, 0);
    QVERIFY(console.state() == QProcess::NotRunning);
    QCOMPARE(console.exitCode(), 0);

    QFile file(out.filePath(u"state.json"_s));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject state = QJsonDocument::fromJson(file.readAll()).object();
    const QJsonObject replicas = state.value(u"replicas"_s).toObject();
    QVERIFY2(!replicas.value(u"discoveryDegraded"_s).toBool(),
        qPrintable(u"still degraded: "_s + replicas.value(u"discoveryDegradedReason"_s).toString()));
    QVERIFY(!replicas.value(u"stale"_s).toBool());
    QString why;
    const ReplicaProbeSeries::Reading *nearest = readingAsOf(measurements, replicas, &why);
    QVERIFY2(nearest, qPrintable(why));
    const QJsonArray states = replicas.value(u"replicaStates"_s).toArray();
    const QJsonArray rows = replicas.value(u"rows"_s).toArray();
    qint64 connections = 0;
    int down = 0;
    for (int i = 0; i < nodes.size(); ++i) {
        const ReplicaProbes &probes = nearest->replicas.at(i);
        const QJsonObject shown = rowWith(states, u"id"_s, ids.at(i));
        const QString what
            = u"%1 shown '%2' (%3) while its /healthz/live answers %4, /healthz/ready %5 (%6)"_s.arg(
                ids.at(i), shown.value(u"stateText"_s).toString(), shown.value(u"reason"_s).toString(),
                QString::number(probes.live), QString::number(probes.ready), probes.dependencies);
        if (i == 2) { // killed -9 during the outage: down, or forgotten once the registry answered
            QVERIFY2(probes.live == 0, qPrintable(what));
            QVERIFY2(shown.isEmpty() || shown.value(u"state"_s).toString() == u"down", qPrintable(what));
            down += shown.isEmpty() ? 0 : 1;
            continue;
        }
        QVERIFY2(probes.live == 200 && probes.ready == 200, qPrintable(u"not ready again: "_s + what));
        QVERIFY2(shown.value(u"state"_s).toString() == u"ready", qPrintable(what));
        QVERIFY2(rowCountsAsProbed(rows, ids.at(i), probes, &why), qPrintable(why));
        connections += probes.stomp + probes.sse;
    }
    const QJsonObject figures = replicas.value(u"figures"_s).toObject();
    QCOMPARE(figures.value(u"totalConnections"_s).toInteger(), connections);
    QCOMPARE(figures.value(u"replicasUp"_s).toInt(), 2);
    QCOMPARE(figures.value(u"replicasDown"_s).toInt(), down);

    const QJsonObject redisArea = state.value(u"redis"_s).toObject();
    QVERIFY2(!redisArea.value(u"stale"_s).toBool(), "the Redis area is stale while Redis answers");
    const QDateTime redisAsOf
        = QDateTime::fromString(redisArea.value(u"asOf"_s).toString(), Qt::ISODateWithMs);
    QVERIFY2(redisAsOf.isValid(), "the Redis area has no asOf");
    // "Beyond one refresh interval" (the words): each figure must be what redis-cli
    // counted at some moment within one refresh (1 s) of the area's asOf. Not only the nearest
    // reading: a session key of the killed replica can go between the console's read and the
    // nearest redis-cli one (a fresh-clone run of 0c913fa saw 5 shown, 4 in the nearest).
    // Sessions and tokens come from their own pass, every 5 s (RedisSessionReader), with
    // their own age (figures.sessionsAsOf): they are held to the readings around that.
    const QJsonObject redis = redisArea.value(u"figures"_s).toObject();
    const QDateTime sessionsAsOf
        = QDateTime::fromString(redis.value(u"sessionsAsOf"_s).toString(), Qt::ISODateWithMs);
    QVERIFY2(sessionsAsOf.isValid(), "the Redis area's figures have no sessionsAsOf");
    const auto seenInWindow
        = [&redisReadings](const QDateTime &asOf, qint64 shown, auto figure, const char *name) {
              QList<RedisReading> window;
              for (const RedisReading &reading : std::as_const(redisReadings))
                  if (qAbs(reading.at.msecsTo(asOf)) <= 1000)
                      window.append(reading);
              if (window.isEmpty())
                  return u"no redis-cli reading within 1 s of the %1's asOf"_s.arg(QLatin1StringView(name));
              QStringList counted;
              for (const RedisReading &reading : std::as_const(window)) {
                  if (figure(reading) == shown)
                      return QString();
                  counted.append(u"%1 at %2 ms"_s.arg(figure(reading)).arg(asOf.msecsTo(reading.at)));
              }
              return u"the Redis area shows %1 %2; redis-cli counted %3 within 1 s of its asOf"_s.arg(
                  QString::number(shown), QLatin1StringView(name), counted.join(u", "_s));
          };
    why = seenInWindow(
        redisAsOf, redis.value(u"dbsize"_s).toInteger(), [](const RedisReading &r) { return r.dbsize; },
        "keys");
    QVERIFY2(why.isEmpty(), qPrintable(why));
    why = seenInWindow(
        sessionsAsOf, redis.value(u"sessions"_s).toInt(),
        [](const RedisReading &r) { return qint64(r.sessions); }, "session keys");
    QVERIFY2(why.isEmpty(), qPrintable(why));
    why = seenInWindow(
        sessionsAsOf, redis.value(u"tokens"_s).toInt(),
        [](const RedisReading &r) { return qint64(r.tokens); }, "token keys");
    QVERIFY2(why.isEmpty(), qPrintable(why));
}
