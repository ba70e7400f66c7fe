// StompProbeClient against a real `switchboard node --demo-users`: login, CONNECT with the
// bearer token, SUBSCRIBE, SEND, MESSAGE with one message-id for every subscriber,
// heart-beats both ways, and a clear error for each way a connection fails.
#include "NodeTestSupport.h"
#include "ProbeRecorder.h"
#include "inspect/StompProbeClient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace sb::inspect;
using sb::protocol::TrafficFrame;
using sb::testing::ProbeRecorder;
using namespace Qt::StringLiterals;

namespace {
using Dir = TrafficFrame::Direction;
constexpr int kWaitMs = 15000;
} // namespace

class TestStompProbe : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void sendReachesEverySubscriber();
    void heartBeatsBothWays();
    void badTokenIsStompError();
    void forbiddenSubscribeIsStompError();
    void connectionRefused();
    void handshakeStatus();
    void badSettingsFailAtOnce();
    void stopSaysDisconnect();

private:
    StompProbeSettings settingsFor(const QString &user, const QString &heartBeat = u"0,0"_s) const;

    sb::testing::NodeProcess m_node;
};

void TestStompProbe::initTestCase()
{
    // The node offers 500 ms heart-beats, so a test sees several within a second or two,
    // and drops a client that sends nothing for 1.5 s.
    QVERIFY2(m_node.start({ u"--heartbeat-ms"_s, u"500"_s }), qPrintable(m_node.errorString()));
}

StompProbeSettings TestStompProbe::settingsFor(const QString &user, const QString &heartBeat) const
{
    const QByteArray token = sb::testing::login(m_node.port(), user);
    StompProbeSettings settings;
    settings.url = QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(m_node.port()));
    settings.connectHeaders = { { u"Authorization"_s, u"Bearer "_s + QString::fromLatin1(token) },
        { u"heart-beat"_s, heartBeat } };
    settings.source = u"probe-"_s + user;
    return settings;
}

