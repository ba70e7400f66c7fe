// StompProbeClient against RabbitMQ Web-STOMP, a STOMP broker nobody here wrote: Debian's
// rabbitmq-server with the rabbitmq_web_stomp plugin, started by the test on loopback ports
// of its own in a temporary directory (RabbitMqBroker), and killed by pid at the end.
#include "ProbeRecorder.h"
#include "RabbitMqBroker.h"
#include "inspect/StompProbeClient.h"
#include "support/TestMain.h"

#include <QDeadlineTimer>
#include <QSignalSpy>
#include <QTest>

using namespace sb::inspect;
using sb::protocol::TrafficFrame;
using sb::testing::ProbeRecorder;
using sb::testing::RabbitMqBroker;
using namespace Qt::StringLiterals;

namespace {

using Dir = TrafficFrame::Direction;
constexpr int kRabbitWaitMs = 15000;
// A cold Erlang boot on a busy 2-core machine takes 20-60 s. Two starts (the second with
// fresh ports, after a clash) share this, within the test's 300 s.
constexpr int kRabbitStartMs = 240000;
constexpr int kRabbitOneStartMs = 150000;
constexpr int kRabbitRetryAtLeastMs = 60000; // no second start with less time left than this

} // namespace

class TestStompProbeRabbitMq : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void subscribeSendReceive();
    void wrongPasscodeIsStompError();
    void hostIsTheVirtualHost();

private:
    StompProbeSettings settings(const QString &passcode) const;

    std::unique_ptr<RabbitMqBroker> m_broker;
};

void TestStompProbeRabbitMq::initTestCase()
{
    if (const QString missing = RabbitMqBroker::missing(); !missing.isEmpty())
        QSKIP(qPrintable(missing));
    const QDeadlineTimer deadline(kRabbitStartMs);
    QString failures;
    for (int attempt = 1; attempt <= 2; ++attempt) {
        m_broker = std::make_unique<RabbitMqBroker>();
        if (m_broker->start(QDeadlineTimer(qMin(deadline.remainingTime(), qint64(kRabbitOneStartMs)))))
            return;
        failures += u"start %1: %2\n"_s.arg(attempt).arg(m_broker->errorString());
        // Once more with fresh ports when another process took one of them.
        if (!m_broker->portClash() || deadline.remainingTime() < kRabbitRetryAtLeastMs)
            break;
        qWarning().noquote() << "RabbitMQ start" << attempt
                             << "failed, once more with fresh ports:" << m_broker->errorString();
    }
    QFAIL(qPrintable(failures));
}

void TestStompProbeRabbitMq::cleanup()
{
    // A test that cannot reach the broker says what became of it.
    if (QTest::currentTestFailed() && m_broker)
        qWarning().noquote() << m_broker->describe();
}

StompProbeSettings TestStompProbeRabbitMq::settings(const QString &passcode) const
{
    StompProbeSettings settings;
    settings.url = QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(m_broker->stompPort()));
    settings.connectHeaders
        = { { u"login"_s, u"guest"_s }, { u"passcode"_s, passcode }, { u"heart-beat"_s, u"1000,1000"_s } };
    settings.source = u"rabbitmq"_s;
    return settings;
}

void TestStompProbeRabbitMq::subscribeSendReceive()
{
    StompProbeClient probe;
    ProbeRecorder saw(&probe);
    QSignalSpy subscribed(&probe, &StompProbeClient::subscribed);
    StompProbeSettings s = settings(u"guest"_s);
    s.subscriptions = { u"/topic/x"_s };
    probe.start(s);
    QTRY_VERIFY2_WITH_TIMEOUT(subscribed.size() == 1,
        qPrintable(u"probe %1, saw %2"_s.arg(probe.errorString(), saw.commands())), kRabbitWaitMs);
    QCOMPARE(probe.version(), sb::protocol::StompVersion::V1_2);
    QVERIFY2(probe.subprotocol().startsWith(u'v') && probe.subprotocol().endsWith(u".stomp"_s),
        qPrintable(probe.subprotocol()));
    QVERIFY(probe.heartBeat().outgoingMs > 0);
    QVERIFY(probe.heartBeat().incomingMs > 0);
    const auto connected = saw.find(u"CONNECTED"_s, Dir::Out);
    QVERIFY(connected);
    QVERIFY2(
        connected->header(u"server"_s).startsWith(u"RabbitMQ"_s), qPrintable(connected->header(u"server"_s)));

    probe.send(u"/topic/x"_s, "hello rabbit"_ba);
    QTRY_VERIFY2_WITH_TIMEOUT(saw.find(u"MESSAGE"_s, Dir::Out), qPrintable(saw.commands()), kRabbitWaitMs);
    const TrafficFrame message = *saw.find(u"MESSAGE"_s, Dir::Out);
    QCOMPARE(message.body, "hello rabbit"_ba);
    QCOMPARE(message.destination, u"/topic/x"_s);
    QCOMPARE(message.header(u"subscription"_s), u"sub-0"_s);
    QVERIFY(!message.messageId.isEmpty());
    QCOMPARE(message.source, u"rabbitmq"_s);

    // Heart-beats both ways with a broker nobody here wrote.
    QTRY_VERIFY_WITH_TIMEOUT(probe.heartBeatsSent() >= 1 && probe.heartBeatsReceived() >= 1, kRabbitWaitMs);
    QCOMPARE(probe.state(), ProbeState::Live);
    probe.stop();
    QTRY_COMPARE_WITH_TIMEOUT(probe.state(), ProbeState::Closed, kRabbitWaitMs);
}

void TestStompProbeRabbitMq::wrongPasscodeIsStompError()
{
    StompProbeClient probe;
    ProbeRecorder saw(&probe);
    probe.start(settings(u"not-the-passcode"_s));
    QTRY_COMPARE_WITH_TIMEOUT(probe.state(), ProbeState::Failed, kRabbitWaitMs);
    // RabbitMQ's terse message, with the reason its body gives.
    QVERIFY2(
        probe.errorString().startsWith(u"STOMP ERROR: Bad CONNECT ("_s), qPrintable(probe.errorString()));
    QVERIFY2(probe.errorString().contains(u"guest"_s), qPrintable(probe.errorString()));
    QVERIFY(saw.find(u"ERROR"_s, Dir::Out));
}

void TestStompProbeRabbitMq::hostIsTheVirtualHost()
{
    StompProbeClient probe;
    StompProbeSettings s = settings(u"guest"_s);
    s.connectHeaders.append({ u"host"_s, u"no-such-vhost"_s });
    probe.start(s);
    QTRY_COMPARE_WITH_TIMEOUT(probe.state(), ProbeState::Failed, kRabbitWaitMs);
    QVERIFY2(probe.errorString().contains(u"no-such-vhost"_s), qPrintable(probe.errorString()));
    s.connectHeaders.last().second = u"/"_s;
    probe.start(s);
    QTRY_COMPARE_WITH_TIMEOUT(probe.state(), ProbeState::Live, kRabbitWaitMs);
}

SB_TEST_GUILESS_MAIN(TestStompProbeRabbitMq)
#include "tst_stompproberabbitmq.moc"
