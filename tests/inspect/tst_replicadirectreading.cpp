// What a replica's own /healthz/live, /healthz/ready and /metrics answers mean when the
// registry cannot speak for it: alive but not ready (and why), ready, draining, down, or
// "its address answers as someone else".
#include "inspect/ReplicaDirectReading.h"
#include "support/TestMain.h"

#include <QTest>

using namespace sb::inspect;
using namespace Qt::StringLiterals;

namespace {

ReplicaDirectReading::Answer answer(int status, const QByteArray &body = {})
{
    ReplicaDirectReading::Answer a;
    a.reached = true;
    a.status = status;
    a.body = body;
    return a;
}

ReplicaDirectReading::Answer unreachable(const QString &why)
{
    ReplicaDirectReading::Answer a;
    a.error = why;
    return a;
}

// A node's /metrics as NodeMetrics writes it (the lines the reading uses).
QByteArray metrics(const QByteArray &node, int stomp, int sse, bool ready, bool draining = false)
{
    return "sb_connections{transport=\"stomp\"} " + QByteArray::number(stomp) + "\n"
        + "sb_connections{transport=\"sse\"} " + QByteArray::number(sse) + "\n"
        + "sb_connections{transport=\"http\"} 1\n" + "sb_subscriptions " + QByteArray::number(stomp) + "\n"
        + "sb_messages_total{transport=\"stomp\",direction=\"in\"} 7\n"
        + "sb_messages_total{transport=\"stomp\",direction=\"out\"} 9\n" + "sb_heartbeat_timeouts_total 2\n"
        + "sb_node_ready{node=\"" + node + "\"} " + (ready ? "1" : "0") + "\n" + "sb_node_draining{node=\""
        + node + "\"} " + (draining ? "1" : "0") + "\n";
}

// /healthz/* bodies as the node writes them (raw strings stay out of the test class: moc).
const QByteArray kLive = R"({"status":"live"})";
const QByteArray kNotReadyDependenciesDown
    = R"({"status":"not ready","draining":false,"dependencies":"down"})";
const QByteArray kReady = R"({"status":"ready","draining":false,"dependencies":"up"})";
const QByteArray kDraining = R"({"status":"not ready","draining":true,"dependencies":"up"})";

} // namespace

Q_DECLARE_METATYPE(sb::inspect::ReplicaDirectReading::Answer)

class TestReplicaDirectReading : public QObject
{
    Q_OBJECT

private slots:
    void aliveButNotReadyWhenItsDependenciesAreDown()
    {
        ReplicaDirectReading reading;
        reading.live = answer(200, kLive);
        reading.ready = answer(503, kNotReadyDependenciesDown);
        reading.metrics = answer(200, metrics("node-1", 2, 1, false));
        const auto verdict = reading.judge(u"node-1"_s);
        QVERIFY(verdict.alive);
        QCOMPARE(verdict.info.id, u"node-1"_s);
        QCOMPARE(verdict.info.state, ReplicaInfo::State::Unready);
        QCOMPARE(verdict.info.stateReason, ReplicaDirectReading::dependenciesDown());
        QCOMPARE(verdict.info.stateText(), u"alive, not ready: dependencies down"_s);
        QVERIFY(!verdict.info.isDown());
        // It still holds its connections: the figures are its own.
        QCOMPARE(verdict.info.wsConnections, std::optional<qint64>(2));
        QCOMPARE(verdict.info.sseConnections, std::optional<qint64>(1));
        QCOMPARE(verdict.info.totalConnections(), std::optional<qint64>(3)); // keep-alive HTTP is no client
        QCOMPARE(verdict.info.subscriptions, std::optional<qint64>(2));
        QCOMPARE(verdict.info.heartbeatTimeouts, std::optional<qint64>(2));
        QCOMPARE(verdict.counters.messagesIn, std::optional<double>(7));
        QCOMPARE(verdict.counters.messagesOut, std::optional<double>(9));
        QCOMPARE(verdict.info.source, u"probe"_s);
        QVERIFY2(
            verdict.info.detail.contains(u"/healthz/ready: HTTP 503"_s), qPrintable(verdict.info.detail));
    }

