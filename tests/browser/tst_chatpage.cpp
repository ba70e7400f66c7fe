// The chat page's files from a real switchboard-node (the headless binary, which links no
// GUI module: the page is compiled into it), their content types and headers; paths outside
// the page's fixed set answer 404; GET /api/replicas lists the replica itself.
#include "NodeTestSupport.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QThread>

using namespace sb::testing;

class TestChatPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(m_node.start({ QStringLiteral("--id"), QStringLiteral("page-node") }),
            qPrintable(m_node.errorString()));
    }

    void servesThePageFiles_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("contains");
        const QByteArray html = "text/html; charset=utf-8";
        const QByteArray js = "text/javascript; charset=utf-8";
        QTest::newRow("/") << QByteArray("/") << html << QByteArray("<title>Switchboard chat</title>");
        QTest::newRow("/index.html") << QByteArray("/index.html") << html
                                     << QByteArray("<script type=\"module\" src=\"/chat.js\">");
        QTest::newRow("/chat.css") << QByteArray("/chat.css") << QByteArray("text/css; charset=utf-8")
                                   << QByteArray(".messages");
        QTest::newRow("/chat.js") << QByteArray("/chat.js") << js << QByteArray("from './stomp.js'");
        QTest::newRow("/stomp.js") << QByteArray("/stomp.js") << js << QByteArray("export class StompClient");
        QTest::newRow("/notifications.js")
            << QByteArray("/notifications.js") << js << QByteArray("/api/sse/ticket");
        QTest::newRow("/replicas.js") << QByteArray("/replicas.js") << js << QByteArray("/api/replicas");
        QTest::newRow("/view.js") << QByteArray("/view.js") << js << QByteArray("export const view");
    }

    void servesThePageFiles()
    {
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, contains);
        const HttpResult result = httpGet(m_node.port(), path);
        QCOMPARE(result.status, 200);
        QCOMPARE(result.headers.value("content-type"), contentType);
        QVERIFY2(result.body.contains(contains), result.body.left(200).constData());
        QCOMPARE(result.headers.value("content-length").toLongLong(), result.body.size());
        QCOMPARE(result.headers.value("cache-control"), QByteArray("no-cache"));
        QCOMPARE(result.headers.value("x-content-type-options"), QByteArray("nosniff"));
        QVERIFY(result.headers.value("content-security-policy").contains("script-src 'self'"));
    }

    void otherPathsAre404_data()
    {
        QTest::addColumn<QByteArray>("path");
        for (const char *path : { "/nope.js", "/chat.js/", "/chat/chat.js", "/chat.qrc", "/index.htm",
                 "/CHAT.JS", "/../chat.js", "/%2e%2e/chat.js", "/.", "//" })
            QTest::newRow(path) << QByteArray(path);
    }

    void otherPathsAre404()
    {
        QFETCH(QByteArray, path);
        const HttpResult result = httpGet(m_node.port(), path);
        QCOMPARE(result.status, 404);
        QVERIFY(result.headers.value("content-type").startsWith("application/json"));
    }

    void onlyGet()
    {
        const HttpResult result = httpPost(m_node.port(), "/", "{}");
        QCOMPARE(result.status, 405);
        QCOMPARE(result.headers.value("allow"), QByteArray("GET"));
    }

    // Alone (no --redis) the registry is the process's own: it lists this replica, once
    // its first announcement is in (at start, then every second).
    void replicasListsThisReplica()
    {
        const QByteArray url = "http://127.0.0.1:" + QByteArray::number(m_node.port());
        QJsonObject answer;
        const QDeadlineTimer deadline(5000);
        do {
            const HttpResult result = httpGet(m_node.port(), "/api/replicas");
            QCOMPARE(result.status, 200);
            QCOMPARE(result.headers.value("content-type"), QByteArray("application/json"));
            answer = QJsonDocument::fromJson(result.body).object();
            if (!answer.value(QStringLiteral("replicas")).toArray().isEmpty())
                break;
            QThread::msleep(50);
        } while (!deadline.hasExpired());
        QCOMPARE(answer.value(QStringLiteral("self")).toString(), QStringLiteral("page-node"));
        const QJsonArray replicas = answer.value(QStringLiteral("replicas")).toArray();
        QCOMPARE(replicas.size(), 1);
        const QJsonObject self = replicas.first().toObject();
        QCOMPARE(self.value(QStringLiteral("id")).toString(), QStringLiteral("page-node"));
        QCOMPARE(self.value(QStringLiteral("url")).toString(), QString::fromLatin1(url));
        QCOMPARE(self.value(QStringLiteral("ready")).toBool(), true);
        QCOMPARE(self.value(QStringLiteral("draining")).toBool(), false);
    }

private:
    NodeProcess m_node;
};

QTEST_GUILESS_MAIN(TestChatPage)
#include "tst_chatpage.moc"
