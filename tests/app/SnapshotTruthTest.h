#pragma once

// The truth check's fixture (tst_snapshot_truth.cpp has the whole story): one devcluster
// for every case, the console started against it by profile, and the independent tools.
// The cases are in tst_snapshot_truth.cpp and, for the replica and Redis faults that need
// a replica or Redis back, tst_snapshot_truth_faults.cpp; declaration order is run order.
#include "models/Profile.h"
#include "models/ProfileStore.h"
#include "protocol/NodeApi.h"
#include "support/DevClusterProcess.h"
#include "support/KafkaTruth.h"
#include "support/NodeClients.h"
#include "support/RedisCli.h"
#include "support/ReplicaProbeSeries.h"

#include <librdkafka/rdkafka.h>

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <csignal>
#include <optional>
#include <utility>

using namespace Qt::StringLiterals;

namespace sb::testing::truth {

// The stage-1 relay's consumer group and the topic it reads (KafkaEventBus::persistGroup()).
inline const QString kStage1Group = QStringLiteral("switchboard-notifications");
inline const QString kStage1Topic = QStringLiteral("switchboard.MessageCreatedEvent");

inline QString run(const QString &program, const QStringList &arguments, const QByteArray &input = {})
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

// Polls `condition` every `stepMs` until it holds or `timeoutMs` passed. Each evaluation
// here runs tools (kcat, a librdkafka client), so not at QTRY's 50 ms.
template<typename Condition> bool pollUntil(Condition condition, int timeoutMs, int stepMs = 500)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!condition()) {
        if (deadline.hasExpired())
            return false;
        QTest::qWait(stepMs);
    }
    return true;
}

inline QJsonObject rowWith(const QJsonArray &rows, const QString &column, const QString &value)
{
    for (const QJsonValue &row : rows) {
        if (row.toObject().value(column).toString() == value)
            return row.toObject();
    }
    return {};
}

// The replicas' own reading nearest to the moment a picture is of (its `asOf`), when it is
// within one refresh interval (1 s) of it; null otherwise, with why.
inline const sb::testing::ReplicaProbeSeries::Reading *readingAsOf(
    const sb::testing::ReplicaProbeSeries &series, const QJsonObject &area, QString *why)
{
    const QDateTime asOf = QDateTime::fromString(area.value(u"asOf"_s).toString(), Qt::ISODateWithMs);
    if (!asOf.isValid()) {
        *why = u"the picture has no valid asOf"_s;
        return nullptr;
    }
    const sb::testing::ReplicaProbeSeries::Reading *nearest = series.nearestTo(asOf);
    if (!nearest || qAbs(nearest->at.msecsTo(asOf)) > 1000) {
        *why = u"no measurement within 1 s of the snapshot's asOf (%1 ms away)"_s.arg(
            nearest ? nearest->at.msecsTo(asOf) : -1);
        return nullptr;
    }
    return nearest;
}

// The Replicas table's WebSocket and SSE figures for `id` are the connections the replica
// counts itself; false otherwise, with why.
inline bool rowCountsAsProbed(
    const QJsonArray &rows, const QString &id, const sb::testing::ReplicaProbes &probes, QString *why)
{
    const QJsonObject row = rowWith(rows, u"Replica"_s, id);
    const QString webSocket = row.value(u"WebSocket"_s).toString();
    const QString sse = row.value(u"SSE"_s).toString();
    if (webSocket == QString::number(probes.stomp) && sse == QString::number(probes.sse))
        return true;
    *why = u"%1's row shows %2 WebSocket and %3 SSE connections; it counts %4 and %5"_s.arg(
        id, webSocket, sse, QString::number(probes.stomp), QString::number(probes.sse));
    return false;
}

} // namespace sb::testing::truth

class TestSnapshotTruth : public QObject
{
    Q_OBJECT

private:
    sb::testing::DevClusterProcess m_cluster;
    QJsonObject m_endpoints;
    QTemporaryDir m_config;
    sb::testing::NodeClients m_clients;
    std::optional<sb::testing::KafkaTruth> m_kafka;
    std::optional<sb::testing::RedisCli> m_redis;
    QString m_redisDir; // its append-only file's directory, to start it again from
    QProcess m_redisAgain; // redis-server started again by redisBack… (killed by pid at the end)

    // The profile the console attaches with: the cluster's Redis (its registry) and Kafka.
    bool saveProfile(QString *error)
    {
        sb::models::Profile profile;
        profile.name = u"truth"_s;
        profile.redisUrl = m_endpoints.value(u"redis"_s).toString();
        profile.kafkaBootstrap = m_endpoints.value(u"kafka"_s).toString();
        profile.kafkaGroups = QStringList { u"audit"_s };
        sb::models::ProfileStore store(m_config.filePath(u"secrets.json"_s));
        return store.save(profile, error);
    }

    // A console's registry connection, opened at most maxAgeSeconds ago (not an earlier
    // console's), has read every node's hash at least once (its last command was an
    // HGETALL): it knows the replicas and their addresses.
    bool consoleHasReadTheRegistry(qint64 maxAgeSeconds)
    {
        static const QRegularExpression age(u"(?:^| )age=(\\d+) "_s);
        const QString clients = m_redis->run({ u"CLIENT"_s, u"LIST"_s });
        for (const QString &line : clients.split(u'\n'))
            if (line.contains(u"name=switchboard-console-replicas "_s) && line.contains(u" cmd=hgetall"_s)
                && age.match(line).captured(1).toLongLong() <= maxAgeSeconds)
                return true;
        return false;
    }

    // The stage-1 group's lag as Kafka itself says (KafkaTruth::lag), and for a failure
    // message each of its partitions' log end and committed offset.
    qint64 stage1Lag() const
    {
        return m_kafka->lag(sb::testing::truth::kStage1Group, sb::testing::truth::kStage1Topic, 3);
    }
    QString stage1Partitions() const
    {
        return m_kafka->describe(sb::testing::truth::kStage1Group, sb::testing::truth::kStage1Topic, 3);
    }

    // `switchboard --profile truth --snapshot DIR --snapshot-after SECONDS`, in this test's
    // settings directory (where the profile and the replicas it saw are kept). Settled: taken
    // once what the console shows stops moving (--snapshot-settled), SECONDS at the latest.
    void startConsole(QProcess *console, const QString &snapshotDir, int afterSeconds, bool settled = false)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"XDG_CONFIG_HOME"_s, m_config.path());
        console->setProcessEnvironment(env);
        console->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        console->start(qEnvironmentVariable("SB_BINARY"),
            QStringList { u"--profile"_s, u"truth"_s, u"--snapshot"_s, snapshotDir, u"--snapshot-after"_s,
                QString::number(afterSeconds) }
                + (settled ? QStringList { u"--snapshot-settled"_s } : QStringList {}));
    }

private slots:
    void initTestCase();
    void figuresEqualAdminStatsRedisCliAndKcat();
    void pausedStage1GroupShowsKafkasLag();
    void killedAndDrainingReplicasAreShownAsTheirOwnProbesSay();
    void redisKilledReplicasAreShownAsTheirOwnProbesSay();
    void consoleStartedDuringTheOutageAsksTheReplicasItSawBefore();
    void redisBackTheFiguresAreTheTruthAgain();
    void cleanupTestCase();
};
