// Unit test of the node's metrics rendered as Prometheus text.

#include "node/NodeMetrics.h"
#include "support/TestMain.h"

#include <QSet>
#include <QTest>

using namespace sb::node;

class TestNodeMetrics : public QObject
{
    Q_OBJECT
private slots:
    void metricsPrometheusText();
};

void TestNodeMetrics::metricsPrometheusText()
{
    NodeMetrics metrics;
    metrics.connectionOpened(NodeMetrics::Transport::Stomp);
    metrics.connectionOpened(NodeMetrics::Transport::Stomp);
    metrics.connectionClosed(NodeMetrics::Transport::Stomp);
    metrics.connectionOpened(NodeMetrics::Transport::Sse);
    metrics.subscriptionsChanged(+3);
    metrics.message(NodeMetrics::Transport::Stomp, NodeMetrics::Direction::Out, 5);
    metrics.heartBeatTimeout();
    metrics.dropped(QByteArrayLiteral("slow_consumer"));
    metrics.dropped(QByteArrayLiteral("slow_consumer"));
    metrics.authFailure(QByteArrayLiteral("expired"));
    metrics.observeDeliveryLatency(0.0003);
    metrics.observeDeliveryLatency(0.02);
    metrics.observeDeliveryLatency(10);
    const QByteArray text = metrics.prometheusText(QByteArrayLiteral("node-1"), true, false);
    const QList<QByteArray> expected {
        "sb_connections{transport=\"stomp\"} 1",
        "sb_connections{transport=\"sse\"} 1",
        "sb_connections{transport=\"http\"} 0",
        "sb_subscriptions 3",
        "sb_messages_total{transport=\"stomp\",direction=\"out\"} 5",
        "sb_heartbeat_timeouts_total 1",
        "sb_dropped_total{reason=\"slow_consumer\"} 2",
        "sb_auth_failures_total{reason=\"expired\"} 1",
        "sb_delivery_latency_seconds_bucket{le=\"0.0005\"} 1",
        "sb_delivery_latency_seconds_bucket{le=\"0.025\"} 2",
        "sb_delivery_latency_seconds_bucket{le=\"2.5\"} 2",
        "sb_delivery_latency_seconds_bucket{le=\"+Inf\"} 3",
        "sb_delivery_latency_seconds_count 3",
        "sb_node_ready{node=\"node-1\"} 1",
        "sb_node_draining{node=\"node-1\"} 0",
    };
    const QList<QByteArray> lines = text.split('\n');
    for (const QByteArray &line : expected)
        QVERIFY2(lines.contains(line), line.constData());
    // Every sample belongs to a family declared with # TYPE before it.
    QSet<QByteArray> declared;
    for (const QByteArray &line : lines) {
        if (line.startsWith("# TYPE "))
            declared.insert(line.split(' ').value(2));
        else if (!line.isEmpty() && !line.startsWith('#')) {
            QByteArray name = line.left(line.indexOf(line.contains('{') ? '{' : ' '));
            for (const char *suffix : { "_bucket", "_sum", "_count" })
                if (name.endsWith(suffix) && !declared.contains(name))
                    name.chop(qstrlen(suffix));
            QVERIFY2(declared.contains(name), line.constData());
        }
    }
    QVERIFY(text.endsWith('\n'));
    QCOMPARE(metrics.toJson()
                 .value(QStringLiteral("dropped"))
                 .toObject()
                 .value(QStringLiteral("slow_consumer"))
                 .toInt(),
        2);
}

SB_TEST_GUILESS_MAIN(TestNodeMetrics)
#include "tst_nodemetrics.moc"
