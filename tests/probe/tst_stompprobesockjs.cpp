// StompProbeClient against a STOMP server written here on QWebSocketServer, with SockJS's
// WebSocket-transport framing (o, h, a[...], c[...]) or plain: the transport URL, frames
// both ways through SockJS, heart-beats both ways and the silent-server timeout, SockJS's
// close frame, malformed SockJS frames and a WebSocket close code with its reason.
#include "ProbeRecorder.h"
#include "StompTestServer.h"
#include "inspect/StompProbeClient.h"
#include "protocol/SockJsFrame.h"
#include "support/TestMain.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <algorithm>

using namespace sb::inspect;
using namespace sb::protocol;
using sb::testing::ProbeRecorder;
using sb::testing::StompTestServer;
using namespace Qt::StringLiterals;

namespace {

using Dir = TrafficFrame::Direction;
constexpr int kSockJsWaitMs = 10000;

StompProbeSettings sockJsSettings(const StompTestServer &server, const QString &heartBeat = u"0,0"_s)
{
    StompProbeSettings settings;
    settings.url = QUrl(u"http://127.0.0.1:%1/stomp"_s.arg(server.port()));
    settings.sockJs = true;
    settings.connectHeaders
        = { { u"login"_s, u"guest"_s }, { u"passcode"_s, u"secret"_s }, { u"heart-beat"_s, heartBeat } };
    return settings;
}

} // namespace

class TestStompProbeSockJs : public QObject
{
    Q_OBJECT

private slots:
    void framesThroughSockJs();
    void disconnectThroughSockJs();
    void silentServerTimesOut();
    void clientHeartBeatsThroughSockJs();
    void malformedSockJsFrame_data();
    void malformedSockJsFrame();
    void plainWebSocketCloseCode();
    void runsOnAWorkerThread();
};

void TestStompProbeSockJs::framesThroughSockJs()
{
    StompTestServer server(true);
    QVERIFY(server.listen());
    StompProbeClient probe;
    ProbeRecorder saw(&probe);
    QSignalSpy subscribed(&probe, &StompProbeClient::subscribed);
    StompProbeSettings settings = sockJsSettings(server);
    settings.subscriptions = { u"/topic/x"_s };
    probe.start(settings);
    QTRY_COMPARE_WITH_TIMEOUT(subscribed.size(), 1, kSockJsWaitMs);
    static const QRegularExpression transport(u"^/stomp/[0-9]{3}/[a-z0-9]{16}/websocket$"_s);
    QVERIFY2(
        transport.match(server.requestPaths.value(0)).hasMatch(), qPrintable(server.requestPaths.value(0)));

    probe.send(u"/topic/x"_s, "h\xc3\xa9llo \"quoted\"\n"_ba);
    QTRY_VERIFY_WITH_TIMEOUT(saw.find(u"MESSAGE"_s, Dir::Out), kSockJsWaitMs);
    const TrafficFrame message = *saw.find(u"MESSAGE"_s, Dir::Out);
    QCOMPARE(message.messageId, u"m-1"_s);
    QCOMPARE(message.destination, u"/topic/x"_s);
    QCOMPARE(message.body, "h\xc3\xa9llo \"quoted\"\n"_ba); // through JSON both ways, unchanged
    QCOMPARE(message.session, u"s-1"_s);
    QCOMPARE(message.user, u"guest"_s);
    const auto connect = saw.find(u"CONNECT"_s, Dir::In);
    QVERIFY(connect);
    QCOMPARE(connect->header(u"passcode"_s), u"***"_s);
    QCOMPARE(server.received.value(0).header("passcode"), "secret"_ba); // masked in the report only

    // The server ends the session with SockJS's close frame: a failure, with its code and reason.
    server.sendSockJs({ SockJsFrame::Type::Close, {}, 3000, u"Go away!"_s });
    QTRY_COMPARE_WITH_TIMEOUT(probe.state(), ProbeState::Failed, kSockJsWaitMs);
    QCOMPARE(probe.errorString(), u"SockJS closed the session: 3000 Go away!"_s);
}

void TestStompProbeSockJs::disconnectThroughSockJs()
{
    StompTestServer server(true);
    QVERIFY(server.listen());
    StompProbeClient probe;
    ProbeRecorder saw(&probe);
    probe.start(sockJsSettings(server));
    QTRY_COMPARE_WITH_TIMEOUT(probe.state(), ProbeState::Live, kSockJsWaitMs);
    probe.stop();
    QTRY_COMPARE_WITH_TIMEOUT(probe.state(), ProbeState::Closed, kSockJsWaitMs);
    QCOMPARE(saw.lastDetail(), u"disconnected"_s);
    QCOMPARE(server.received.last().command(), "DISCONNECT"_ba);
}

