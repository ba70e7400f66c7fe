#include "support/RedisCli.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>

#include <utility>

namespace sb::testing {

RedisCli::RedisCli(QString port)
    : m_port(std::move(port))
{ }

QString RedisCli::run(const QStringList &arguments) const
{
    QProcess process;
    process.start(QStandardPaths::findExecutable(QStringLiteral("redis-cli")),
        QStringList { QStringLiteral("-p"), m_port } + arguments);
    process.waitForFinished(20000);
    return QString::fromUtf8(process.readAllStandardOutput()).trimmed();
}

int RedisCli::count(const QString &pattern) const
{
    const QString out = run({ QStringLiteral("--scan"), QStringLiteral("--pattern"), pattern });
    return out.isEmpty() ? 0 : int(out.split(u'\n').size());
}

qint64 RedisCli::serverPid() const
{
    static const QRegularExpression pidLine(QStringLiteral("process_id:(\\d+)"));
    const qint64 pid
        = pidLine.match(run({ QStringLiteral("INFO"), QStringLiteral("server") })).captured(1).toLongLong();
    // Checked, since the test kills it: a pid read wrong must not be some other process.
    QFile comm(QStringLiteral("/proc/%1/comm").arg(pid));
    if (pid <= 0 || !comm.open(QIODevice::ReadOnly) || comm.readAll().trimmed() != "redis-server")
        return -1;
    return pid;
}

} // namespace sb::testing
