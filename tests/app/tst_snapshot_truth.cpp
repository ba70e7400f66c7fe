// The console's figures are the cluster's figures. A real devcluster (3 replicas, mock
// Kafka, redis-server) is given clients and Kafka traffic, then `switchboard --profile
// truth --snapshot` attaches to it; while the cluster is quiet, every figure in state.json
// must equal what the independent tools say: each replica's /admin/stats, redis-cli and
// kcat (-Q, each partition's log-end offset).
#include "models/Profile.h"
#include "models/ProfileStore.h"
#include "support/DevClusterProcess.h"
#include "support/NodeClients.h"

#include <librdkafka/rdkafka.h>

#include <QDeadlineTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <utility>

using namespace Qt::StringLiterals;

namespace {

QString run(const QString &program, const QStringList &arguments, const QByteArray &input = {})
{
    QProcess process;
    process.start(QStandardPaths::findExecutable(program), arguments);
    if (!input.isEmpty()) {
        process.write(input);
        process.closeWriteChannel();
    }
    process.waitForFinished(20000);
    return QString::fromUtf8(process.readAllStandardOutput()).trimmed();
}

QJsonObject rowWith(const QJsonArray &rows, const QString &column, const QString &value)
{
    for (const QJsonValue &row : rows) {
        if (row.toObject().value(column).toString() == value)
            return row.toObject();
    }
    return {};
}

} // namespace

class TestSnapshotTruth : public QObject
{
    Q_OBJECT

private:
    sb::testing::DevClusterProcess m_cluster;
    QJsonObject m_endpoints;
    QTemporaryDir m_config;
    sb::testing::NodeClients m_clients;
    QString m_redisPort;

    // Each partition's log-end offset as kcat reports it.
    qint64 kcatEndOffsets(const QString &topic, int partitions)
    {
        QStringList arguments{u"-b"_s, m_endpoints.value(u"kafka"_s).toString(), u"-Q"_s};
        for (int p = 0; p < partitions; ++p)
            arguments << u"-t"_s << u"%1:%2:-1"_s.arg(topic).arg(p);
        const QString out = run(u"kcat"_s, arguments);
        static const QRegularExpression offset(uR"(\[\d+\] offset (\d+))"_s);
        qint64 sum = 0;
        int found = 0;
        for (auto it = offset.globalMatch(out); it.hasNext(); ++found)
            sum += it.next().captured(1).toLongLong();
        return found == partitions ? sum : -1;
    }

    QString redisCli(const QStringList &arguments)
    {
        return run(u"redis-cli"_s, QStringList{u"-p"_s, m_redisPort} + arguments);
    }

    int redisCount(const QString &pattern)
    {
        const QString out = redisCli({u"--scan"_s, u"--pattern"_s, pattern});
        return out.isEmpty() ? 0 : int(out.split(u'\n').size());
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        // The console under test and this process share one settings directory.
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        QCoreApplication::setOrganizationName(u"switchboard"_s);
        QCoreApplication::setApplicationName(u"switchboard"_s);

        QVERIFY2(m_cluster.start(), qPrintable(m_cluster.errorString()));
        m_endpoints = m_cluster.endpoints();
        m_redisPort = QString::number(QUrl(m_endpoints.value(u"redis"_s).toString()).port());
    }

