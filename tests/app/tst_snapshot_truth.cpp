// The console's figures are the cluster's figures. A real devcluster (3 replicas, mock
// Kafka, redis-server) is given clients and Kafka traffic, then `switchboard --profile
// truth --snapshot` attaches to it; while the cluster is quiet, every figure in state.json
// must equal what the independent tools say: each replica's /admin/stats, redis-cli and
// kcat (-Q, each partition's log-end offset). Then the stage-1 group paused on every
// replica: the Kafka area's lag for it must equal log end (kcat) − committed (OffsetFetch),
// read by the test while the console looks. Then the Redis fault: with redis-server killed
// by pid while the console runs, every replica's state and connection count in state.json
// must agree with that replica's own /healthz/live, /healthz/ready and /metrics read in the
// same second (a replica shown down while its /healthz/live answers 200 is the lie this
// catches), and the Replicas area must say its discovery is degraded. Last, with Redis
// still down, a replica killed -9 and a console started only then: the replicas its earlier
// runs saw are asked directly, and each is shown as its own probes say. In between, with
// Redis up, a replica killed -9 and another drained while a console looks, and at the end
// Redis back while one looks (tst_snapshot_truth_faults.cpp): again each replica as its own
// probes say, and the Redis figures redis-cli's.
#include "SnapshotTruthTest.h"

using namespace sb::testing::truth;
using sb::testing::ReplicaProbes;
using sb::testing::ReplicaProbeSeries;

void TestSnapshotTruth::initTestCase()
{
    QVERIFY(m_config.isValid());
    // The console under test and this process share one settings directory.
    qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
    QCoreApplication::setOrganizationName(u"switchboard"_s);
    QCoreApplication::setApplicationName(u"switchboard"_s);

    // The Redis fault needs Redis to stay down while the console looks: a devcluster
    // that restarts a dead redis-server is told not to (when it has that option).
    QProcess help;
    help.start(qEnvironmentVariable("SB_BINARY"), { u"devcluster"_s, u"--help"_s });
    QVERIFY(help.waitForFinished(20000));
    const bool restartsRedis = help.readAllStandardOutput().contains("--redis-restart-after-ms");
    QVERIFY2(m_cluster.start(
                 restartsRedis ? QStringList { u"--redis-restart-after-ms"_s, u"0"_s } : QStringList {}),
        qPrintable(m_cluster.errorString()));
    m_endpoints = m_cluster.endpoints();
    m_redis.emplace(QString::number(QUrl(m_endpoints.value(u"redis"_s).toString()).port()));
    m_kafka.emplace(m_endpoints.value(u"kafka"_s).toString());
    m_redisDir = m_redis->run({ u"CONFIG"_s, u"GET"_s, u"dir"_s }).section(u'\n', 1, 1).trimmed();
}

