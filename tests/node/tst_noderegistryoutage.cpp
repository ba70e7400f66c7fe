// A replica whose token registry (Redis) goes away (issue 12, item 1): valid tokens are not
// called revoked. Publish, refresh, /admin/stats and SSE answer 503 with Retry-After and the
// reason "token registry unavailable, retry"; STOMP CONNECT gets that ERROR with a retry-after
// header, then close 1013; each refusal is counted under its own reason; sessions verified
// before the outage keep working; and when redis-server is back on the same port the node
// recovers by itself (ready again, the same tokens accepted) without a restart.

#include "NodeTestSupport.h"
#include "support/TestMain.h"

#include "app/NodeAssembly.h"
#include "cluster/KafkaEventBus.h"
#include "cluster/KafkaMockCluster.h"
#include "support/RedisServerProcess.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace sb::testing;

namespace {

constexpr int kReadyMs = 60000;

QByteArray outageAuthFailures(const char *reason)
{
    return QByteArrayLiteral("sb_auth_failures_total{reason=\"") + reason + QByteArrayLiteral("\"}");
}

// Polls GET path until it answers `status`; the last status seen.
int waitForStatus(quint16 port, const QByteArray &path, int status, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    int last = 0;
    while (!deadline.hasExpired()) {
        last = httpGet(port, path).status;
        if (last == status)
            return last;
        QTest::qWait(100);
    }
    return last;
}

QJsonObject loginPair(quint16 port, const QString &user)
{
    const QByteArray body = QJsonDocument(
        QJsonObject { { QStringLiteral("username"), user },
            { QStringLiteral("password"),
                user } }).toJson(QJsonDocument::Compact);
    return QJsonDocument::fromJson(httpPost(port, "/api/auth/login", body).body).object();
}

QByteArray outageField(const QJsonObject &object, const char *name)
{
    return object.value(QLatin1String(name)).toString().toUtf8();
}

QByteArray refreshBody(const QByteArray &refreshToken)
{
    return QJsonDocument(QJsonObject { { QStringLiteral("refreshToken"), QString::fromUtf8(refreshToken) } })
        .toJson(QJsonDocument::Compact);
}

QByteArray outageTextBody(const QString &text)
{
    return QJsonDocument(QJsonObject { { QStringLiteral("text"), text } }).toJson(QJsonDocument::Compact);
}

// "503 <reason>" for failure messages.
QByteArray outageDescribe(const HttpResult &result)
{
    return QByteArray::number(result.status) + ' ' + result.body;
}

bool isRetryLater(const HttpResult &result)
{
    return result.status == 503 && result.headers.value("retry-after").toInt() >= 1
        && QJsonDocument::fromJson(result.body).object().value(QStringLiteral("error")).toString()
        == u"token registry unavailable, retry";
}

} // namespace

class TestNodeRegistryOutage : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void validTokensAreNotCalledRevokedWhileRedisIsDown();
    void youngAccessTokensFailOpenWhenConfigured();

private:
    // A node on its own Redis (appendonly, so the tokens survive the kill) and the mock Kafka.
    bool startCluster(RedisServerProcess &redis, NodeProcess &node, const QStringList &extraArgs);

    sb::cluster::KafkaMockCluster m_kafka;
};

void TestNodeRegistryOutage::initTestCase()
{
    QString error;
    QVERIFY2(m_kafka.start(1, &error), qPrintable(error));
    QList<QByteArray> topics = sb::cluster::KafkaEventBus::topics("switchboard");
    topics << sb::app::NodeAssembly::roleUpdatedTopic(QStringLiteral("switchboard"));
    for (const QByteArray &topic : std::as_const(topics))
        QVERIFY2(m_kafka.createTopic(topic, 2, &error), qPrintable(error));
}

bool TestNodeRegistryOutage::startCluster(
    RedisServerProcess &redis, NodeProcess &node, const QStringList &extraArgs)
{
    if (!redis.start()) {
        qWarning("%s", qPrintable(redis.errorString()));
        return false;
    }
    const QStringList args
        = QStringList { QStringLiteral("--redis"), QStringLiteral("redis://127.0.0.1:%1/0").arg(redis.port()),
              QStringLiteral("--kafka"), QString::fromLatin1(m_kafka.bootstrapServers()),
              QStringLiteral("--kafka-session-timeout-ms"), QStringLiteral("3000") }
        + extraArgs;
    if (!node.start(args)) {
        qWarning("%s", qPrintable(node.errorString()));
        return false;
    }
    return waitForStatus(node.port(), "/healthz/ready", 200, kReadyMs) == 200;
}