void TestStompProbe::sendReachesEverySubscriber()
{
    StompProbeClient alice;
    ProbeRecorder aliceSaw(&alice);
    StompProbeClient bob;
    ProbeRecorder bobSaw(&bob);
    QSignalSpy aliceSubscribed(&alice, &StompProbeClient::subscribed);
    QSignalSpy bobSubscribed(&bob, &StompProbeClient::subscribed);

    StompProbeSettings aliceSettings = settingsFor(u"alice"_s);
    aliceSettings.subscriptions = { u"/topic/channels.general"_s };
    StompProbeSettings bobSettings = settingsFor(u"bob"_s);
    bobSettings.subscriptions = { u"/topic/channels.general"_s };
    alice.start(aliceSettings);
    bob.start(bobSettings);
    QTRY_COMPARE_WITH_TIMEOUT(aliceSubscribed.size(), 1, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(bobSubscribed.size(), 1, kWaitMs);
    QCOMPARE(aliceSubscribed.at(0).at(0).toString(), u"sub-0"_s);
    QCOMPARE(aliceSubscribed.at(0).at(1).toString(), u"/topic/channels.general"_s);
    QCOMPARE(alice.state(), ProbeState::Live);
    QCOMPARE(alice.subprotocol(), u"v12.stomp"_s);
    QCOMPARE(alice.version(), sb::protocol::StompVersion::V1_2);

    alice.send(u"/app/channels.general"_s, R"({"text":"hello from the probe"})"_ba,
        { { u"content-type"_s, u"application/json"_s } });
    const auto isMessage = [](const TrafficFrame &frame) {
        return frame.command == u"MESSAGE" && frame.direction == Dir::Out
            && frame.body.contains("hello from the probe");
    };
    QTRY_VERIFY2_WITH_TIMEOUT(aliceSaw.find(isMessage), qPrintable(aliceSaw.commands()), kWaitMs);
    QTRY_VERIFY2_WITH_TIMEOUT(bobSaw.find(isMessage), qPrintable(bobSaw.commands()), kWaitMs);
    const TrafficFrame aliceMessage = *aliceSaw.find(isMessage);
    const TrafficFrame bobMessage = *bobSaw.find(isMessage);
    QVERIFY(!aliceMessage.messageId.isEmpty());
    QCOMPARE(aliceMessage.messageId, aliceMessage.header(u"message-id"_s));
    QCOMPARE(bobMessage.messageId, aliceMessage.messageId); // one message, one id, everywhere
    QCOMPARE(aliceMessage.destination, u"/topic/channels.general"_s);
    QCOMPARE(aliceMessage.source, u"probe-alice"_s);
    QCOMPARE(aliceMessage.transport, TrafficFrame::Transport::Stomp);
    QVERIFY(aliceMessage.bytes > aliceMessage.body.size());
    QCOMPARE(QJsonDocument::fromJson(aliceMessage.body).object().value(u"sender"_s).toString(), u"alice"_s);

    // What the probe sent is reported too, direction In, with the token masked.
    const auto connect = aliceSaw.find(u"CONNECT"_s, Dir::In);
    QVERIFY(connect);
    QCOMPARE(connect->header(u"Authorization"_s), u"***"_s);
    QCOMPARE(connect->header(u"accept-version"_s), u"1.2,1.1,1.0"_s);
    QCOMPARE(connect->header(u"heart-beat"_s), u"0,0"_s);
    QVERIFY(connect->header(u"host"_s).isEmpty()); // not added: RabbitMQ would take it for a vhost
    const auto connected = aliceSaw.find(u"CONNECTED"_s, Dir::Out);
    QVERIFY(connected);
    QVERIFY(!alice.session().isEmpty());
    QCOMPARE(connected->header(u"session"_s), alice.session());
    QCOMPARE(aliceMessage.session, alice.session());
    QCOMPARE(aliceMessage.user, u"alice"_s);
    const auto send = aliceSaw.find(u"SEND"_s, Dir::In);
    QVERIFY(send);
    QCOMPARE(send->destination, u"/app/channels.general"_s);
    QVERIFY(aliceSaw.find(u"SUBSCRIBE"_s, Dir::In));
    QVERIFY(aliceSaw.find(u"RECEIPT"_s, Dir::Out));

    // ACK and UNSUBSCRIBE go out as frames the node accepts (it would send ERROR otherwise).
    alice.ack(aliceMessage.messageId);
    alice.unsubscribe(u"sub-0"_s);
    QTRY_VERIFY_WITH_TIMEOUT(aliceSaw.find(u"UNSUBSCRIBE"_s, Dir::In), kWaitMs);
    const auto ack = aliceSaw.find(u"ACK"_s, Dir::In);
    QVERIFY(ack);
    QCOMPARE(ack->header(u"id"_s), aliceMessage.messageId);
    // Frames are handled in order: once a later SUBSCRIBE's RECEIPT is back, an ERROR for
    // the ACK or the UNSUBSCRIBE would have come before it.
    alice.subscribe(u"/topic/presence"_s);
    QTRY_COMPARE_WITH_TIMEOUT(aliceSubscribed.size(), 2, kWaitMs);
    QCOMPARE(alice.state(), ProbeState::Live);
    QVERIFY2(!aliceSaw.find(u"ERROR"_s, Dir::Out), qPrintable(aliceSaw.commands()));
}

void TestStompProbe::heartBeatsBothWays()
{
    StompProbeClient probe;
    ProbeRecorder saw(&probe);
    QSignalSpy beats(&probe, &StompProbeClient::heartBeatsChanged);
    probe.start(settingsFor(u"carol"_s, u"500,500"_s));
    QTRY_COMPARE_WITH_TIMEOUT(probe.state(), ProbeState::Live, kWaitMs);
    QCOMPARE(probe.heartBeat().outgoingMs, qint64(500));
    QCOMPARE(probe.heartBeat().incomingMs, qint64(500));
    // The node closes a client silent for 3 intervals (1.5 s): still Live after 3 s means
    // our EOLs arrived; and its own EOLs are counted, never emitted as frames.
    QTRY_VERIFY_WITH_TIMEOUT(probe.heartBeatsSent() >= 6 && probe.heartBeatsReceived() >= 4, kWaitMs);
    QCOMPARE(probe.state(), ProbeState::Live);
    QVERIFY(!beats.isEmpty());
    const QList<QVariant> last = beats.last();
    QVERIFY(last.at(0).toLongLong() >= 1 && last.at(1).toLongLong() >= 1);
    QCOMPARE(saw.commands(), u"in:CONNECT out:CONNECTED"_s); // nothing per heart-beat
    QCOMPARE(sb::testing::metricValue(sb::testing::metricsText(m_node.port()), "sb_heartbeat_timeouts_total"),
        0.0);
}

void TestStompProbe::badTokenIsStompError()
{
    StompProbeClient probe;
    ProbeRecorder saw(&probe);
    StompProbeSettings settings = settingsFor(u"alice"_s);
    settings.connectHeaders[0].second = u"Bearer not-a-token"_s;
    probe.start(settings);
    QTRY_COMPARE_WITH_TIMEOUT(probe.state(), ProbeState::Failed, kWaitMs);
    QVERIFY2(probe.errorString().startsWith(u"STOMP ERROR: "_s), qPrintable(probe.errorString()));
    QVERIFY(saw.find(u"ERROR"_s, Dir::Out));
    QCOMPARE(saw.states.last(), ProbeState::Failed);
    QCOMPARE(saw.lastDetail(), probe.errorString());
}

void TestStompProbe::forbiddenSubscribeIsStompError()
{
    StompProbeClient probe;
    ProbeRecorder saw(&probe);
    StompProbeSettings settings = settingsFor(u"carol"_s);
    settings.subscriptions = { u"/topic/channels.ops"_s }; // carol is not in ops
    probe.start(settings);
    QTRY_COMPARE_WITH_TIMEOUT(probe.state(), ProbeState::Failed, kWaitMs);
    QVERIFY2(
        probe.errorString().contains(u"not a member of channel 'ops'"_s), qPrintable(probe.errorString()));
}

void TestStompProbe::connectionRefused()
{
    quint16 port = 0;
    {
        QTcpServer server; // a port nothing listens on any more
        QVERIFY(server.listen(QHostAddress::LocalHost));
        port = server.serverPort();
    }
    StompProbeClient probe;
    ProbeRecorder saw(&probe);
    StompProbeSettings settings;
    settings.url = QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(port));
    probe.start(settings);
    QTRY_COMPARE_WITH_TIMEOUT(probe.state(), ProbeState::Failed, kWaitMs);
    QCOMPARE(probe.errorString(), u"connection refused by 127.0.0.1:%1"_s.arg(port));
    QCOMPARE(saw.states, (QList { ProbeState::Connecting, ProbeState::Failed }));
}