void TestSnapshotTruth::figuresEqualAdminStatsRedisCliAndKcat()
{
    const QJsonArray nodes = m_endpoints.value(u"nodes"_s).toArray();
    QCOMPARE(nodes.size(), 3);
    const QUrl node1(nodes.at(0).toObject().value(u"url"_s).toString());
    const QUrl node2(nodes.at(1).toObject().value(u"url"_s).toString());

    // Clients: 2 STOMP sessions on node-1, 1 SSE stream on node-2 (sessions and tokens in Redis).
    QString error;
    QVERIFY2(m_clients.openStomp(node1, 2, &error), qPrintable(error));
    QVERIFY2(m_clients.openSse(node2, &error), qPrintable(error));

    // Kafka traffic: 4 records that are not JSON objects (stage 1 dead-letters them) ...
    const QString kafka = m_endpoints.value(u"kafka"_s).toString();
    const QString created = u"switchboard.MessageCreatedEvent"_s;
    run(u"kcat"_s, { u"-b"_s, kafka, u"-P"_s, u"-t"_s, created }, "poison 1\npoison 2\npoison 3\npoison 4\n");
    // Each reaches the DLT at least once (a batch redone after a rebalance dead-letters
    // its records again, docs/protocol.md); then the count must hold still, or the
    // figures below compare a moving target.
    const QString dlt = created + u".DLT"_s;
    QVERIFY(pollUntil([&] { return m_kafka->endOffsets(dlt, 3) >= 4; }, 20000));
    {
        const QDeadlineTimer settle(20000);
        qint64 before = -1;
        qint64 now = m_kafka->endOffsets(dlt, 3);
        while (now != before && !settle.hasExpired()) {
            QTest::qWait(1500);
            before = std::exchange(now, m_kafka->endOffsets(dlt, 3));
        }
        QVERIFY2(now == before, qPrintable(u"the DLT keeps growing: %1 records"_s.arg(now)));
    }
    // ... and a group "audit" that has read nothing: committed 0 everywhere, lag = every record.
    {
        char reason[256];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_conf_set(conf, "bootstrap.servers", kafka.toUtf8().constData(), reason, sizeof reason);
        rd_kafka_conf_set(conf, "group.id", "audit", reason, sizeof reason);
        rd_kafka_t *consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, reason, sizeof reason);
        QVERIFY2(consumer, reason);
        rd_kafka_topic_partition_list_t *offsets = rd_kafka_topic_partition_list_new(3);
        for (int p = 0; p < 3; ++p)
            rd_kafka_topic_partition_list_add(offsets, "switchboard.MessageCreatedEvent", p)->offset = 0;
        const rd_kafka_resp_err_t err = rd_kafka_commit(consumer, offsets, 0);
        rd_kafka_topic_partition_list_destroy(offsets);
        rd_kafka_consumer_close(consumer);
        rd_kafka_destroy(consumer);
        QCOMPARE(err, RD_KAFKA_RESP_ERR_NO_ERROR);
    }

    // Admin logins write tokens to Redis: take them now, not after the snapshot.
    for (const QJsonValue &n : nodes)
        QVERIFY2(!m_clients.adminStats(QUrl(n.toObject().value(u"url"_s).toString())).isEmpty(),
            qPrintable(m_clients.lastError()));

    QVERIFY2(saveProfile(&error), qPrintable(error));

    QTemporaryDir out;
    QProcess console;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"XDG_CONFIG_HOME"_s, m_config.path());
    console.setProcessEnvironment(env);
    console.start(qEnvironmentVariable("SB_BINARY"),
        { u"--profile"_s, u"truth"_s, u"--snapshot"_s, out.path(), u"--snapshot-after"_s, u"8"_s,
            u"--snapshot-settled"_s });
    QVERIFY(console.waitForFinished(60000));
    QVERIFY2(console.exitCode() == 0, console.readAllStandardError().constData());
    QFile file(out.filePath(u"state.json"_s));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject state = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(state.value(u"attachment"_s).toObject().value(u"target"_s).toString(), u"profile truth"_s);

    // Replicas: each row equals that replica's /admin/stats (nothing moved since).
    const QJsonArray replicaRows = state.value(u"replicas"_s).toObject().value(u"rows"_s).toArray();
    QCOMPARE(replicaRows.size(), 3);
    qint64 connections = 0;
    for (const QJsonValue &n : nodes) {
        const QJsonObject stats = m_clients.adminStats(QUrl(n.toObject().value(u"url"_s).toString()));
        QVERIFY2(!stats.isEmpty(), qPrintable(m_clients.lastError()));
        const QString id = stats.value(u"node"_s).toString();
        const QJsonObject row = rowWith(replicaRows, u"Replica"_s, id);
        QVERIFY2(!row.isEmpty(), qPrintable(id));
        const QJsonObject c = stats.value(u"connections"_s).toObject();
        QCOMPARE(row.value(u"WebSocket"_s).toString(), QString::number(c.value(u"stomp"_s).toInteger()));
        QCOMPARE(row.value(u"SSE"_s).toString(), QString::number(c.value(u"sse"_s).toInteger()));
        QCOMPARE(row.value(u"Subscriptions"_s).toString(),
            QString::number(stats.value(u"subscriptions"_s).toInteger()));
        QCOMPARE(row.value(u"HB timeouts"_s).toString(),
            QString::number(stats.value(u"heartBeatTimeouts"_s).toInteger()));
        QVERIFY2(row.value(u"State"_s)
                     .toString()
                     .startsWith(stats.value(u"ready"_s).toBool() ? u"ready"_s : u"up"_s),
            qPrintable(row.value(u"State"_s).toString()));
        connections += c.value(u"stomp"_s).toInteger() + c.value(u"sse"_s).toInteger();
    }
    QCOMPARE(connections, 3);
    const QJsonObject replicaFigures = state.value(u"replicas"_s).toObject().value(u"figures"_s).toObject();
    QCOMPARE(replicaFigures.value(u"totalConnections"_s).toInteger(), connections);

    // Redis: DBSIZE, sessions and tokens as redis-cli counts them.
    const QJsonObject redis = state.value(u"redis"_s).toObject().value(u"figures"_s).toObject();
    QCOMPARE(redis.value(u"dbsize"_s).toInteger(), m_redis->run({ u"DBSIZE"_s }).toLongLong());
    QCOMPARE(redis.value(u"sessions"_s).toInt(), m_redis->count(u"sb:session:*"_s));
    QCOMPARE(redis.value(u"tokens"_s).toInt(), m_redis->count(u"sb:token:*"_s));
    QCOMPARE(redis.value(u"sessions"_s).toInt(), 3);

    // Kafka: every topic's messages equal kcat's log-end offsets; the DLT is flagged;
    // the audit group's lag is the topic's end offsets.
    const QJsonObject kafkaState = state.value(u"kafka"_s).toObject();
    QVERIFY2(kafkaState.value(u"error"_s).toString().isEmpty(),
        qPrintable(kafkaState.value(u"error"_s).toString()));
    const QJsonArray topics = kafkaState.value(u"topics"_s).toArray();
    QVERIFY(topics.size() >= 4);
    for (const QJsonValue &t : topics) {
        const QJsonObject topic = t.toObject();
        const QString name = topic.value(u"Topic"_s).toString();
        QCOMPARE(topic.value(u"Messages"_s).toString(),
            QString::number(m_kafka->endOffsets(name, topic.value(u"Partitions"_s).toString().toInt())));
    }
    const qint64 deadLettered = m_kafka->endOffsets(dlt, 3);
    QVERIFY(deadLettered >= 4);
    QCOMPARE(rowWith(topics, u"Topic"_s, dlt).value(u"Messages"_s).toString(), QString::number(deadLettered));
    const QJsonObject figures = kafkaState.value(u"figures"_s).toObject();
    QCOMPARE(figures.value(u"deadLetters"_s).toInteger(), deadLettered);
    QCOMPARE(figures.value(u"brokers"_s).toInt(), 3);
    const QJsonObject audit = rowWith(kafkaState.value(u"groups"_s).toArray(), u"Group"_s, u"audit"_s);
    QCOMPARE(audit.value(u"Found by"_s).toString(), u"profile"_s);
    QCOMPARE(audit.value(u"Lag"_s).toString(), QString::number(m_kafka->endOffsets(created, 3)));
    QVERIFY(
        audit.value(u"Lag"_s).toString().toInt() >= 4); // the poison records, plus what the clients published
    // The stage-1 group the replicas announce has consumed everything.
    const QJsonObject stage1
        = rowWith(kafkaState.value(u"groups"_s).toArray(), u"Group"_s, u"switchboard-notifications"_s);
    QCOMPARE(stage1.value(u"Found by"_s).toString(), u"registry"_s);
    QCOMPARE(stage1.value(u"Lag"_s).toString(), u"0"_s);
    QVERIFY(kafkaState.value(u"note"_s).toString().contains(u"ListGroups"));
}

