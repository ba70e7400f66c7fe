// GET /api/replicas on replicas sharing a real redis-server (and the mock Kafka cluster in
// this process): the list the chat page fails over with is the registry's (sb:nodes, then
// each sb:node:{id}), a killed replica leaves it once its announcement expires and the
// listing takes its id out of sb:nodes, and with Redis down the answer is 503, never an
// empty list. Runs under the sanitizers too, unlike the browser test that also reads it.
#include "NodeClusterFixture.h"
#include "NodeTestSupport.h"
#include "support/RedisSeeder.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <csignal>

using namespace sb::testing;

namespace {

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

// What GET /api/replicas lists, one "id ready|not-ready|draining" per replica, or
// "<status>" when it does not answer 200.
QStringList listed(quint16 port)
{
    const HttpResult result = httpGet(port, "/api/replicas");
    if (result.status != 200)
        return { u'<' + QString::number(result.status) + u'>' };
    QStringList rows;
    const QJsonArray replicas
        = QJsonDocument::fromJson(result.body).object().value(QStringLiteral("replicas")).toArray();
    for (const QJsonValue &value : replicas) {
        const QJsonObject replica = value.toObject();
        const bool ready = replica.value(QStringLiteral("ready")).toBool();
        const bool draining = replica.value(QStringLiteral("draining")).toBool();
        rows << replica.value(QStringLiteral("id")).toString() + u' '
                + (draining     ? QStringLiteral("draining")
                        : ready ? QStringLiteral("ready")
                                : QStringLiteral("not-ready"));
    }
    return rows;
}

} // namespace

class TestReplicasListing : public QObject
{
    Q_OBJECT
private slots:
    void listsTheRegistryAndForgetsTheDead();
};

