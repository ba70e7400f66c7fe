// The registry is not the only source of truth. Against a real redis-server and replicas
// played by small HTTP servers in this test (/healthz/live, /healthz/ready, /metrics as a
// node answers them): with Redis killed, the replicas the registry listed stay, probed at
// their own addresses, "alive, not ready: Redis unreachable" with their own connection
// counts, under a "discovery is degraded" banner; one whose probes fail is down; when
// Redis returns, discovery is the registry's again. A replica whose key vanished while it
// still answers is not called down either.
#include "app/ReplicasAreaAssembly.h"
#include "cluster/RedisConnection.h"
#include "cluster/RedisHashWriter.h"
#include "models/ReplicaModel.h"
#include "models/SeriesHistory.h"
#include "support/RedisServerProcess.h"
#include "support/TestMain.h"
#include "ui/AreaView.h"
#include "ui/ReplicasView.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QLabel>
#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace sb;
using namespace Qt::StringLiterals;
using inspect::ReplicaInfo;

namespace {

// A replica as its probes see it: answers /healthz/live, /healthz/ready and /metrics the
// way a node does, with the readiness and connection counts the test sets. close() stops
// listening and drops every connection: the replica is dead.
class FakeReplica
{
public:
    FakeReplica(QString id, int stomp, int sse)
        : m_id(std::move(id))
        , m_stomp(stomp)
        , m_sse(sse)
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                m_sockets.append(socket);
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { serve(socket); });
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

    QByteArray address() const { return "127.0.0.1:" + QByteArray::number(m_server.serverPort()); }
    bool isListening() const { return m_server.isListening(); }
    // As a node whose Redis went away: /healthz/ready 503 "dependencies down".
    void setReady(bool ready) { m_ready = ready; }
    void close()
    {
        m_server.close();
        for (const QPointer<QTcpSocket> &socket : std::as_const(m_sockets))
            if (socket)
                socket->abort();
    }

private:
    void serve(QTcpSocket *socket)
    {
        QByteArray &request = m_pending[socket];
        request += socket->readAll();
        if (!request.contains("\r\n\r\n"))
            return;
        const QByteArray path = request.split(' ').value(1);
        m_pending.remove(socket);
        int status = 404;
        QByteArray body;
        if (path == "/healthz/live") {
            status = 200;
            body = "{'status':'live'}";
        } else if (path == "/healthz/ready") {
            status = m_ready ? 200 : 503;
            body = m_ready ? "{'status':'ready','draining':false,'dependencies':'up'}"
                           : "{'status':'not ready','draining':false,'dependencies':'down'}";
        } else if (path == "/metrics") {
            status = 200;
            body = "sb_connections{transport='stomp'} " + QByteArray::number(m_stomp) + "\n"
                + "sb_connections{transport='sse'} " + QByteArray::number(m_sse) + "\n" + "sb_subscriptions "
                + QByteArray::number(m_stomp) + "\n" + "sb_node_ready{node='" + m_id.toUtf8() + "'} "
                + (m_ready ? "1" : "0") + "\n" + "sb_node_draining{node='" + m_id.toUtf8() + "'} 0\n";
        }
        body.replace('\'', '"'); // written with ' so no escaped quote reaches moc
        socket->write(QByteArray("HTTP/1.1 " + QByteArray::number(status) + (status == 200 ? " OK" : " Error")
            + "\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\n\r\n" + body));
        socket->disconnectFromHost();
    }

    QString m_id;
    int m_stomp;
    int m_sse;
    bool m_ready = true;
    QTcpServer m_server;
    QList<QPointer<QTcpSocket>> m_sockets;
    QHash<QTcpSocket *, QByteArray> m_pending;
};

QMap<QByteArray, QByteArray> registryFields(const FakeReplica &replica, int ws, int sse)
{
    return { { "address", replica.address() },
        { "started", QByteArray::number(QDateTime::currentMSecsSinceEpoch() - 60000) }, { "ready", "1" },
        { "draining", "0" }, { "ws", QByteArray::number(ws) }, { "sse", QByteArray::number(sse) },
        { "kafkaGroups", "switchboard-notifications" }, { "version", "0.1.0" } };
}