void TestStompProbeSockJs::silentServerTimesOut()
{
    StompTestServer server(true);
    server.sendSockJsHeartBeatFirst = true;
    server.connectedHeartBeat = "200,0"; // the server promises an EOL every 200 ms, and sends none
    QVERIFY(server.listen());
    StompProbeClient probe;
    probe.start(sockJsSettings(server, u"0,200"_s));
    QTRY_COMPARE_WITH_TIMEOUT(probe.state(), ProbeState::Live, kSockJsWaitMs);
    QCOMPARE(probe.heartBeat().incomingMs, qint64(200));
    QCOMPARE(probe.heartBeat().outgoingMs, qint64(0));
    QCOMPARE(probe.heartBeatsReceived(), qint64(1)); // SockJS's h counts as a sign of life
    QElapsedTimer timer;
    timer.start();
    QTRY_COMPARE_WITH_TIMEOUT(probe.state(), ProbeState::Failed, kSockJsWaitMs);
    QVERIFY2(timer.elapsed() >= 350, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(probe.errorString(),
        u"heart-beat timeout: the server sent nothing for 400 ms (its heart-beat interval is 200 ms)"_s);
}

void TestStompProbeSockJs::clientHeartBeatsThroughSockJs()
{
    StompTestServer server(true);
    server.connectedHeartBeat = "0,100";
    QVERIFY(server.listen());
    StompProbeClient probe;
    ProbeRecorder saw(&probe);
    probe.start(sockJsSettings(server, u"100,0"_s));
    QTRY_COMPARE_WITH_TIMEOUT(probe.state(), ProbeState::Live, kSockJsWaitMs);
    QCOMPARE(probe.heartBeat().outgoingMs, qint64(100));
    // Each EOL travels as SockJS's ["\n"]; the server's decoder counts them.
    QTRY_VERIFY_WITH_TIMEOUT(server.heartBeatsReceived >= 3, kSockJsWaitMs);
    QVERIFY(probe.heartBeatsSent() >= 3);
    QCOMPARE(saw.commands(), u"in:CONNECT out:CONNECTED"_s);
}

void TestStompProbeSockJs::malformedSockJsFrame_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("error");
    QTest::newRow("number in array") << "a[1]"_ba << u"message 1 of the array is not a string"_s;
    QTest::newRow("trailing garbage") << R"(a["x"]]])"_ba << u"unexpected bytes after the frame"_s;
    QTest::newRow("unknown type") << "z"_ba << u"unknown SockJS frame type 'z'"_s;
    QTest::newRow("second open") << "o"_ba << u"open frame 'o' twice"_s;
}

void TestStompProbeSockJs::malformedSockJsFrame()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, error);
    StompTestServer server(true);
    QVERIFY(server.listen());
    StompProbeClient probe;
    probe.start(sockJsSettings(server));
    QTRY_COMPARE_WITH_TIMEOUT(probe.state(), ProbeState::Live, kSockJsWaitMs);
    server.sendRaw(payload);
    QTRY_COMPARE_WITH_TIMEOUT(probe.state(), ProbeState::Failed, kSockJsWaitMs);
    QVERIFY2(probe.errorString().contains(error), qPrintable(probe.errorString()));
}

void TestStompProbeSockJs::plainWebSocketCloseCode()
{
    StompTestServer server(false);
    QVERIFY(server.listen());
    StompProbeClient probe;
    StompProbeSettings settings;
    settings.url = QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(server.port()));
    settings.subprotocols = { u"v12.stomp"_s };
    probe.start(settings);
    QTRY_COMPARE_WITH_TIMEOUT(probe.state(), ProbeState::Live, kSockJsWaitMs);
    server.client()->close(QWebSocketProtocol::CloseCode(4001), u"custom reason"_s);
    QTRY_COMPARE_WITH_TIMEOUT(probe.state(), ProbeState::Failed, kSockJsWaitMs);
    QCOMPARE(
        probe.errorString(), u"the server closed the connection (WebSocket close 4001: custom reason)"_s);
}

void TestStompProbeSockJs::runsOnAWorkerThread()
{
    // As the console runs it: on its capture thread, driven by queued calls, its signals
    // queued back. Its socket and timers must live on that thread too (Qt warns and the
    // timers never fire otherwise: the heart-beats below would not go out).
    StompTestServer server(true);
    server.connectedHeartBeat = "0,100";
    QVERIFY(server.listen());
    QThread worker;
    worker.start();
    auto *probe = new StompProbeClient;
    probe->moveToThread(&worker);
    QList<TrafficFrame> frames;
    QList<ProbeState> states;
    QObject::connect(
        probe, &StompProbeClient::frame, this, [&frames](const TrafficFrame &frame) { frames << frame; });
    QObject::connect(probe, &StompProbeClient::stateChanged, this,
        [&states](ProbeState state, const QString &) { states << state; });
    StompProbeSettings settings = sockJsSettings(server, u"100,0"_s);
    settings.subscriptions = { u"/topic/x"_s };
    QMetaObject::invokeMethod(
        probe, [probe, settings] { probe->start(settings); }, Qt::QueuedConnection);
    QTRY_VERIFY_WITH_TIMEOUT(states.contains(ProbeState::Live), kSockJsWaitMs);
    QMetaObject::invokeMethod(
        probe, [probe] { probe->send(u"/topic/x"_s, "from a thread"_ba); }, Qt::QueuedConnection);
    QTRY_VERIFY_WITH_TIMEOUT(
        std::any_of(frames.cbegin(), frames.cend(),
            [](const TrafficFrame &f) { return f.command == u"MESSAGE" && f.body == "from a thread"; }),
        kSockJsWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(server.heartBeatsReceived >= 2, kSockJsWaitMs);
    QMetaObject::invokeMethod(probe, &StompProbeClient::stop, Qt::QueuedConnection);
    QTRY_VERIFY_WITH_TIMEOUT(states.contains(ProbeState::Closed), kSockJsWaitMs);
    QObject::connect(&worker, &QThread::finished, probe, &QObject::deleteLater);
    worker.quit();
    QVERIFY(worker.wait(5000));
}

SB_TEST_GUILESS_MAIN(TestStompProbeSockJs)
#include "tst_stompprobesockjs.moc"
