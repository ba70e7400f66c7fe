// The embedded demo's clients against a real `switchboard node --demo-users`: they log in,
// hold a STOMP session and an SSE stream, post to `general`, and every posted message
// reaches both, as the node's own /metrics counts it.
#include "app/DemoTraffic.h"
#include "support/TestMain.h"

#include "NodeTestSupport.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace sb::testing;
using namespace Qt::StringLiterals;

class TestDemoTraffic : public QObject
{
    Q_OBJECT

private slots:
    void replicaUrlsComeFromTheReadyLine()
    {
        const QJsonObject endpoints { { u"nodes"_s,
            QJsonArray { QJsonObject { { u"id"_s, u"node-1"_s }, { u"url"_s, u"http://127.0.0.1:1"_s } },
                QJsonObject { { u"id"_s, u"node-2"_s }, { u"url"_s, u"http://127.0.0.1:2"_s } } } } };
        QCOMPARE(sb::app::DemoTraffic::replicaUrls(endpoints),
            (QList<QUrl> { QUrl(u"http://127.0.0.1:1"_s), QUrl(u"http://127.0.0.1:2"_s) }));
        QVERIFY(sb::app::DemoTraffic::replicaUrls(QJsonObject {}).isEmpty());
    }

    void everyPostedMessageReachesTheStompSessionAndTheSseStream()
    {
        NodeProcess node;
        QVERIFY2(node.start(), qPrintable(node.errorString()));
        const quint16 port = node.port();
        auto metric = [port](const char *transport, const char *direction) {
            return metricValue(metricsText(port),
                QByteArray("sb_messages_total{transport=\"") + transport + "\",direction=\"" + direction
                    + "\"}");
        };

        sb::app::DemoTraffic traffic(20);
        traffic.start({ QUrl(u"http://127.0.0.1:%1"_s.arg(port)) });
        QTRY_VERIFY_WITH_TIMEOUT(traffic.messagesPosted() >= 10, 20000);
        QCOMPARE(traffic.messagesFailed(), 0);
        // CONNECT and SUBSCRIBE in; CONNECTED and then one MESSAGE per post out.
        QTRY_COMPARE_WITH_TIMEOUT(metric("stomp", "in"), 2.0, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(metric("stomp", "out") >= 1 + 10, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(metric("sse", "out") >= 10, 10000);
    }
};

SB_TEST_GUILESS_MAIN(TestDemoTraffic)
#include "tst_demotraffic.moc"