void TestNodeRegistryOutage::validTokensAreNotCalledRevokedWhileRedisIsDown()
{
    RedisServerProcess redis({ QStringLiteral("--appendonly"), QStringLiteral("yes") });
    NodeProcess node;
    QVERIFY2(startCluster(redis, node, {}), "the node did not become ready");
    const quint16 port = node.port();
    const QJsonObject alice = loginPair(port, QStringLiteral("alice"));
    const QByteArray access = outageField(alice, "accessToken");
    const QByteArray refresh = outageField(alice, "refreshToken");
    const QByteArray admin = login(port, QStringLiteral("admin"));
    QVERIFY(!access.isEmpty() && !refresh.isEmpty() && !admin.isEmpty());

    // A session verified before the outage.
    RawWebSocket verified;
    QCOMPARE(verified.open(port), 101);
    QVERIFY(stompConnect(verified, access).startsWith("CONNECTED"));

    redis.stop(); // SIGKILL, by pid
    QCOMPARE(waitForStatus(port, "/healthz/ready", 503, 15000), 503);

    const HttpResult published
        = httpPost(port, "/api/channels/general/messages", outageTextBody(QStringLiteral("hi")), access);
    QVERIFY2(isRetryLater(published), outageDescribe(published).constData());
    const HttpResult refreshed = httpPost(port, "/api/auth/refresh", refreshBody(refresh));
    QVERIFY2(isRetryLater(refreshed), outageDescribe(refreshed).constData());
    const HttpResult stats = httpGet(port, "/admin/stats", admin);
    QVERIFY2(isRetryLater(stats), outageDescribe(stats).constData());
    const HttpResult sse = httpGet(port, "/api/sse", access);
    QVERIFY2(isRetryLater(sse), outageDescribe(sse).constData());

    RawWebSocket refused;
    QCOMPARE(refused.open(port), 101);
    const QByteArray error = stompConnect(refused, access);
    QVERIFY2(error.startsWith("ERROR"), error.constData());
    QCOMPARE(stompHeader(error, "message"), QByteArray("token registry unavailable, retry"));
    QVERIFY2(stompHeader(error, "retry-after").toInt() >= 1, error.constData());
    QCOMPARE(refused.waitForClose(), 1013);

    const QByteArray metrics = metricsText(port);
    QVERIFY2(metricValue(metrics, outageAuthFailures("registry_unavailable")) >= 5, metrics.constData());
    QCOMPARE(metricValue(metrics, outageAuthFailures("revoked")), 0.0);

    // The session verified before the outage is still served (a receipt is local work).
    verified.sendText(stompFrame(
        "SUBSCRIBE", { { "id", "s1" }, { "destination", "/topic/channels.general" }, { "receipt", "r1" } }));
    const RawWebSocket::Message receipt = verified.read();
    QVERIFY2(receipt.payload.startsWith("RECEIPT"), receipt.payload.constData());

    // Redis returns on the same port: the node recovers by itself, and the tokens it issued
    // before the outage are accepted again.
    QVERIFY2(redis.start(redis.port()), qPrintable(redis.errorString()));
    QCOMPARE(waitForStatus(port, "/healthz/ready", 200, kReadyMs), 200);
    const HttpResult again
        = httpPost(port, "/api/channels/general/messages", outageTextBody(QStringLiteral("back")), access);
    QVERIFY2(again.status == 201, outageDescribe(again).constData());
    QCOMPARE(httpGet(port, "/admin/stats", admin).status, 200);
    QVERIFY(verified.isConnected());
}

void TestNodeRegistryOutage::youngAccessTokensFailOpenWhenConfigured()
{
    RedisServerProcess redis;
    NodeProcess node;
    // A window far longer than the test, so the token is young whatever the machine's load.
    QVERIFY2(startCluster(redis, node, { QStringLiteral("--auth-fail-open-seconds"), QStringLiteral("600") }),
        "the node did not become ready");
    const quint16 port = node.port();
    const QJsonObject alice = loginPair(port, QStringLiteral("alice"));
    const QByteArray access = outageField(alice, "accessToken");
    QVERIFY(!access.isEmpty());

    redis.stop();
    QCOMPARE(waitForStatus(port, "/healthz/ready", 503, 15000), 503);

    RawWebSocket ws;
    QCOMPARE(ws.open(port), 101);
    const QByteArray connected = stompConnect(ws, access);
    QVERIFY2(connected.startsWith("CONNECTED"), connected.constData());
    QVERIFY(waitForMetric(port, "sb_auth_fail_open_total", 1) >= 1);
    // Never a refresh token: rotating one writes the registry, which is down.
    const HttpResult refreshed
        = httpPost(port, "/api/auth/refresh", refreshBody(outageField(alice, "refreshToken")));
    QVERIFY2(isRetryLater(refreshed), outageDescribe(refreshed).constData());
    QCOMPARE(metricValue(metricsText(port), outageAuthFailures("revoked")), 0.0);
}

SB_TEST_GUILESS_MAIN(TestNodeRegistryOutage)
#include "tst_noderegistryoutage.moc"