// The stage-1 group paused on every replica (POST /admin/stage1/pause, the fault
// action's lever): records keep arriving and nobody commits, so the group's lag is
// what Kafka says it is (log end − committed, read here with kcat and OffsetFetch), and
// the Kafka area must show exactly that, not the 0 of a moment before.
void TestSnapshotTruth::pausedStage1GroupShowsKafkasLag()
{
    const QList<QUrl> nodes = m_cluster.nodeUrls();
    QCOMPARE(nodes.size(), 3);
    const QString kafka = m_endpoints.value(u"kafka"_s).toString();
    const QString created = u"switchboard.MessageCreatedEvent"_s;
    // A record on every partition first, so the group has committed on each: on one it
    // never committed, the area (like Burrow and kafka-consumer-groups) counts no lag,
    // while this test's sum would count the whole partition.
    for (int p = 0; p < 3; ++p)
        run(u"kcat"_s, { u"-b"_s, kafka, u"-P"_s, u"-t"_s, created, u"-p"_s, QString::number(p) },
            "warm-up\n");
    const auto committedEverywhere = [this] {
        const QList<qint64> committed = m_kafka->committedByPartition(kStage1Group, kStage1Topic, 3);
        return committed.size() == 3
            && std::all_of(committed.cbegin(), committed.cend(), [](qint64 o) { return o >= 0; })
            && stage1Lag() == 0;
    };
    QVERIFY2(pollUntil(committedEverywhere, 30000), qPrintable(stage1Partitions()));

    for (const QUrl &node : nodes)
        QVERIFY2(m_clients.adminPost(node, sb::protocol::nodeapi::AdminStage1PausePath),
            qPrintable(m_clients.lastError()));
    // Paused at each consumer's next poll: /admin/stats says so once it is.
    for (const QUrl &node : nodes)
        QTRY_VERIFY_WITH_TIMEOUT(m_clients.adminStats(node).value(u"stage1Paused"_s).toBool(), 10000);
    for (int p = 0; p < 3; ++p)
        run(u"kcat"_s, { u"-b"_s, kafka, u"-P"_s, u"-t"_s, created, u"-p"_s, QString::number(p) },
            "paused 1\npaused 2\n");
    // Paused: the lag holds still at six or more (a commit in flight may land first).
    qint64 lag = -1;
    {
        const QDeadlineTimer settle(20000);
        qint64 before = -2;
        lag = stage1Lag();
        while ((lag != before || lag < 6) && !settle.hasExpired()) {
            QTest::qWait(1000);
            before = std::exchange(lag, stage1Lag());
        }
    }
    QVERIFY2(lag >= 6, qPrintable(u"stage-1 lag %1 while paused"_s.arg(lag)));

    QTemporaryDir out;
    QProcess console;
    startConsole(&console, out.path(), 8, true);
    QVERIFY(console.waitForFinished(60000));
    QCOMPARE(console.exitCode(), 0);
    QCOMPARE(stage1Lag(), lag); // nothing moved while the console looked
    QFile file(out.filePath(u"state.json"_s));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject kafkaState
        = QJsonDocument::fromJson(file.readAll()).object().value(u"kafka"_s).toObject();
    const QJsonObject stage1
        = rowWith(kafkaState.value(u"groups"_s).toArray(), u"Group"_s, u"switchboard-notifications"_s);
    QVERIFY2(!stage1.isEmpty(), QJsonDocument(kafkaState).toJson().constData());
    QVERIFY2(stage1.value(u"Lag"_s).toString() == QString::number(lag),
        qPrintable(u"the Kafka area shows lag %1 (%2), Kafka says %3 (%4); the area's partitions: %5"_s
                       .arg(stage1.value(u"Lag"_s).toString(), stage1.value(u"Status"_s).toString())
                       .arg(lag)
                       .arg(stage1Partitions(),
                           QString::fromUtf8(QJsonDocument(kafkaState.value(u"partitions"_s).toArray())
                                                 .toJson(QJsonDocument::Compact)))));

    // Resumed: the replicas read on and the lag goes back to nothing.
    for (const QUrl &node : nodes)
        QVERIFY2(m_clients.adminPost(node, sb::protocol::nodeapi::AdminStage1ResumePath),
            qPrintable(m_clients.lastError()));
    QVERIFY2(pollUntil([this] { return stage1Lag() == 0; }, 30000), qPrintable(stage1Partitions()));
}

