// The Redis bus's catch-up in /metrics (issue 12): a replica with `--bus redis` reports
// what its catch-up from stage 1 did (rounds, messages delivered from stage 1, repeats
// dropped, live messages dropped past the ceiling and how often the ceiling was hit) and
// the ceiling itself, --catch-up-max-held, as configured, and whether a round is reading
// stage 1 now. Its first subscription to the channel starts a round, so a ready replica has
// done at least one.

#include "NodeClusterFixture.h"
#include "NodeTestSupport.h"
#include "support/TestMain.h"

#include <QDeadlineTimer>
#include <QTest>

using namespace sb::testing;

class TestNodeCatchUpMetrics : public QObject
{
    Q_OBJECT
private slots:
    void catchUpFiguresAndCeilingAreInMetrics()
    {
        NodeClusterFixture cluster;
        QString error;
        QVERIFY2(cluster.start(&error), qPrintable(error));
        NodeProcess node;
        QVERIFY2(node.start(cluster.args(QStringLiteral("catchup-1"))
                     + QStringList { QStringLiteral("--bus"), QStringLiteral("redis"),
                         QStringLiteral("--catch-up-max-held"), QStringLiteral("7") }),
            qPrintable(node.errorString()));
        const QDeadlineTimer deadline(60000);
        while (httpGet(node.port(), "/healthz/ready").status != 200 && !deadline.hasExpired())
            QTest::qWait(100);
        QCOMPARE(httpGet(node.port(), "/healthz/ready").status, 200);

        const QByteArray text = metricsText(node.port());
        QCOMPARE(metricValue(text, "sb_bus_catchup_max_held"), 7.0);
        QVERIFY2(text.contains("# TYPE sb_bus_catchup_max_held gauge"), text.constData());
        // Ready once its first round completed; none runs until the channel re-subscribes.
        QVERIFY2(text.contains("# TYPE sb_bus_catchup_running gauge\nsb_bus_catchup_running 0\n"),
            text.constData());
        QVERIFY2(waitForMetric(node.port(), "sb_bus_catchup_rounds_total", 1, 20000) >= 1, text.constData());
        for (const char *counter : { "sb_bus_catchup_delivered_total", "sb_bus_catchup_repeats_dropped_total",
                 "sb_bus_catchup_held_dropped_total", "sb_bus_catchup_ceiling_hits_total" }) {
            const QByteArray declared = QByteArray("# TYPE ") + counter + " counter\n" + counter + ' ';
            QVERIFY2(text.contains(declared),
                qPrintable(QStringLiteral("%1 missing from /metrics:\n%2")
                               .arg(QLatin1String(counter), QString::fromUtf8(text))));
        }
        // Stage 1's figures too: a message published here is counted as published.
        const QByteArray token = login(node.port(), QStringLiteral("alice"));
        QCOMPARE(
            httpPost(node.port(), "/api/channels/general/messages", R"({"text":"counted"})", token).status,
            201);
        QCOMPARE(metricValue(metricsText(node.port()), "sb_bus_published_total"), 1.0);
    }
};

SB_TEST_GUILESS_MAIN(TestNodeCatchUpMetrics)
#include "tst_nodecatchupmetrics.moc"
