// StompProbeClient against RabbitMQ Web-STOMP, a STOMP broker nobody here wrote: Debian's
// rabbitmq-server with the rabbitmq_web_stomp plugin, started by the test on ephemeral
// loopback ports (AMQP, Erlang distribution, epmd, Web-STOMP) in a temporary directory,
// and killed by pid at the end.
#include "ProbeRecorder.h"
#include "inspect/StompProbeClient.h"
#include "support/RedisServerProcess.h"
#include "support/TestMain.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/prctl.h>

using namespace sb::inspect;
using sb::protocol::TrafficFrame;
using sb::testing::ProbeRecorder;
using namespace Qt::StringLiterals;

namespace {

using Dir = TrafficFrame::Direction;
constexpr int kRabbitWaitMs = 15000;
constexpr int kBrokerStartMs = 150000; // a cold Erlang boot on a busy 2-core machine takes 20-60 s

// One private broker. The server script runs as one process (RABBITMQ_ALLOW_INPUT makes it
// exec the VM instead of forking it; -noinput keeps the VM's shell off stdin), and epmd is
// our own foreground child rather than a daemon, so both are stopped by their pids, and
// die with the test if it dies first (PR_SET_PDEATHSIG).
class RabbitMqBroker
{
public:
    ~RabbitMqBroker()
    {
        for (QProcess *process : { &m_broker, &m_epmd }) {
            if (process->state() != QProcess::NotRunning) {
                ::kill(pid_t(process->processId()), SIGKILL);
                process->waitForFinished(10000);
            }
        }
    }

    static QString serverScript()
    {
        const QString path = u"/usr/lib/rabbitmq/bin/rabbitmq-server"_s;
        return QFile::exists(path) ? path : QString();
    }
    static QString epmd()
    {
        for (const QString &path : { u"/usr/lib/erlang/bin/epmd"_s, u"/usr/bin/epmd"_s })
            if (QFile::exists(path))
                return path;
        return {};
    }

    quint16 stompPort() const { return m_stompPort; }
    QString errorString() const { return m_error; }

    bool start()
    {
        if (!m_dir.isValid())
            return fail(u"cannot create a temporary directory"_s);
        const quint16 amqp = sb::testing::RedisServerProcess::freePort();
        const quint16 dist = sb::testing::RedisServerProcess::freePort();
        const quint16 epmdPort = sb::testing::RedisServerProcess::freePort();
        m_stompPort = sb::testing::RedisServerProcess::freePort();
        const QString config = m_dir.filePath(u"rabbitmq.conf"_s);
        if (!write(config,
                u"listeners.tcp.default = 127.0.0.1:%1\n"
                "web_stomp.tcp.port = %2\n"
                "web_stomp.tcp.ip = 127.0.0.1\n"
                "loopback_users = none\n"
                "log.console = true\n"
                "log.file = false\n"_s.arg(amqp)
                    .arg(m_stompPort))
            || !write(m_dir.filePath(u"enabled_plugins"_s), u"[rabbitmq_web_stomp].\n"_s)
            || !write(m_dir.filePath(u"rabbitmq-env.conf"_s), QString()))
            return fail(u"cannot write the broker's configuration"_s);

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"HOME"_s, m_dir.path()); // the Erlang cookie goes here, not in ~
        env.insert(u"ERL_EPMD_PORT"_s, QString::number(epmdPort));
        env.insert(u"RABBITMQ_NODENAME"_s, u"sbprobe%1@localhost"_s.arg(QCoreApplication::applicationPid()));
        env.insert(u"RABBITMQ_NODE_IP_ADDRESS"_s, u"127.0.0.1"_s);
        env.insert(u"RABBITMQ_NODE_PORT"_s, QString::number(amqp));
        env.insert(u"RABBITMQ_DIST_PORT"_s, QString::number(dist));
        env.insert(u"RABBITMQ_CONFIG_FILE"_s, config);
        env.insert(u"RABBITMQ_CONF_ENV_FILE"_s, m_dir.filePath(u"rabbitmq-env.conf"_s));
        env.insert(u"RABBITMQ_ADVANCED_CONFIG_FILE"_s, m_dir.filePath(u"advanced.config"_s));
        env.insert(u"RABBITMQ_ENABLED_PLUGINS_FILE"_s, m_dir.filePath(u"enabled_plugins"_s));
        env.insert(u"RABBITMQ_MNESIA_BASE"_s, m_dir.filePath(u"mnesia"_s));
        env.insert(u"RABBITMQ_LOG_BASE"_s, m_dir.filePath(u"log"_s));
        env.insert(u"RABBITMQ_ALLOW_INPUT"_s, u"1"_s);
        env.insert(u"RABBITMQ_SERVER_START_ARGS"_s, u"-noinput"_s);

        for (QProcess *process : { &m_epmd, &m_broker }) {
            process->setProcessEnvironment(env);
            process->setProcessChannelMode(QProcess::MergedChannels);
            process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
        }
        m_epmd.start(epmd(), { u"-port"_s, QString::number(epmdPort) });
        if (!m_epmd.waitForStarted(5000))
            return fail(u"cannot start epmd: "_s + m_epmd.errorString());
        m_broker.setWorkingDirectory(m_dir.path());
        m_broker.start(serverScript(), {});
        if (!m_broker.waitForStarted(5000))
            return fail(u"cannot start rabbitmq-server: "_s + m_broker.errorString());

        // Ready when Web-STOMP accepts connections (it starts after the broker's core).
        const QDeadlineTimer deadline(kBrokerStartMs);
        while (!deadline.hasExpired()) {
            m_output += m_broker.readAll();
            if (m_broker.state() == QProcess::NotRunning)
                return fail(u"rabbitmq-server exited: "_s + QString::fromUtf8(m_output.right(2000)));
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, m_stompPort);
            if (probe.waitForConnected(500))
                return true;
            m_broker.waitForReadyRead(500);
        }
        return fail(u"Web-STOMP did not listen within %1 s: "_s.arg(kBrokerStartMs / 1000)
            + QString::fromUtf8(m_output.right(2000)));
    }

private:
    bool write(const QString &path, const QString &text)
    {
        QFile file(path);
        return file.open(QIODevice::WriteOnly) && file.write(text.toUtf8()) >= 0;
    }
    bool fail(const QString &error)
    {
        m_error = error;
        return false;
    }

    QTemporaryDir m_dir;
    QProcess m_epmd;
    QProcess m_broker;
    QByteArray m_output;
    quint16 m_stompPort = 0;
    QString m_error;
};

} // namespace

class TestStompProbeRabbitMq : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void subscribeSendReceive();
    void wrongPasscodeIsStompError();
    void hostIsTheVirtualHost();

private:
    StompProbeSettings settings(const QString &passcode) const;

    std::unique_ptr<RabbitMqBroker> m_broker;
};

void TestStompProbeRabbitMq::initTestCase()
{
    if (RabbitMqBroker::serverScript().isEmpty() || RabbitMqBroker::epmd().isEmpty())
        QSKIP("rabbitmq-server (with its Erlang epmd) is not installed: scripts/setup.sh installs it");
    m_broker = std::make_unique<RabbitMqBroker>();
    QVERIFY2(m_broker->start(), qPrintable(m_broker->errorString()));
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
    QTRY_COMPARE_WITH_TIMEOUT(subscribed.size(), 1, kRabbitWaitMs);
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