// Redis killed while the console runs: the replicas it listed are alive (not ready,
// holding their clients) and the console must say so, not "down", not 0 connections.
void TestSnapshotTruth::redisKilledReplicasAreShownAsTheirOwnProbesSay()
{
    const QList<QUrl> nodes = m_cluster.nodeUrls();
    const QStringList ids = m_cluster.nodeIds();
    QCOMPARE(nodes.size(), 3);
    QString error;
    QVERIFY2(m_clients.openStomp(nodes.at(2), 1, &error), qPrintable(error)); // a client to count on node-3
    QVERIFY2(saveProfile(&error), qPrintable(error));

    QTemporaryDir out;
    QProcess console;
    // Time enough to attach, lose Redis and poll the replicas directly a few times.
    startConsole(&console, out.path(), 20);
    QVERIFY(console.waitForStarted(10000));
    QElapsedTimer running;
    running.start();
    auto hasRead = [&] { return consoleHasReadTheRegistry(running.elapsed() / 1000 + 1); };
    pollUntil([&] { return hasRead() || console.state() == QProcess::NotRunning; }, 20000, 200);
    QVERIFY2(console.state() == QProcess::Running, "the console ended before it read the registry");
    QVERIFY2(hasRead(), "the console has not read the registry before its snapshot");

    const qint64 redisPid = m_redis->serverPid();
    QVERIFY2(redisPid > 0, "the devcluster's redis-server pid (INFO server) was not found");
    QCOMPARE(::kill(pid_t(redisPid), SIGKILL), 0);
    QTRY_VERIFY_WITH_TIMEOUT(m_redis->run({ u"PING"_s }) != u"PONG"_s, 10000);

    QNetworkAccessManager network;
    ReplicaProbeSeries measurements(&network, nodes);
    measurements.readUntilFinished(&console, 60000);
    QVERIFY(console.state() == QProcess::NotRunning);
    QCOMPARE(console.exitCode(), 0);
    QVERIFY2(m_redis->run({ u"PING"_s }) != u"PONG"_s,
        "Redis came back before the snapshot: the fault was not held");

    QFile file(out.filePath(u"state.json"_s));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject replicas
        = QJsonDocument::fromJson(file.readAll()).object().value(u"replicas"_s).toObject();
    QVERIFY2(replicas.value(u"discoveryDegraded"_s).toBool(),
        "the Replicas area does not say that its discovery is degraded");
    QVERIFY(replicas.value(u"discoveryDegradedReason"_s).toString().contains(u"registry cannot be read"_s));
    QVERIFY2(!replicas.value(u"stale"_s).toBool(), "the replicas answered: the picture is live, not stale");

    // The measurement nearest to the moment the picture is of, within one refresh interval.
    QString why;
    const ReplicaProbeSeries::Reading *nearest = readingAsOf(measurements, replicas, &why);
    QVERIFY2(nearest, qPrintable(why));

    const QJsonArray states = replicas.value(u"replicaStates"_s).toArray();
    const QJsonArray rows = replicas.value(u"rows"_s).toArray();
    QCOMPARE(states.size(), 3);
    qint64 connections = 0;
    int down = 0;
    int notReady = 0;
    for (int i = 0; i < nodes.size(); ++i) {
        const ReplicaProbes &probes = nearest->replicas.at(i);
        const QJsonObject shown = rowWith(states, u"id"_s, ids.at(i));
        QVERIFY2(!shown.isEmpty(), qPrintable(ids.at(i)));
        const QString what
            = u"%1 shown '%2' (%3) while its /healthz/live answers %4 and /healthz/ready %5 (%6)"_s.arg(
                ids.at(i), shown.value(u"stateText"_s).toString(), shown.value(u"reason"_s).toString(),
                QString::number(probes.live), QString::number(probes.ready), probes.dependencies);
        // The fault as the replicas themselves report it: alive, not ready, Redis gone.
        QVERIFY2(
            probes.live == 200 && probes.ready == 503 && probes.dependencies == u"down", qPrintable(what));
        QVERIFY2(shown.value(u"state"_s).toString() != u"down", qPrintable(what));
        QCOMPARE(shown.value(u"state"_s).toString(), u"unready"_s);
        QCOMPARE(shown.value(u"stateText"_s).toString(), u"alive, not ready: Redis unreachable"_s);
        QVERIFY(rowWith(rows, u"Replica"_s, ids.at(i))
                    .value(u"State"_s)
                    .toString()
                    .startsWith(u"alive, not ready: Redis unreachable since "_s));
        // Its connections as it counts them.
        QVERIFY(probes.stomp >= 0 && probes.sse >= 0);
        QVERIFY2(rowCountsAsProbed(rows, ids.at(i), probes, &why), qPrintable(why));
        QCOMPARE(shown.value(u"connections"_s).toInteger(), probes.stomp + probes.sse);
        connections += probes.stomp + probes.sse;
        down += probes.live == 200 ? 0 : 1;
        notReady += probes.live == 200 && probes.ready != 200 ? 1 : 0;
    }
    QVERIFY(connections >= 1); // the clients held through the outage are counted, not 0
    const QJsonObject figures = replicas.value(u"figures"_s).toObject();
    QCOMPARE(figures.value(u"totalConnections"_s).toInteger(), connections);
    QCOMPARE(figures.value(u"replicasDown"_s).toInt(), down);
    QCOMPARE(figures.value(u"replicasNotReady"_s).toInt(), notReady);
    QCOMPARE(figures.value(u"replicasUp"_s).toInt(), 3 - down);
}

