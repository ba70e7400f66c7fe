#include "protocol/NodeApi.h"
#include "support/DevClusterProcess.h"
#include "support/TestMain.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
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

// The sum of a metric's samples in `node`'s /metrics (-1: not read).
double metric(QNetworkAccessManager &network, const QUrl &node, const QByteArray &name)
{
    QNetworkRequest request(node.resolved(QUrl(QStringLiteral("/metrics"))));
    request.setTransferTimeout(5000);
    QNetworkReply *reply = finished(network.get(request));
    if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
        return -1;
    double sum = 0;
    for (const QByteArray &line : reply->readAll().split('\n'))
        if (line.startsWith(QByteArray(name + ' ')) || line.startsWith(QByteArray(name + '{')))
            sum += line.mid(line.lastIndexOf(' ') + 1).toDouble();
    return sum;
}

// Event `id` of a devcluster's fault event log (GET /events on its control endpoint).
QJsonObject eventWithId(QNetworkAccessManager &network, const QString &control, int id)
{
    QNetworkRequest request(QUrl(control + QStringLiteral("/events")));
    request.setTransferTimeout(3000);
    const QJsonArray events = QJsonDocument::fromJson(finished(network.get(request))->readAll())
                                  .object()
                                  .value(u"events")
                                  .toArray();
    for (const QJsonValue &event : events)
        if (event.toObject().value(u"id").toInt() == id)
            return event.toObject();
    return {};
}

} // namespace

// issue 12, item 1 (devcluster half): a redis-server child that dies is started again on
// the same port with back-off, and every replica becomes ready again by itself. Then
// (issue 13) the restart-redis fault action's per-replica account of what stage 2 missed.
class TestDevClusterRedisRestart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deadRedisIsRestartedOnItsPortAndReplicasRecover()
    {
        DevClusterProcess cluster;
        // On the Redis bus, so the second outage below has something to catch up.
        QVERIFY2(
            cluster.start({ QStringLiteral("--replicas"), QStringLiteral("2"), QStringLiteral("--bus"),
                QStringLiteral("redis"), QStringLiteral("--redis-restart-after-ms"), QStringLiteral("500") }),
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

        // issue 13: Redis restarted again, by the restart-redis fault action. Its event says per
        // replica, from the replica's own /metrics, that on the Redis bus its subscription was
        // made again and what it missed live was caught up from stage 1: the figures these
        // replicas' counters moved by.
        QElapsedTimer faultSection;
        faultSection.start();
        const QList<QUrl> nodes = cluster.nodeUrls();
        QList<QPair<double, double>> before; // per node: catch-up rounds, messages caught up
        for (const QUrl &node : nodes)
            before.append({ metric(network, node, "sb_bus_catchup_rounds_total"),
                metric(network, node, "sb_bus_catchup_delivered_total") });
        const QString control = endpoints.value(u"control").toString();
        QProcess fault;
        fault.start(qEnvironmentVariable("SB_BINARY"),
            { QStringLiteral("fault"), QStringLiteral("restart-redis"), QStringLiteral("--control"),
                control });
        QVERIFY(fault.waitForFinished(30000));
        const QString said = QString::fromUtf8(fault.readAllStandardOutput() + fault.readAllStandardError());
        QVERIFY2(fault.exitCode() == 0, qPrintable(said));
        const int eventId
            = said.mid(said.lastIndexOf(QStringLiteral("(event ")) + 7).section(u')', 0, 0).toInt();
        QVERIFY2(eventId > 0, qPrintable(said));
        QJsonObject event;
        QTRY_VERIFY_WITH_TIMEOUT(
            (event = eventWithId(network, control, eventId)).value(u"effectState").toString() != u"watching",
            90000);
        const QString effect = event.value(u"effect").toVariant().toStringList().join(u'|');
        qInfo().noquote() << "restart-redis, observed in" << faultSection.elapsed() << "ms:" << effect;
        QVERIFY2(event.value(u"effectState").toString() == u"observed", qPrintable(effect));
        for (qsizetype i = 0; i < nodes.size(); ++i) {
            const double rounds
                = metric(network, nodes.at(i), "sb_bus_catchup_rounds_total") - before.at(i).first;
            const double caughtUp
                = metric(network, nodes.at(i), "sb_bus_catchup_delivered_total") - before.at(i).second;
            QVERIFY2(rounds >= 1, qPrintable(effect));
            const QString line = QStringLiteral(
                "node-%1 (redis bus): subscribed again, caught up %2 from stage 1 in %3 catch-up round(s)")
                                     .arg(i + 1)
                                     .arg(qint64(caughtUp))
                                     .arg(qint64(rounds));
            QVERIFY2(effect.contains(line), qPrintable(line + u"\n not in: " + effect));
        }
    }
};

SB_TEST_GUILESS_MAIN(TestDevClusterRedisRestart)
#include "tst_devcluster_redisrestart.moc"
