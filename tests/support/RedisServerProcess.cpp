#include "support/RedisServerProcess.h"

#include <QDeadlineTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif

namespace sb::testing {

RedisServerProcess::RedisServerProcess(QStringList extraArgs)
    : m_extraArgs(std::move(extraArgs))
{ }

RedisServerProcess::~RedisServerProcess()
{
    stop();
}

QString RedisServerProcess::executable()
{
    const QString fromEnv = qEnvironmentVariable("SB_REDIS_SERVER");
    if (!fromEnv.isEmpty())
        return fromEnv;
    QString found = QStandardPaths::findExecutable(QStringLiteral("redis-server"));
    if (found.isEmpty()) {
        found = QStandardPaths::findExecutable(QStringLiteral("redis-server"),
            { QStringLiteral("/usr/bin"), QStringLiteral("/usr/sbin"), QStringLiteral("/usr/local/bin") });
    }
    return found;
}

quint16 RedisServerProcess::freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

bool RedisServerProcess::start()
{
    // Another process can take the port between freePort() and redis-server's bind.
    constexpr int kAttempts = 5;
    QString lastError;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        const quint16 port = freePort();
        if (port == 0) {
            m_error = QStringLiteral("cannot find a free loopback port");
            return false;
        }
        if (launch(port))
            return true;
        lastError = m_error;
        if (executable().isEmpty())
            break;
    }
    m_error = lastError;
    return false;
}

bool RedisServerProcess::start(quint16 port)
{
    // A port just released by a killed server may take a moment to be bindable.
    for (int attempt = 0; attempt < 5; ++attempt) {
        if (launch(port))
            return true;
        if (executable().isEmpty())
            return false;
        QThread::msleep(100);
    }
    return false;
}

bool RedisServerProcess::restart()
{
    const quint16 port = m_port;
    stop();
    if (port == 0) {
        m_error = QStringLiteral("restart() before start()");
        return false;
    }
    return start(port);
}

bool RedisServerProcess::launch(quint16 port)
{
    stop();
    const QString program = executable();
    if (program.isEmpty()) {
        m_error = QStringLiteral("redis-server not found: run scripts/setup.sh (Debian package "
                                 "redis-server) or set SB_REDIS_SERVER to its path");
        return false;
    }
    if (!m_dir.isValid()) {
        m_error = u"cannot create a temporary directory: " + m_dir.errorString();
        return false;
    }
    QStringList args { QStringLiteral("--port"), QString::number(port), QStringLiteral("--bind"),
        QStringLiteral("127.0.0.1"), QStringLiteral("--save"), QString(), QStringLiteral("--appendonly"),
        QStringLiteral("no"), QStringLiteral("--daemonize"), QStringLiteral("no"), QStringLiteral("--dir"),
        m_dir.path(), QStringLiteral("--loglevel"), QStringLiteral("warning") };
    args += m_extraArgs;

    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
#ifdef Q_OS_LINUX
    // If the test binary crashes, the kernel kills the server too: no orphans on CI.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
#endif
    m_process->start(program, args);
    if (!m_process->waitForStarted(5000)) {
        m_error = u"cannot start " + program + u": " + m_process->errorString();
        m_process.reset();
        return false;
    }
    m_port = port;
    if (!waitUntilReady(10000)) {
        stop();
        m_port = port; // keep it for restart() and for the caller's message
        return false;
    }
    m_error.clear();
    return true;
}

bool RedisServerProcess::waitUntilReady(int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (m_process->state() != QProcess::Running) {
            m_process->waitForFinished(1000);
            m_error = u"redis-server on port " + QString::number(m_port) + u" exited: "
                + QString::fromLocal8Bit(m_process->readAll()).trimmed();
            return false;
        }
        if (answersPing())
            return true;
        m_process->waitForFinished(25); // doubles as a short sleep that notices an exit
    }
    m_error = u"redis-server on port " + QString::number(m_port) + u" did not answer PING within "
        + QString::number(timeoutMs) + u" ms";
    return false;
}

bool RedisServerProcess::answersPing() const
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    if (!socket.waitForConnected(250))
        return false;
    socket.write("PING\r\n");
    QByteArray answer;
    while (!answer.contains('\n') && socket.waitForReadyRead(500))
        answer += socket.readAll();
    // +PONG, or -NOAUTH when started with --requirepass: either way it is serving.
    return answer.startsWith('+') || answer.startsWith('-');
}

void RedisServerProcess::stop()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->kill(); // SIGKILL to the child's pid
        m_process->waitForFinished(5000);
    }
    m_process.reset();
}

bool RedisServerProcess::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

qint64 RedisServerProcess::pid() const
{
    return m_process ? m_process->processId() : 0;
}

sb::cluster::RedisUrl RedisServerProcess::url() const
{
    return sb::cluster::RedisUrl(QStringLiteral("127.0.0.1"), m_port);
}

} // namespace sb::testing
