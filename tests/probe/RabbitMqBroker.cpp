#include "RabbitMqBroker.h"

#include "support/RedisServerProcess.h"

#include <QCoreApplication>
#include <QFile>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>

#include <csignal>
#include <sys/prctl.h>

using namespace Qt::StringLiterals;

namespace sb::testing {

namespace {

constexpr int kRabbitAnswerMs = 10000; // a STOMP CONNECT's answer on a busy machine
constexpr int kRabbitEpmdMs = 10000;
constexpr quint16 kRabbitLowestPort = 20000;

QString rabbitServerScript()
{
    const QString path = u"/usr/lib/rabbitmq/bin/rabbitmq-server"_s;
    return QFile::exists(path) ? path : QString();
}

QString rabbitEpmd()
{
    for (const QString &path : { u"/usr/lib/erlang/bin/epmd"_s, u"/usr/bin/epmd"_s })
        if (QFile::exists(path))
            return path;
    return {};
}

// A free loopback port between kRabbitLowestPort and the kernel's ephemeral range
// (ip_local_port_range), where only a process that names the port can take it. A port from
// the range itself (freePort()) can be given to any other process's bind(0) or outgoing
// connection before the broker binds it, tens of seconds later. Falls back to freePort()
// where that range is too small.
quint16 rabbitBrokerPort(QSet<quint16> *taken)
{
    int ephemeralLow = 32768;
    QFile range(u"/proc/sys/net/ipv4/ip_local_port_range"_s);
    if (range.open(QIODevice::ReadOnly)) {
        bool ok = false;
        const int low = QString::fromLatin1(range.readAll()).simplified().section(u' ', 0, 0).toInt(&ok);
        if (ok)
            ephemeralLow = low;
    }
    if (ephemeralLow - kRabbitLowestPort >= 1000) {
        for (int attempt = 0; attempt < 100; ++attempt) {
            const auto port = quint16(kRabbitLowestPort
                + QRandomGenerator::global()->bounded(ephemeralLow - int(kRabbitLowestPort)));
            if (taken->contains(port))
                continue;
            QTcpServer probe;
            if (probe.listen(QHostAddress::LocalHost, port)) {
                taken->insert(port);
                return port;
            }
        }
    }
    quint16 port = 0;
    do
        port = RedisServerProcess::freePort();
    while (port != 0 && taken->contains(port));
    taken->insert(port);
    return port;
}

bool rabbitWriteFile(const QString &path, const QString &text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(text.toUtf8()) >= 0;
}

} // namespace

RabbitMqBroker::~RabbitMqBroker()
{
    for (QProcess *process : { &m_broker, &m_epmd }) {
        if (process->state() != QProcess::NotRunning) {
            ::kill(pid_t(process->processId()), SIGKILL);
            process->waitForFinished(10000);
        }
    }
}

QString RabbitMqBroker::missing()
{
    if (rabbitServerScript().isEmpty())
        return u"rabbitmq-server is not installed: scripts/setup.sh installs it"_s;
    if (rabbitEpmd().isEmpty())
        return u"Erlang's epmd is not installed: scripts/setup.sh installs it with rabbitmq-server"_s;
    return {};
}

bool RabbitMqBroker::start(const QDeadlineTimer &deadline)
{
    if (!m_dir.isValid())
        return fail(u"cannot create a temporary directory"_s);
    QSet<quint16> taken;
    const quint16 amqp = rabbitBrokerPort(&taken);
    const quint16 dist = rabbitBrokerPort(&taken);
    const quint16 epmdPort = rabbitBrokerPort(&taken);
    m_stompPort = rabbitBrokerPort(&taken);
    if (taken.contains(0))
        return fail(u"cannot find free loopback ports"_s);
    if (!configure(amqp) || !launch(amqp, dist, epmdPort))
        return false;

    QString lastAnswer = u"none: the port refused connections"_s;
    while (!deadline.hasExpired()) {
        const bool ended = m_broker.state() == QProcess::NotRunning; // then its output is all read
        m_output += m_broker.readAll();
        if (m_output.contains("eaddrinuse")) {
            m_portClash = true;
            return fail(u"another process took one of the broker's ports"_s);
        }
        if (ended)
            return fail(u"rabbitmq-server ended while starting"_s);
        if (accepts(m_stompPort) && answersAsRabbitMq(&lastAnswer))
            return true;
        m_broker.waitForReadyRead(500);
    }
    return fail(
        u"Web-STOMP did not answer a STOMP CONNECT as RabbitMQ in time (last answer: %1)"_s.arg(lastAnswer));
}

bool RabbitMqBroker::configure(quint16 amqp)
{
    const QString config = m_dir.filePath(u"rabbitmq.conf"_s);
    // rabbitmq_web_stomp brings rabbitmq_stomp, whose plain STOMP listener would take the
    // fixed port 61613 on every interface: the second of two brokers on the machine (this
    // test's and bench/compare's) would not boot (eaddrinuse).
    const QString text = u"listeners.tcp.default = 127.0.0.1:%1\n"_s.arg(amqp)
        + u"stomp.listeners.tcp = none\n"_s + u"web_stomp.tcp.port = %1\n"_s.arg(m_stompPort)
        + u"web_stomp.tcp.ip = 127.0.0.1\n"_s + u"loopback_users = none\n"_s + u"log.console = true\n"_s
        + u"log.file = false\n"_s;
    if (!rabbitWriteFile(config, text)
        || !rabbitWriteFile(m_dir.filePath(u"enabled_plugins"_s), u"[rabbitmq_web_stomp].\n"_s)
        || !rabbitWriteFile(m_dir.filePath(u"rabbitmq-env.conf"_s), QString()))
        return fail(u"cannot write the broker's configuration"_s);
    return true;
}

bool RabbitMqBroker::launch(quint16 amqp, quint16 dist, quint16 epmdPort)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"HOME"_s, m_dir.path()); // the Erlang cookie goes here, not in ~
    env.insert(u"ERL_EPMD_PORT"_s, QString::number(epmdPort));
    env.insert(u"ERL_EPMD_ADDRESS"_s, u"127.0.0.1"_s); // epmd on loopback only
    // Unique on the machine, and for each start of one test process.
    env.insert(u"RABBITMQ_NODENAME"_s,
        u"sbprobe%1p%2@localhost"_s.arg(QCoreApplication::applicationPid()).arg(m_stompPort));
    env.insert(u"RABBITMQ_NODE_IP_ADDRESS"_s, u"127.0.0.1"_s);
    env.insert(u"RABBITMQ_NODE_PORT"_s, QString::number(amqp));
    env.insert(u"RABBITMQ_DIST_PORT"_s, QString::number(dist));
    env.insert(u"RABBITMQ_CONFIG_FILE"_s, m_dir.filePath(u"rabbitmq.conf"_s));
    env.insert(u"RABBITMQ_CONF_ENV_FILE"_s, m_dir.filePath(u"rabbitmq-env.conf"_s));
    env.insert(u"RABBITMQ_ADVANCED_CONFIG_FILE"_s, m_dir.filePath(u"advanced.config"_s));
    env.insert(u"RABBITMQ_ENABLED_PLUGINS_FILE"_s, m_dir.filePath(u"enabled_plugins"_s));
    env.insert(u"RABBITMQ_MNESIA_BASE"_s, m_dir.filePath(u"mnesia"_s));
    env.insert(u"RABBITMQ_LOG_BASE"_s, m_dir.filePath(u"log"_s));
    env.insert(u"RABBITMQ_ALLOW_INPUT"_s, u"1"_s);
    env.insert(u"RABBITMQ_SERVER_START_ARGS"_s, u"-noinput"_s);
    // The Erlang distribution's listener on loopback only, like the others.
    env.insert(u"RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"_s, u"-kernel inet_dist_use_interface {127,0,0,1}"_s);

    for (QProcess *process : { &m_epmd, &m_broker }) {
        process->setProcessEnvironment(env);
        process->setProcessChannelMode(QProcess::MergedChannels);
        process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    }
    m_epmd.start(rabbitEpmd(), { u"-port"_s, QString::number(epmdPort) });
    if (!m_epmd.waitForStarted(5000))
        return fail(u"cannot start epmd: "_s + m_epmd.errorString());
    // The VM starts an epmd daemon of its own when it finds none: one we could not stop.
    const QDeadlineTimer epmdDeadline(kRabbitEpmdMs);
    while (!accepts(epmdPort)) {
        if (m_epmd.state() == QProcess::NotRunning || epmdDeadline.hasExpired())
            return fail(u"epmd did not listen on 127.0.0.1:%1: "_s.arg(epmdPort)
                + QString::fromUtf8(m_epmd.readAll().right(1000)));
        m_epmd.waitForReadyRead(100);
    }
    m_broker.setWorkingDirectory(m_dir.path());
    m_broker.start(rabbitServerScript(), {});
    if (!m_broker.waitForStarted(5000))
        return fail(u"cannot start rabbitmq-server: "_s + m_broker.errorString());
    m_launched = true;
    return true;
}