// Still without Redis, a replica killed -9, and a console started only now: it has no
// registry to read, so it asks the replicas its earlier runs saw (kept per profile), and
// each one's state must be what that replica's own probes say: two alive and not ready,
// holding their clients, one down.
void TestSnapshotTruth::consoleStartedDuringTheOutageAsksTheReplicasItSawBefore()
{
    QVERIFY2(
        m_redis->run({ u"PING"_s }) != u"PONG"_s, "this case follows the Redis fault, with Redis still down");
    const QList<QUrl> nodes = m_cluster.nodeUrls();
    const QStringList ids = m_cluster.nodeIds();
    QCOMPARE(nodes.size(), 3);
    const qint64 killedPid
        = m_endpoints.value(u"nodes"_s).toArray().at(2).toObject().value(u"pid"_s).toInteger();
    QFile comm(u"/proc/%1/comm"_s.arg(killedPid));
    QVERIFY2(killedPid > 0 && comm.open(QIODevice::ReadOnly), "the devcluster does not report node-3's pid");
    QCOMPARE(::kill(pid_t(killedPid), SIGKILL), 0);
    QNetworkAccessManager network;
    QTRY_COMPARE_WITH_TIMEOUT(ReplicaProbes::read(&network, nodes.at(2)).live, 0, 10000);

    QTemporaryDir out;
    QProcess console;
    // Settled, not after a fixed time: the two replicas alive and not ready hold that
    // state through three polls (ConsoleSnapshotSettling's outage rule), node-3 is down.
    startConsole(&console, out.path(), 60, true);
    QVERIFY(console.waitForStarted(10000));
    ReplicaProbeSeries measurements(&network, nodes);
    measurements.readUntilFinished(&console, 90000);
    QVERIFY(console.state() == QProcess::NotRunning);
    QCOMPARE(console.exitCode(), 0);

    QFile file(out.filePath(u"state.json"_s));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject state = QJsonDocument::fromJson(file.readAll()).object();
    QVERIFY2(state.value(u"settled"_s).toBool(),
        qPrintable(
            u"not settled: "_s + state.value(u"unsettled"_s).toVariant().toStringList().join(u"; "_s)));
    const QJsonObject replicas = state.value(u"replicas"_s).toObject();
    QVERIFY2(replicas.value(u"discoveryDegraded"_s).toBool(),
        "the Replicas area does not say discovery is degraded");
    QVERIFY2(replicas.value(u"discoveryDegradedReason"_s).toString().contains(u"earlier session"_s),
        qPrintable(replicas.value(u"discoveryDegradedReason"_s).toString()));
    QString why;
    const ReplicaProbeSeries::Reading *nearest = readingAsOf(measurements, replicas, &why);
    QVERIFY2(nearest, qPrintable(why));

    const QJsonArray states = replicas.value(u"replicaStates"_s).toArray();
    const QJsonArray rows = replicas.value(u"rows"_s).toArray();
    QCOMPARE(states.size(), 3);
    qint64 connections = 0;
    for (int i = 0; i < nodes.size(); ++i) {
        const ReplicaProbes &probes = nearest->replicas.at(i);
        const QJsonObject shown = rowWith(states, u"id"_s, ids.at(i));
        const QString what
            = u"%1 shown '%2' (%3) while its /healthz/live answers %4 and /healthz/ready %5"_s.arg(ids.at(i),
                shown.value(u"stateText"_s).toString(), shown.value(u"reason"_s).toString(),
                QString::number(probes.live), QString::number(probes.ready));
        QVERIFY2(!shown.isEmpty(), qPrintable(ids.at(i) + u" is not in the picture"_s));
        if (probes.live == 0) { // the one killed: down, as its probes say
            QCOMPARE(i, 2);
            QVERIFY2(shown.value(u"state"_s).toString() == u"down", qPrintable(what));
            continue;
        }
        QVERIFY2(probes.live == 200 && probes.ready == 503, qPrintable(what));
        QVERIFY2(shown.value(u"state"_s).toString() == u"unready", qPrintable(what));
        QCOMPARE(shown.value(u"stateText"_s).toString(), u"alive, not ready: Redis unreachable"_s);
        QVERIFY2(rowCountsAsProbed(rows, ids.at(i), probes, &why), qPrintable(why));
        connections += probes.stomp + probes.sse;
    }
    QVERIFY(connections >= 1);
    const QJsonObject figures = replicas.value(u"figures"_s).toObject();
    QCOMPARE(figures.value(u"totalConnections"_s).toInteger(), connections);
    QCOMPARE(figures.value(u"replicasDown"_s).toInt(), 1);
    QCOMPARE(figures.value(u"replicasUp"_s).toInt(), 2);
}

void TestSnapshotTruth::cleanupTestCase()
{
    if (m_redisAgain.state() != QProcess::NotRunning) {
        ::kill(pid_t(m_redisAgain.processId()), SIGKILL);
        m_redisAgain.waitForFinished(5000);
    }
    m_clients.closeAll();
    m_cluster.stop();
}

QTEST_MAIN(TestSnapshotTruth)
