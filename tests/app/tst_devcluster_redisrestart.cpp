#include "protocol/NodeApi.h"
#include "support/DevClusterProcess.h"
#include "support/TestMain.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <csignal>
#include <sys/types.h>

using sb::testing::DevClusterProcess;

namespace {

// The pid of the redis-server answering on this loopback port (INFO server), or 0 when
// nothing answers.
qint64 redisPidOn(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(1000))
        return 0;
    socket.write(QByteArrayLiteral("INFO server\r\n"));
    QByteArray reply;
    while (!reply.contains("process_id:") || !reply.mid(reply.indexOf("process_id:")).contains('\n')) {
        if (!socket.waitForReadyRead(1000))
            return 0;
        reply += socket.readAll();
    }
    const qsizetype at = reply.indexOf("process_id:") + 11;
    return reply.mid(at, reply.indexOf('\n', at) - at).trimmed().toLongLong();
}

// Waits for a reply; returns it (deleted later).
QNetworkReply *finished(QNetworkReply *reply)
{
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    return reply;
}

// The HTTP status of GET url, with a bearer token when one is given (0 when it did not
// answer within 2 s).
int statusOf(QNetworkAccessManager &network, const QUrl &url, const QByteArray &token = {})
{
    QNetworkRequest request(url);
    if (!token.isEmpty())
        request.setRawHeader(QByteArrayLiteral("Authorization"), QByteArrayLiteral("Bearer ") + token);
    request.setTransferTimeout(2000);
    return finished(network.get(request))->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

// An admin's access token from this replica (empty when the login failed).
QByteArray adminToken(QNetworkAccessManager &network, const QUrl &node)
{
    QNetworkRequest request(node.resolved(QUrl(QString(sb::protocol::nodeapi::LoginPath))));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setTransferTimeout(5000);
    const QByteArray body
        = sb::protocol::nodeapi::loginBody(QStringLiteral("admin"), QStringLiteral("admin"));
    return sb::protocol::nodeapi::accessToken(finished(network.post(request, body))->readAll());
}

} // namespace

// issue 12, item 1 (devcluster half): a redis-server child that dies is started again on
// the same port with back-off, and every replica becomes ready again by itself.
class TestDevClusterRedisRestart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deadRedisIsRestartedOnItsPortAndReplicasRecover()
    {
        DevClusterProcess cluster;
        QVERIFY2(cluster.start({ QStringLiteral("--replicas"), QStringLiteral("2"),
                     QStringLiteral("--redis-restart-after-ms"), QStringLiteral("500") }),
            qPrintable(cluster.errorString()));
        const QJsonObject endpoints = cluster.endpoints();
        const auto port = quint16(QUrl(endpoints.value(u"redis").toString()).port());
        const qint64 firstPid = endpoints.value(u"redisPid").toInteger();
        QVERIFY(port > 0);
        QVERIFY(firstPid > 0);
        QCOMPARE(redisPidOn(port), firstPid);

        QNetworkAccessManager network;
        QList<QUrl> ready;
        for (const QUrl &node : cluster.nodeUrls())
            ready.append(node.resolved(QUrl(QStringLiteral("/healthz/ready"))));
        QCOMPARE(ready.size(), 2);
        auto readyCount = [&] {
            int count = 0;
            for (const QUrl &url : std::as_const(ready))
                count += statusOf(network, url) == 200 ? 1 : 0;
            return count;
        };
        QCOMPARE(readyCount(), 2);
        const QUrl firstNode = cluster.nodeUrls().value(0);
        const QUrl stats = firstNode.resolved(QUrl(QString(sb::protocol::nodeapi::AdminStatsPath)));
        const QByteArray token = adminToken(network, firstNode);
        QVERIFY(!token.isEmpty());
        QCOMPARE(statusOf(network, stats, token), 200);
        // Redis writes a command to its append-only file before it answers it, so the token is
        // in the file already (the kernel's page cache keeps it past the redis-server's kill).

        QCOMPARE(::kill(pid_t(firstPid), SIGKILL), 0);
        // The replicas noticed (they need Redis to be ready)...
        QTRY_VERIFY_WITH_TIMEOUT(readyCount() < 2, 10000);
        // ...a new redis-server answers on the same port...
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const qint64 pid = redisPidOn(port);
                return pid > 0 && pid != firstPid;
            }(),
            20000);
        // ...and every replica is ready again without being restarted.
        QTRY_COMPARE_WITH_TIMEOUT(readyCount(), 2, 60000);
        // A client's token from before the outage is still valid: the restarted Redis has it.
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(network, stats, token), 200, 10000);
        for (const QJsonValue &node : endpoints.value(u"nodes").toArray()) {
            const qint64 pid = node.toObject().value(u"pid").toInteger();
            QVERIFY2(
                ::kill(pid_t(pid), 0) == 0, qPrintable(QStringLiteral("replica pid %1 is gone").arg(pid)));
        }
    }
};

SB_TEST_GUILESS_MAIN(TestDevClusterRedisRestart)
#include "tst_devcluster_redisrestart.moc"