bool RabbitMqBroker::answersAsRabbitMq(QString *lastAnswer) const
{
    QWebSocket socket;
    QByteArray answer;
    bool closed = false;
    QObject::connect(&socket, &QWebSocket::connected, &socket, [&socket] {
        const QByteArray connect = "CONNECT\naccept-version:1.2\nhost:/\nlogin:guest\npasscode:guest\n\n";
        socket.sendTextMessage(QString::fromLatin1(connect + '\0'));
    });
    QObject::connect(&socket, &QWebSocket::textMessageReceived, &socket,
        [&answer](const QString &text) { answer += text.toUtf8(); });
    QObject::connect(&socket, &QWebSocket::binaryMessageReceived, &socket,
        [&answer](const QByteArray &bytes) { answer += bytes; });
    QObject::connect(&socket, &QWebSocket::disconnected, &socket, [&closed] { closed = true; });
    QNetworkRequest request(QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(m_stompPort)));
    request.setRawHeader("Sec-WebSocket-Protocol", "v12.stomp");
    socket.open(request);
    // No answer in time is an answer too: the loop asks again.
    (void)QTest::qWaitFor([&] { return closed || answer.contains('\0'); }, kRabbitAnswerMs);
    const bool fromRabbitMq = answer.startsWith("CONNECTED\n") && answer.contains("\nserver:RabbitMQ");
    if (!fromRabbitMq) {
        *lastAnswer = answer.isEmpty()
            ? u"no frame (%1)"_s.arg(socket.errorString())
            : QString::fromUtf8(answer.left(200)).replace(u'\n', u' ').replace(QChar(0), u' ');
    }
    socket.abort();
    return fromRabbitMq;
}