QJsonObject stateOf(const QJsonObject &snapshot, const QString &id)
{
    for (const QJsonValue &state : snapshot.value(u"replicaStates"_s).toArray())
        if (state.toObject().value(u"id"_s).toString() == id)
            return state.toObject();
    return {};
}

} // namespace

class TestReplicasFallback : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        connectWriter();
    }

    void redisOutageKeepsTheReplicasThatStillAnswer()
    {
        FakeReplica one(u"fb-1"_s, 3, 1);
        FakeReplica two(u"fb-2"_s, 2, 0);
        QVERIFY(one.isListening() && two.isListening());
        // The registry's figures differ from the replicas' own, so it shows whose are on screen.
        m_writer->publish(u"fb-1"_s, registryFields(one, 1, 0), 60);
        m_writer->publish(u"fb-2"_s, registryFields(two, 1, 0), 60);

        ui::AreaView area(u"replicas"_s, ui::EmptyState { u"Replicas"_s, u"replicas"_s, u"attach"_s });
        models::AttachmentState attachment;
        inspect::ReplicaDiscoveryConfig config;
        config.redis.emplace(m_server.url());
        config.pollIntervalMs = 200;
        config.httpTimeoutMs = 1000;
        app::ReplicasAreaAssembly assembly(&area, config, &attachment);
        QAbstractItemModelTester tester(
            assembly.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        area.show();
        assembly.start();
        models::ReplicaModel *model = assembly.model();
        auto row = [model](const QString &id) { return model->replica(model->rowOf(id)); };
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 2, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(row(u"fb-1"_s).state, ReplicaInfo::State::Ready, 5000);
        QCOMPARE(row(u"fb-1"_s).source, u"registry"_s);
        QCOMPARE(model->figures().totalConnections, 2);
        QVERIFY(!assembly.view()->discoveryDegradedShown());

        // Redis dies. The replicas lose it too, as nodes do (readiness false, "dependencies
        // down"), and keep their clients.
        const auto shownDown = downRecorder(model);
        one.setReady(false);
        two.setReady(false);
        m_server.stop();
        QTRY_COMPARE_WITH_TIMEOUT(row(u"fb-1"_s).state, ReplicaInfo::State::Unready, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(row(u"fb-2"_s).state, ReplicaInfo::State::Unready, 5000);
        for (const QString &id : { u"fb-1"_s, u"fb-2"_s }) {
            const ReplicaInfo r = row(id);
            QCOMPARE(r.stateReason, u"Redis unreachable"_s);
            QCOMPARE(r.source, u"probe"_s);
            // What only the registry said is kept: the address the Traffic area taps, the
            // groups the Kafka area watches.
            QVERIFY(!r.address.isEmpty());
            QCOMPARE(r.kafkaGroups, QStringList { u"switchboard-notifications"_s });
            QVERIFY2(r.detail.contains(u"registry unreadable"_s), qPrintable(r.detail));
        }
        QCOMPARE(row(u"fb-1"_s).wsConnections, std::optional<qint64>(3));
        QCOMPARE(row(u"fb-1"_s).sseConnections, std::optional<qint64>(1));
        QCOMPARE(model->figures().replicasUp, 2);
        QCOMPARE(model->figures().replicasNotReady, 2);
        QCOMPARE(model->figures().replicasDown, 0);
        QCOMPARE(model->figures().totalConnections, 6);
        QVERIFY2(assembly.view()->figuresText().startsWith(u"2 up (2 not ready) · 0 down · 6 connections"_s),
            qPrintable(assembly.view()->figuresText()));
        // The chart goes on from the probes' counts, not down to 0.
        QList<QPointF> total;
        assembly.history()->totalPoints(
            assembly.history()->latestMs(), assembly.history()->latestMs(), 1, &total);
        QCOMPARE(total.size(), 1);
        QCOMPARE(total.constFirst().y(), 6.0);
        // Said in the area and in state.json: degraded, live (the replicas answered), not stale.
        QTRY_VERIFY(assembly.view()->discoveryDegradedShown());
        QJsonObject state = area.snapshotState();
        QVERIFY(state.value(u"discoveryDegraded"_s).toBool());
        QVERIFY2(state.value(u"discoveryDegradedReason"_s).toString().contains(u"registry cannot be read"_s),
            qPrintable(state.value(u"discoveryDegradedReason"_s).toString()));
        QVERIFY(!state.value(u"stale"_s).toBool());
        QCOMPARE(stateOf(state, u"fb-1"_s).value(u"state"_s).toString(), u"unready"_s);
        QCOMPARE(stateOf(state, u"fb-1"_s).value(u"reason"_s).toString(), u"Redis unreachable"_s);
        QCOMPARE(stateOf(state, u"fb-1"_s).value(u"connections"_s).toInt(), 4);
        for (const QJsonValue &shown : state.value(u"rows"_s).toArray())
            QVERIFY2(shown.toObject()
                         .value(u"State"_s)
                         .toString()
                         .startsWith(u"alive, not ready: Redis unreachable since "_s),
                qPrintable(shown.toObject().value(u"State"_s).toString()));
        QCOMPARE(attachment.health(models::AttachmentState::Service::Replicas).state,
            models::ConnectionHealth::State::Degraded);

        // Not for one poll was a replica that answers shown down.
        QVERIFY2(shownDown->isEmpty(), qPrintable(shownDown->join(u", "_s)));

        // A replica that dies during the outage: its own probes fail, so it is down.
        const QDateTime killedAt = QDateTime::currentDateTimeUtc();
        two.close();
        QTRY_COMPARE_WITH_TIMEOUT(row(u"fb-2"_s).state, ReplicaInfo::State::Down, 5000);
        QVERIFY(row(u"fb-2"_s).stateSince >= killedAt);
        QVERIFY2(row(u"fb-2"_s).detail.contains(u"its own probes fail: /healthz/live"_s),
            qPrintable(row(u"fb-2"_s).detail));
        QCOMPARE(row(u"fb-1"_s).state, ReplicaInfo::State::Unready);
        QCOMPARE(model->figures().replicasDown, 1);
        QCOMPARE(model->figures().totalConnections, 4);
        QCOMPARE(stateOf(area.snapshotState(), u"fb-2"_s).value(u"state"_s).toString(), u"down"_s);
        // Its row says why; the status bar counts it down, without one more "failing source".
        const models::ConnectionHealth health = attachment.health(models::AttachmentState::Service::Replicas);
        QCOMPARE(health.state, models::ConnectionHealth::State::Degraded);
        QVERIFY2(health.detail.startsWith(u"1 of 2 replicas up; registry "_s)
                && !health.detail.contains(u"probed at"_s),
            qPrintable(health.detail));

        // Redis returns and fb-1 announces itself again: the registry speaks for it, and
        // discovery is no longer degraded. fb-2, still dead and not announced, stays down.
        QVERIFY(m_server.restart());
        connectWriter();
        one.setReady(true);
        m_writer->publish(u"fb-1"_s, registryFields(one, 3, 1), 60);
        QTRY_COMPARE_WITH_TIMEOUT(row(u"fb-1"_s).source, u"registry"_s, 10000);
        QCOMPARE(row(u"fb-1"_s).state, ReplicaInfo::State::Ready);
        QVERIFY(row(u"fb-1"_s).stateReason.isEmpty());
        QTRY_VERIFY(!assembly.view()->discoveryDegradedShown());
        state = area.snapshotState();
        QVERIFY(!state.value(u"discoveryDegraded"_s).toBool());
        QCOMPARE(stateOf(state, u"fb-1"_s).value(u"state"_s).toString(), u"ready"_s);
        QCOMPARE(row(u"fb-2"_s).state, ReplicaInfo::State::Down);
        QVERIFY2(row(u"fb-2"_s).detail.contains(u"registry key sb:node:fb-2 is gone; its own probes fail"_s),
            qPrintable(row(u"fb-2"_s).detail));
        m_writer->remove(u"fb-1"_s);
    }

    void aReplicaWhoseKeyVanishedIsAskedBeforeItIsCalledDown()
    {
        FakeReplica three(u"fb-3"_s, 5, 0);
        m_writer->publish(u"fb-3"_s, registryFields(three, 5, 0), 60);
        ui::AreaView area(u"replicas"_s, ui::EmptyState { u"Replicas"_s, u"replicas"_s, u"attach"_s });
        models::AttachmentState attachment;
        inspect::ReplicaDiscoveryConfig config;
        config.redis.emplace(m_server.url());
        config.pollIntervalMs = 200;
        config.httpTimeoutMs = 1000;
        app::ReplicasAreaAssembly assembly(&area, config, &attachment);
        assembly.start();
        models::ReplicaModel *model = assembly.model();
        QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(u"fb-3"_s) >= 0, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(model->replica(model->rowOf(u"fb-3"_s)).source, u"registry"_s, 5000);

        // The key goes (a replica that lost its own Redis connection, a TTL missed) while the
        // replica still serves: it is not down, its own probes say how it is.
        const auto shownDown = downRecorder(model);
        m_writer->remove(u"fb-3"_s);
        QTRY_COMPARE_WITH_TIMEOUT(model->replica(model->rowOf(u"fb-3"_s)).source, u"probe"_s, 5000);
        const ReplicaInfo alive = model->replica(model->rowOf(u"fb-3"_s));
        QCOMPARE(alive.state, ReplicaInfo::State::Ready);
        QCOMPARE(alive.wsConnections, std::optional<qint64>(5));
        QVERIFY2(alive.detail.contains(u"registry key sb:node:fb-3 is gone"_s), qPrintable(alive.detail));
        QVERIFY(!assembly.view()->discoveryDegradedShown()); // the registry itself answers
        QVERIFY2(!shownDown->contains(u"fb-3"_s), "fb-3 was shown down while it answered");

        // Then it dies: down, with both reasons.
        three.close();
        QTRY_COMPARE_WITH_TIMEOUT(
            model->replica(model->rowOf(u"fb-3"_s)).state, ReplicaInfo::State::Down, 5000);
        QVERIFY2(model->replica(model->rowOf(u"fb-3"_s)).detail.contains(u"its own probes fail"_s),
            qPrintable(model->replica(model->rowOf(u"fb-3"_s)).detail));
    }

    void startedDuringAnOutageAsksTheReplicasAnEarlierSessionSaw()
    {
        // The console starts while the registry's Redis is down: with nothing else, it would
        // know no replica at all. The replicas an earlier session saw are asked directly.
        FakeReplica alive(u"fb-5"_s, 4, 1);
        alive.setReady(false); // its Redis is down too
        FakeReplica gone(u"fb-6"_s, 0, 0);
        const QByteArray goneAddress = gone.address();
        gone.close();
        QTcpServer deadRedis; // a Redis port nothing answers on
        QVERIFY(deadRedis.listen(QHostAddress::LocalHost, 0));
        const quint16 deadPort = deadRedis.serverPort();
        deadRedis.close();

        ui::AreaView area(u"replicas"_s, ui::EmptyState { u"Replicas"_s, u"replicas"_s, u"attach"_s });
        models::AttachmentState attachment;
        inspect::ReplicaDiscoveryConfig config;
        config.redis.emplace(cluster::RedisUrl::parse(u"redis://127.0.0.1:%1"_s.arg(deadPort)));
        config.pollIntervalMs = 200;
        config.httpTimeoutMs = 1000;
        config.rememberedAddresses = { { u"fb-5"_s, QString::fromLatin1(alive.address()) },
            { u"fb-6"_s, QString::fromLatin1(goneAddress) } };
        app::ReplicasAreaAssembly assembly(&area, config, &attachment);
        assembly.start();
        models::ReplicaModel *model = assembly.model();
        auto row = [model](const QString &id) { return model->replica(model->rowOf(id)); };
        QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(u"fb-5"_s) >= 0, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(row(u"fb-5"_s).state, ReplicaInfo::State::Unready, 5000);
        QCOMPARE(row(u"fb-5"_s).stateReason, u"Redis unreachable"_s);
        QCOMPARE(row(u"fb-5"_s).wsConnections, std::optional<qint64>(4));
        QVERIFY2(row(u"fb-5"_s).detail.contains(u"earlier session"_s), qPrintable(row(u"fb-5"_s).detail));
        // The one that does not answer is down, with why, at the address it had.
        QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(u"fb-6"_s) >= 0, 5000);
        QCOMPARE(row(u"fb-6"_s).state, ReplicaInfo::State::Down);
        QCOMPARE(row(u"fb-6"_s).address, QString::fromLatin1(goneAddress));
        QVERIFY2(row(u"fb-6"_s).detail.contains(u"its own probes fail"_s), qPrintable(row(u"fb-6"_s).detail));
        QTRY_VERIFY(assembly.view()->discoveryDegradedShown());
        const QString reason = area.snapshotState().value(u"discoveryDegradedReason"_s).toString();
        QVERIFY2(reason.contains(u"earlier session"_s), qPrintable(reason));
    }

    void anEarlierSessionsReplicaTheRegistryDoesNotListIsForgotten()
    {
        // The registry answers: it says who exists. A replica only an earlier session saw,
        // and not listed now, is not shown (not even as down).
        FakeReplica listed(u"fb-7"_s, 1, 0);
        m_writer->publish(u"fb-7"_s, registryFields(listed, 1, 0), 60);
        FakeReplica old(u"fb-8"_s, 0, 0);
        ui::AreaView area(u"replicas"_s, ui::EmptyState { u"Replicas"_s, u"replicas"_s, u"attach"_s });
        models::AttachmentState attachment;
        inspect::ReplicaDiscoveryConfig config;
        config.redis.emplace(m_server.url());
        config.pollIntervalMs = 200;
        config.httpTimeoutMs = 1000;
        config.rememberedAddresses = { { u"fb-8"_s, QString::fromLatin1(old.address()) } };
        app::ReplicasAreaAssembly assembly(&area, config, &attachment);
        const auto shown = std::make_shared<QStringList>();
        const auto polls = std::make_shared<int>(0);
        connect(assembly.model(), &models::ReplicaModel::snapshotApplied, assembly.model(),
            [model = assembly.model(), shown, polls] {
                ++*polls;
                for (int row = 0; row < model->rowCount(); ++row)
                    shown->append(model->replica(row).id);
            });
        assembly.start();
        models::ReplicaModel *model = assembly.model();
        QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(u"fb-7"_s) >= 0, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(model->replica(model->rowOf(u"fb-7"_s)).source, u"registry"_s, 5000);
        const int listedAt = *polls;
        QTRY_VERIFY_WITH_TIMEOUT(*polls >= listedAt + 3, 5000); // three more polls: fb-8 must not come back
        QCOMPARE(model->rowOf(u"fb-8"_s), -1);
        QVERIFY2(!shown->contains(u"fb-8"_s), "a replica only an earlier session saw was shown");
        m_writer->remove(u"fb-7"_s);
    }

    void cleanupTestCase()
    {
        m_writer.reset();
        m_writerConnection.reset();
        m_server.stop();
    }

private:
    // Every replica shown down in any poll from now on (the model's own view of each poll).
    static std::shared_ptr<QStringList> downRecorder(models::ReplicaModel *model)
    {
        auto down = std::make_shared<QStringList>();
        connect(model, &models::ReplicaModel::snapshotApplied, model, [model, down] {
            for (int row = 0; row < model->rowCount(); ++row)
                if (model->replica(row).isDown() && !down->contains(model->replica(row).id))
                    down->append(model->replica(row).id);
        });
        return down;
    }

    void connectWriter()
    {
        m_writer.reset();
        m_writerConnection = std::make_unique<cluster::RedisConnection>(m_server.url());
        QSignalSpy connected(m_writerConnection.get(), &cluster::RedisConnection::connected);
        m_writerConnection->open();
        QVERIFY(connected.wait(5000));
        m_writer = std::make_unique<cluster::RedisHashWriter>(m_writerConnection.get());
    }

    testing::RedisServerProcess m_server;
    std::unique_ptr<cluster::RedisConnection> m_writerConnection;
    std::unique_ptr<cluster::RedisHashWriter> m_writer;
};

SB_TEST_MAIN(TestReplicasFallback)
#include "tst_replicasfallback.moc"
