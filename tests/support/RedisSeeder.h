#pragma once

#include <QByteArray>
#include <QList>
#include <QProcess>
#include <QStandardPaths>
#include <QString>

// Seeds a test redis-server fast: commands are encoded as RESP and piped through
// `redis-cli --pipe` (one process, one write, replies counted by redis-cli), which loads
// 100,000 keys in well under a second. Header-only: a fixture, not production code.
namespace sb::testing {

class RedisSeeder
{
public:
    void add(const QList<QByteArray> &argv)
    {
        m_resp += '*' + QByteArray::number(argv.size()) + "\r\n";
        for (const QByteArray &arg : argv)
            m_resp += '$' + QByteArray::number(arg.size()) + "\r\n" + arg + "\r\n";
        ++m_commands;
    }

    int commands() const { return m_commands; }

    // Runs redis-cli --pipe against 127.0.0.1:port. False with *error on failure.
    bool run(quint16 port, QString *error, int timeoutMs = 60000)
    {
        const QString cli = QStandardPaths::findExecutable(QStringLiteral("redis-cli"));
        if (cli.isEmpty()) {
            *error = QStringLiteral("redis-cli not found (Debian package redis-tools)");
            return false;
        }
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(cli,
            { QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(port),
                QStringLiteral("--pipe") });
        if (!process.waitForStarted(5000)) {
            *error = process.errorString();
            return false;
        }
        process.write(m_resp);
        process.closeWriteChannel();
        if (!process.waitForFinished(timeoutMs)) {
            process.kill();
            process.waitForFinished(1000);
            *error = QStringLiteral("redis-cli --pipe timed out");
            return false;
        }
        const QByteArray output = process.readAll();
        // "errors: 0, replies: N" is redis-cli's own summary line.
        if (process.exitCode() != 0 || !output.contains("errors: 0")) {
            *error = u"redis-cli --pipe failed: " + QString::fromUtf8(output);
            return false;
        }
        m_resp.clear();
        m_commands = 0;
        return true;
    }

    // One-shot redis-cli for a figure "at the same moment" (e.g. DBSIZE), as an operator
    // would read it. Returns the trimmed output, or empty on failure.
    static QByteArray cli(quint16 port, const QStringList &args)
    {
        QProcess process;
        process.start(QStandardPaths::findExecutable(QStringLiteral("redis-cli")),
            QStringList { QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                QString::number(port) }
                + args);
        if (!process.waitForFinished(10000)) {
            process.kill();
            process.waitForFinished(1000);
            return {};
        }
        return process.readAllStandardOutput().trimmed();
    }

private:
    QByteArray m_resp;
    int m_commands = 0;
};

} // namespace sb::testing
