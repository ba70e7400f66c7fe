// TapClient against real nodes and a scripted tap server: it goes live, says "down" and
// retries when its replica dies, comes back when the replica does, stops at refused
// credentials, and shows the node's dropped-frame notices as "lagging".
#include "NodeTestSupport.h"
#include "inspect/TapClient.h"
#include "inspect/TrafficBatcher.h"

#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

#include <csignal>
#include <sys/types.h>

using namespace sb;
using inspect::TapSourceStatus;
using namespace Qt::StringLiterals;

namespace {

// The newest status and every frame the batcher handed on.
struct TapWatcher
{
    inspect::TrafficBatcher batcher;
    TapSourceStatus status;
    QList<protocol::TrafficFrame> frames;

    TapWatcher()
    {
        QObject::connect(&batcher, &inspect::TrafficBatcher::batchReady, &batcher,
            [this](const inspect::TrafficBatch &batch) {
                batcher.batchApplied();
                frames += batch.frames;
                if (!batch.sources.isEmpty())
                    status = batch.sources.last();
            });
    }
};

QUrl nodeUrl(quint16 port)
{
    return QUrl(u"http://127.0.0.1:%1"_s.arg(port));
}

} // namespace

class TestTapClient : public QObject
{
    Q_OBJECT

private slots:
    void reconnectsWhenItsReplicaComesBack()
    {
        auto node = std::make_unique<testing::NodeProcess>();
        QVERIFY2(node->start(), qPrintable(node->errorString()));
        const quint16 port = node->port();
        TapWatcher watch;
        inspect::TapClient client(
            { u"node-x"_s, nodeUrl(port) }, { {}, u"admin"_s, u"admin"_s }, &watch.batcher);
        client.start();
        QTRY_COMPARE_WITH_TIMEOUT(watch.status.state, TapSourceStatus::State::Live, 10000);
        // Frames flow: an HTTP publish is tapped.
        const QByteArray token = testing::login(port, u"carol"_s);
        QCOMPARE(
            testing::httpPost(port, "/api/channels/general/messages", R"({"text":"hi"})", token).status, 201);
        QTRY_VERIFY_WITH_TIMEOUT(!watch.frames.isEmpty(), 10000);
        QCOMPARE(watch.frames.first().command, u"POST"_s);

        ::kill(pid_t(node->pid()), SIGKILL);
        node->waitForExit(5000);
        QTRY_COMPARE_WITH_TIMEOUT(watch.status.state, TapSourceStatus::State::Down, 10000);
        QVERIFY2(watch.status.detail.contains(u"retrying in"_s), qPrintable(watch.status.detail));

        auto again = std::make_unique<testing::NodeProcess>();
        QVERIFY2(
            again->start({ u"--listen"_s, u"127.0.0.1:%1"_s.arg(port) }), qPrintable(again->errorString()));
        QTRY_COMPARE_WITH_TIMEOUT(watch.status.state, TapSourceStatus::State::Live, 20000);
        QVERIFY(watch.status.reconnects >= 1);
    }

    void refusedCredentialsStopIt()
    {
        testing::NodeProcess node;
        QVERIFY2(node.start(), qPrintable(node.errorString()));
        TapWatcher watch;
        inspect::TapClient wrong(
            { u"node-x"_s, nodeUrl(node.port()) }, { {}, u"admin"_s, u"not-the-password"_s }, &watch.batcher);
        wrong.start();
        QTRY_COMPARE_WITH_TIMEOUT(watch.status.state, TapSourceStatus::State::Refused, 10000);
        QVERIFY2(watch.status.detail.contains(u"401"_s), qPrintable(watch.status.detail));

        // A user without ROLE_ADMIN logs in but the tap itself refuses it.
        TapWatcher user;
        inspect::TapClient alice(
            { u"node-x"_s, nodeUrl(node.port()) }, { {}, u"alice"_s, u"alice"_s }, &user.batcher);
        alice.start();
        QTRY_COMPARE_WITH_TIMEOUT(user.status.state, TapSourceStatus::State::Refused, 10000);
        QCOMPARE(user.status.reconnects, 0);
    }

    void droppedNoticesShowAsLagging()
    {
        // A scripted tap: one notice that 5 frames were dropped, then one frame.
        QWebSocketServer server(u"tap"_s, QWebSocketServer::NonSecureMode);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        QByteArray authorization;
        connect(&server, &QWebSocketServer::newConnection, &server, [&server, &authorization] {
            QWebSocket *socket = server.nextPendingConnection();
            authorization = socket->request().rawHeader("Authorization");
            socket->sendTextMessage(uR"({"type":"dropped","dropped":5,"ts":1})"_s);
            socket->sendTextMessage(
                uR"({"ts":2,"node":"node-7","transport":"stomp","dir":"out","command":"MESSAGE"})"_s);
        });
        TapWatcher watch;
        inspect::TapClient client(
            { u"node-7"_s, nodeUrl(server.serverPort()) }, { "a.b.c", {}, {} }, &watch.batcher);
        client.start();
        QTRY_COMPARE_WITH_TIMEOUT(watch.status.state, TapSourceStatus::State::Lagging, 10000);
        QCOMPARE(watch.status.droppedBySource, 5);
        QCOMPARE(authorization, "Bearer a.b.c"_ba);
        QTRY_COMPARE(watch.frames.size(), 1);
        QCOMPARE(watch.frames.first().source, u"node-7"_s);
        QCOMPARE(watch.status.frames, 1);
        // No further notice: back to live once the hold has passed.
        QTRY_COMPARE_WITH_TIMEOUT(
            watch.status.state, TapSourceStatus::State::Live, inspect::TapClient::kLaggingHoldMs + 5000);
    }

    void tapUrlFollowsTheScheme()
    {
        QCOMPARE(inspect::TapClient::tapUrl(QUrl(u"http://h:1/x?y#z"_s)), QUrl(u"ws://h:1/admin/tap"_s));
        QCOMPARE(inspect::TapClient::tapUrl(QUrl(u"https://h/"_s)), QUrl(u"wss://h/admin/tap"_s));
    }
};

QTEST_GUILESS_MAIN(TestTapClient)
#include "tst_tapclient.moc"
