#include "BenchRedisServer.h"

#include <QStandardPaths>
#include <QTcpServer>
#include <QThread>

#include <csignal>

namespace {

quint16 freeLoopbackPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

} // namespace

BenchRedisServer::~BenchRedisServer()
{
    if (m_process.state() != QProcess::NotRunning) {
        ::kill(pid_t(m_process.processId()), SIGKILL);
        m_process.waitForFinished(5000);
    }
}

bool BenchRedisServer::start(const QStringList &extraArguments, QString *error)
{
    const QString server = QStandardPaths::findExecutable(QStringLiteral("redis-server"));
    const QString cli = QStandardPaths::findExecutable(QStringLiteral("redis-cli"));
    if (server.isEmpty() || cli.isEmpty()) {
        *error = QStringLiteral("redis-server and redis-cli are needed (scripts/setup.sh installs them)");
        return false;
    }
    m_port = freeLoopbackPort();
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process.start(server, QStringList{QStringLiteral("--port"), QString::number(m_port), QStringLiteral("--bind"),
                                        QStringLiteral("127.0.0.1"), QStringLiteral("--save"), QString(),
                                        QStringLiteral("--appendonly"), QStringLiteral("no"), QStringLiteral("--dir"),
                                        m_dir.path(), QStringLiteral("--loglevel"), QStringLiteral("warning")}
                                + extraArguments);
    if (!m_process.waitForStarted(5000)) {
        *error = QStringLiteral("cannot start redis-server: ") + m_process.errorString();
        return false;
    }
    // Ready when it answers: a harness may block here, nothing is measured yet.
    for (int attempt = 0; attempt < 50; ++attempt) {
        QProcess ping;
        ping.start(cli, {QStringLiteral("-p"), QString::number(m_port), QStringLiteral("PING")});
        if (ping.waitForFinished(2000) && ping.readAllStandardOutput().trimmed() == "PONG")
            return true;
        QThread::msleep(100);
    }
    *error = QStringLiteral("redis-server on port %1 does not answer PING").arg(m_port);
    return false;
}

sb::cluster::RedisUrl BenchRedisServer::url() const
{
    return sb::cluster::RedisUrl(QStringLiteral("127.0.0.1"), m_port);
}