bool RabbitMqBroker::accepts(quint16 port)
{
    QTcpSocket probe;
    probe.connectToHost(QHostAddress::LocalHost, port);
    return probe.waitForConnected(500);
}

QString RabbitMqBroker::describe()
{
    m_output += m_broker.readAll();
    QString state;
    if (!m_launched)
        state = u"rabbitmq-server was not started"_s;
    else if (m_broker.state() != QProcess::NotRunning)
        state = u"rabbitmq-server (pid %1) runs"_s.arg(m_broker.processId());
    else if (m_broker.exitStatus() == QProcess::CrashExit)
        state = u"rabbitmq-server was ended by signal %1"_s.arg(m_broker.exitCode());
    else
        state = u"rabbitmq-server exited with status %1"_s.arg(m_broker.exitCode());
    state += m_epmd.state() != QProcess::NotRunning ? u", its epmd runs"_s : u", its epmd is not running"_s;
    if (m_stompPort != 0)
        state += u"; Web-STOMP's port 127.0.0.1:%1 %2"_s.arg(m_stompPort)
                     .arg(accepts(m_stompPort) ? u"accepts connections"_s : u"refuses connections"_s);
    // Its console log is coloured: the escape sequences would only clutter a failure message.
    static const QRegularExpression colour(u"\x1b\\[[0-9;]*m"_s);
    return state + u"; the broker's last output:\n"_s
        + QString::fromUtf8(m_output.right(3000)).remove(colour);
}

bool RabbitMqBroker::fail(const QString &error)
{
    m_error = error + u"; "_s + describe();
    return false;
}

} // namespace sb::testing