    void readyWhenReadinessSaysSo()
    {
        ReplicaDirectReading reading;
        reading.live = answer(200);
        reading.ready = answer(200, kReady);
        reading.metrics = answer(200, metrics("node-2", 0, 4, true));
        const auto verdict = reading.judge(u"node-2"_s);
        QVERIFY(verdict.alive);
        QCOMPARE(verdict.info.state, ReplicaInfo::State::Ready);
        QVERIFY(verdict.info.stateReason.isEmpty());
        QVERIFY2(verdict.info.detail.isEmpty(), qPrintable(verdict.info.detail));
        QCOMPARE(verdict.info.totalConnections(), std::optional<qint64>(4));
    }

    void drainingWinsOverNotReady()
    {
        ReplicaDirectReading reading;
        reading.live = answer(200);
        reading.ready = answer(503, kDraining);
        reading.metrics = answer(200, metrics("node-3", 1, 0, false, true));
        const auto verdict = reading.judge(u"node-3"_s);
        QVERIFY(verdict.alive);
        QCOMPARE(verdict.info.state, ReplicaInfo::State::Draining);
        QVERIFY(verdict.info.stateReason.isEmpty());
    }

    void downWhenLivenessFails_data()
    {
        QTest::addColumn<ReplicaDirectReading::Answer>("live");
        QTest::addColumn<QString>("expected");
        QTest::newRow("refused") << unreachable(u"connection refused"_s)
                                 << u"/healthz/live: connection refused"_s;
        QTest::newRow("timeout") << unreachable(u"no answer in time"_s)
                                 << u"/healthz/live: no answer in time"_s;
        QTest::newRow("not a node") << answer(404) << u"/healthz/live: HTTP 404"_s;
        QTest::newRow("failing") << answer(500) << u"/healthz/live: HTTP 500"_s;
    }

    void downWhenLivenessFails()
    {
        QFETCH(ReplicaDirectReading::Answer, live);
        QFETCH(QString, expected);
        ReplicaDirectReading reading;
        reading.live = live;
        // Whatever else answers, a replica whose liveness fails is not alive.
        reading.ready = answer(200);
        reading.metrics = answer(200, metrics("node-1", 5, 5, true));
        const auto verdict = reading.judge(u"node-1"_s);
        QVERIFY(!verdict.alive);
        QCOMPARE(verdict.failure, expected);
    }

    void anotherNodeAtTheAddressIsNotThisReplica()
    {
        // A restarted cluster reused the port: whoever answers there now is not node-1.
        ReplicaDirectReading reading;
        reading.live = answer(200);
        reading.ready = answer(200);
        reading.metrics = answer(200, metrics("node-7", 5, 0, true));
        const auto verdict = reading.judge(u"node-1"_s);
        QVERIFY(!verdict.alive);
        QCOMPARE(verdict.failure, u"its address now answers as node-7"_s);
    }

    void aliveWithoutFiguresWhenMetricsFail()
    {
        ReplicaDirectReading reading;
        reading.live = answer(200);
        reading.ready = answer(503, kNotReadyDependenciesDown);
        reading.metrics = unreachable(u"connection closed"_s);
        const auto verdict = reading.judge(u"node-1"_s);
        QVERIFY(verdict.alive);
        QCOMPARE(verdict.info.state, ReplicaInfo::State::Unready);
        // Unknown, never a made-up zero.
        QCOMPARE(verdict.info.totalConnections(), std::nullopt);
        QVERIFY2(
            verdict.info.detail.contains(u"/metrics: connection closed"_s), qPrintable(verdict.info.detail));
    }

    void readinessUnknownFallsBackToMetrics()
    {
        ReplicaDirectReading reading;
        reading.live = answer(200);
        reading.ready = unreachable(u"no answer in time"_s);
        reading.metrics = answer(200, metrics("node-1", 3, 0, true));
        const auto verdict = reading.judge(u"node-1"_s);
        QVERIFY(verdict.alive);
        QCOMPARE(verdict.info.state, ReplicaInfo::State::Ready);
        QVERIFY2(verdict.info.detail.contains(u"/healthz/ready: no answer in time"_s),
            qPrintable(verdict.info.detail));

        reading.metrics = unreachable(u"connection closed"_s);
        QCOMPARE(reading.judge(u"node-1"_s).info.state, ReplicaInfo::State::Up); // alive, readiness unknown
    }
};

SB_TEST_GUILESS_MAIN(TestReplicaDirectReading)
#include "tst_replicadirectreading.moc"
