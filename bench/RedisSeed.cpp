#include "RedisSeed.h"

#include <QList>
#include <QProcess>
#include <QStandardPaths>

namespace {

void appendCommand(QByteArray &out, const QList<QByteArray> &argv)
{
    out += '*' + QByteArray::number(argv.size()) + "\r\n";
    for (const QByteArray &a : argv)
        out += '$' + QByteArray::number(a.size()) + "\r\n" + a + "\r\n";
}

} // namespace

QByteArray redisSeedCommands(int keys)
{
    QByteArray out;
    out.reserve(qsizetype(keys) * 60);
    for (int i = 0; i < keys; ++i) {
        const QByteArray n = QByteArray::number(i);
        switch (i % 20) {
        case 0:
        case 1:
            appendCommand(out,
                {"HSET", "sb:session:" + n, "user", "u" + QByteArray::number(i % 1000), "node",
                 "node-" + QByteArray::number(i % 3)});
            break;
        case 2:
            appendCommand(out, {"RPUSH", "list:" + n, "a", "b"});
            break;
        case 3:
            appendCommand(out, {"SADD", "set:" + n, "a", "b"});
            break;
        case 4:
            appendCommand(out, {"ZADD", "zset:" + n, "1", "a"});
            break;
        case 5:
            appendCommand(out, {"XADD", "stream:" + n, "*", "f", "v"});
            break;
        default:
            if (i % 3 == 0)
                appendCommand(out, {"SET", "sb:token:" + n, "u" + n, "EX", "3600"});
            else
                appendCommand(out, {"SET", "key:" + n, "value-" + n});
        }
    }
    return out;
}

bool seedRedis(quint16 port, int keys, QString *error)
{
    QProcess cli;
    cli.start(QStandardPaths::findExecutable(QStringLiteral("redis-cli")),
              {QStringLiteral("-p"), QString::number(port), QStringLiteral("--pipe")});
    if (!cli.waitForStarted(5000)) {
        *error = QStringLiteral("cannot start redis-cli: ") + cli.errorString();
        return false;
    }
    cli.write(redisSeedCommands(keys));
    cli.closeWriteChannel();
    if (!cli.waitForFinished(300000) || cli.exitCode() != 0) {
        *error = QStringLiteral("redis-cli --pipe failed: ") + QString::fromUtf8(cli.readAll());
        return false;
    }
    return true;
}