void TestReplicasListing::listsTheRegistryAndForgetsTheDead()
{
    NodeClusterFixture cluster;
    QString error;
    QVERIFY2(cluster.start(&error), qPrintable(error));
    NodeProcess survivor;
    NodeProcess doomed;
    QVERIFY2(survivor.start(cluster.args(QStringLiteral("node-a"))), qPrintable(survivor.errorString()));
    QVERIFY2(doomed.start(cluster.args(QStringLiteral("node-b"))), qPrintable(doomed.errorString()));
    QVERIFY2(waitReady(survivor.port(), 60000), "node-a never became ready");
    QVERIFY2(waitReady(doomed.port(), 60000), "node-b never became ready");
    const auto members = [&cluster] {
        QByteArrayList ids = RedisSeeder::cli(
            cluster.redisPort(), { QStringLiteral("SMEMBERS"), QStringLiteral("sb:nodes") })
                                 .split('\n');
        ids.removeAll(QByteArray());
        std::sort(ids.begin(), ids.end());
        return ids;
    };

    // Both replicas, from either one, ready (as announced: within a second of /healthz/ready),
    // each with the URL it listens on.
    const QStringList both { QStringLiteral("node-a ready"), QStringLiteral("node-b ready") };
    QTRY_COMPARE_WITH_TIMEOUT(listed(doomed.port()), both, 5000);
    QCOMPARE(listed(survivor.port()), both);
    const HttpResult result = httpGet(survivor.port(), "/api/replicas");
    QCOMPARE(result.status, 200);
    const QJsonObject answer = QJsonDocument::fromJson(result.body).object();
    QCOMPARE(answer.value(QStringLiteral("self")).toString(), QStringLiteral("node-a"));
    const QJsonArray replicas = answer.value(QStringLiteral("replicas")).toArray();
    QCOMPARE(replicas.size(), 2);
    for (const auto &[index, process] : { std::pair { 0, &survivor }, std::pair { 1, &doomed } }) {
        const QJsonObject replica = replicas.at(index).toObject();
        QCOMPARE(replica.value(QStringLiteral("url")).toString(),
            QStringLiteral("http://127.0.0.1:%1").arg(process->port()));
    }
    QCOMPARE(members(), QByteArrayList({ "node-a", "node-b" }));

    // Read through a one-second cache: a burst of listings (every browser of a dead replica
    // failing over at once) costs Redis one reading a second, not one per request.
    const auto registryReadings = [&cluster] {
        const QByteArray stats = RedisSeeder::cli(
            cluster.redisPort(), { QStringLiteral("INFO"), QStringLiteral("commandstats") });
        const qsizetype at = stats.indexOf("cmdstat_smembers:calls=");
        return at < 0 ? 0 : stats.mid(at + 23, stats.indexOf(',', at) - at - 23).toLongLong();
    };
    const qint64 readingsBefore = registryReadings();
    QElapsedTimer burst;
    burst.start();
    for (int i = 0; i < 50; ++i)
        QCOMPARE(httpGet(survivor.port(), "/api/replicas").status, 200);
    const qint64 readings = registryReadings() - readingsBefore;
    QVERIFY2(readings <= burst.elapsed() / 1000 + 1,
        qPrintable(QStringLiteral("%1 registry readings for 50 listings in %2 ms")
                       .arg(readings)
                       .arg(burst.elapsed())));

    // Killed -9: nothing withdraws it; its announcement expires (TTL 5 s) and the listing
    // that finds it gone drops its id from the set.
    ::kill(pid_t(doomed.pid()), SIGKILL);
    QVERIFY(doomed.waitForExit(5000));
    QTRY_COMPARE_WITH_TIMEOUT(listed(survivor.port()), QStringList { QStringLiteral("node-a ready") }, 10000);
    QCOMPARE(members(), QByteArrayList({ "node-a" }));

    // A replica that drained and left keeps its entry a while, marked left=1 (the console
    // shows it "left"): the chat page must not fail over to it. Node-a's entry copied as
    // "node-c", listed while its mark says 0, then left out once it says 1.
    QStringList entry { QStringLiteral("HSET"), QStringLiteral("sb:node:node-c") };
    const QByteArrayList fields = RedisSeeder::cli(
        cluster.redisPort(), { QStringLiteral("HGETALL"), QStringLiteral("sb:node:node-a") })
                                      .split('\n');
    for (qsizetype i = 0; i + 1 < fields.size(); i += 2)
        entry << QString::fromUtf8(fields.at(i))
              << (fields.at(i) == "id" ? QStringLiteral("node-c") : QString::fromUtf8(fields.at(i + 1)));
    entry << QStringLiteral("left") << QStringLiteral("0");
    RedisSeeder::cli(cluster.redisPort(), entry);
    RedisSeeder::cli(cluster.redisPort(),
        { QStringLiteral("EXPIRE"), QStringLiteral("sb:node:node-c"), QStringLiteral("60") });
    RedisSeeder::cli(cluster.redisPort(),
        { QStringLiteral("SADD"), QStringLiteral("sb:nodes"), QStringLiteral("node-c") });
    QTRY_COMPARE_WITH_TIMEOUT(listed(survivor.port()),
        QStringList({ QStringLiteral("node-a ready"), QStringLiteral("node-c ready") }), 5000);
    RedisSeeder::cli(cluster.redisPort(),
        { QStringLiteral("HSET"), QStringLiteral("sb:node:node-c"), QStringLiteral("left"),
            QStringLiteral("1") });
    QTRY_COMPARE_WITH_TIMEOUT(listed(survivor.port()), QStringList { QStringLiteral("node-a ready") }, 5000);

    // The registry unreachable: 503 with Retry-After, not "no replicas".
    RedisSeeder::cli(cluster.redisPort(), { QStringLiteral("SHUTDOWN"), QStringLiteral("NOSAVE") });
    QTRY_COMPARE_WITH_TIMEOUT(listed(survivor.port()), QStringList { QStringLiteral("<503>") }, 10000);
    QCOMPARE(httpGet(survivor.port(), "/api/replicas").headers.value("retry-after"), QByteArray("2"));
}

QTEST_GUILESS_MAIN(TestReplicasListing)
#include "tst_replicaslisting.moc"