    void figuresEqualAdminStatsRedisCliAndKcat()
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
        run(u"kcat"_s, {u"-b"_s, kafka, u"-P"_s, u"-t"_s, created}, "poison 1\npoison 2\npoison 3\npoison 4\n");
        // Each reaches the DLT at least once (a batch redone after a rebalance dead-letters
        // its records again, docs/protocol.md); then the count must hold still, or the
        // figures below compare a moving target.
        const QString dlt = created + u".DLT"_s;
        QTRY_VERIFY_WITH_TIMEOUT(kcatEndOffsets(dlt, 3) >= 4, 20000);
        {
            const QDeadlineTimer settle(20000);
            qint64 before = -1;
            qint64 now = kcatEndOffsets(dlt, 3);
            while (now != before && !settle.hasExpired()) {
                QTest::qWait(1500);
                before = std::exchange(now, kcatEndOffsets(dlt, 3));
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

        sb::models::Profile profile;
        profile.name = u"truth"_s;
        profile.redisUrl = m_endpoints.value(u"redis"_s).toString();
        profile.kafkaBootstrap = kafka;
        profile.kafkaGroups = QStringList{u"audit"_s};
        sb::models::ProfileStore store(m_config.filePath(u"secrets.json"_s));
        QVERIFY2(store.save(profile, &error), qPrintable(error));

        QTemporaryDir out;
        QProcess console;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"XDG_CONFIG_HOME"_s, m_config.path());
        console.setProcessEnvironment(env);
        console.start(qEnvironmentVariable("SB_BINARY"), {u"--profile"_s, u"truth"_s, u"--snapshot"_s, out.path(),
                                                          u"--snapshot-after"_s, u"8"_s});
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
            QCOMPARE(row.value(u"Subscriptions"_s).toString(), QString::number(stats.value(u"subscriptions"_s).toInteger()));
            QCOMPARE(row.value(u"HB timeouts"_s).toString(), QString::number(stats.value(u"heartBeatTimeouts"_s).toInteger()));
            QVERIFY2(row.value(u"State"_s).toString().startsWith(stats.value(u"ready"_s).toBool() ? u"ready"_s : u"up"_s),
                     qPrintable(row.value(u"State"_s).toString()));
            connections += c.value(u"stomp"_s).toInteger() + c.value(u"sse"_s).toInteger();
        }
        QCOMPARE(connections, 3);
        const QJsonObject replicaFigures = state.value(u"replicas"_s).toObject().value(u"figures"_s).toObject();
        QCOMPARE(replicaFigures.value(u"totalConnections"_s).toInteger(), connections);

        // Redis: DBSIZE, sessions and tokens as redis-cli counts them.
        const QJsonObject redis = state.value(u"redis"_s).toObject().value(u"figures"_s).toObject();
        QCOMPARE(redis.value(u"dbsize"_s).toInteger(), redisCli({u"DBSIZE"_s}).toLongLong());
        QCOMPARE(redis.value(u"sessions"_s).toInt(), redisCount(u"sb:session:*"_s));
        QCOMPARE(redis.value(u"tokens"_s).toInt(), redisCount(u"sb:token:*"_s));
        QCOMPARE(redis.value(u"sessions"_s).toInt(), 3);

        // Kafka: every topic's messages equal kcat's log-end offsets; the DLT is flagged;
        // the audit group's lag is the topic's end offsets.
        const QJsonObject kafkaState = state.value(u"kafka"_s).toObject();
        QVERIFY2(kafkaState.value(u"error"_s).toString().isEmpty(), qPrintable(kafkaState.value(u"error"_s).toString()));
        const QJsonArray topics = kafkaState.value(u"topics"_s).toArray();
        QVERIFY(topics.size() >= 4);
        for (const QJsonValue &t : topics) {
            const QJsonObject topic = t.toObject();
            const QString name = topic.value(u"Topic"_s).toString();
            QCOMPARE(topic.value(u"Messages"_s).toString(),
                     QString::number(kcatEndOffsets(name, topic.value(u"Partitions"_s).toString().toInt())));
        }
        const qint64 deadLettered = kcatEndOffsets(dlt, 3);
        QVERIFY(deadLettered >= 4);
        QCOMPARE(rowWith(topics, u"Topic"_s, dlt).value(u"Messages"_s).toString(), QString::number(deadLettered));
        const QJsonObject figures = kafkaState.value(u"figures"_s).toObject();
        QCOMPARE(figures.value(u"deadLetters"_s).toInteger(), deadLettered);
        QCOMPARE(figures.value(u"brokers"_s).toInt(), 3);
        const QJsonObject audit = rowWith(kafkaState.value(u"groups"_s).toArray(), u"Group"_s, u"audit"_s);
        QCOMPARE(audit.value(u"Found by"_s).toString(), u"profile"_s);
        QCOMPARE(audit.value(u"Lag"_s).toString(), QString::number(kcatEndOffsets(created, 3)));
        QVERIFY(audit.value(u"Lag"_s).toString().toInt() >= 4); // the poison records, plus what the clients published
        // The stage-1 group the replicas announce has consumed everything.
        const QJsonObject stage1 = rowWith(kafkaState.value(u"groups"_s).toArray(), u"Group"_s, u"switchboard-notifications"_s);
        QCOMPARE(stage1.value(u"Found by"_s).toString(), u"registry"_s);
        QCOMPARE(stage1.value(u"Lag"_s).toString(), u"0"_s);
        QVERIFY(kafkaState.value(u"note"_s).toString().contains(u"ListGroups"));
    }

    void cleanupTestCase()
    {
        m_clients.closeAll();
        m_cluster.stop();
    }
};

QTEST_MAIN(TestSnapshotTruth)
#include "tst_snapshot_truth.moc"