void TestStompProbe::handshakeStatus()
{
    StompProbeClient probe;
    StompProbeSettings settings;
    settings.url = QUrl(u"ws://127.0.0.1:%1/not-a-stomp-endpoint"_s.arg(m_node.port()));
    probe.start(settings);
    QTRY_COMPARE_WITH_TIMEOUT(probe.state(), ProbeState::Failed, kWaitMs);
    QVERIFY2(probe.errorString().startsWith(u"WebSocket handshake refused: HTTP 404"_s),
        qPrintable(probe.errorString()));
}

void TestStompProbe::badSettingsFailAtOnce()
{
    StompProbeClient probe;
    StompProbeSettings settings;
    settings.url = QUrl(u"http://127.0.0.1:1/ws"_s);
    probe.start(settings);
    QCOMPARE(probe.state(), ProbeState::Failed);
    QVERIFY2(probe.errorString().contains(u"ws:// or wss://"_s), qPrintable(probe.errorString()));
}

void TestStompProbe::stopSaysDisconnect()
{
    StompProbeClient probe;
    ProbeRecorder saw(&probe);
    probe.start(settingsFor(u"bob"_s));
    QTRY_COMPARE_WITH_TIMEOUT(probe.state(), ProbeState::Live, kWaitMs);
    probe.stop();
    QTRY_COMPARE_WITH_TIMEOUT(probe.state(), ProbeState::Closed, kWaitMs);
    QVERIFY(saw.find(u"DISCONNECT"_s, Dir::In));
    const auto receipt = saw.find(u"RECEIPT"_s, Dir::Out);
    QVERIFY2(receipt, qPrintable(saw.commands()));
    QCOMPARE(receipt->header(u"receipt-id"_s), u"disconnect"_s);
    QCOMPARE(saw.lastDetail(), u"disconnected"_s);
}

QTEST_GUILESS_MAIN(TestStompProbe)
#include "tst_stompprobe.moc"
