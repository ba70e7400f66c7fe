#pragma once

#include <QString>
#include <QStringList>

namespace sb::testing {

// redis-cli against one local server, for tests that compare the console's figures with
// what Redis itself says, or that act on the server (kill it by the pid it reports).
// Blocking (each call runs redis-cli, at most 20 s), which is fine in a fixture.
class RedisCli
{
public:
    explicit RedisCli(QString port);

    // redis-cli -p PORT ARGUMENTS: its output, trimmed; empty when it could not run.
    QString run(const QStringList &arguments) const;
    // The keys matching `pattern` (SCAN, as redis-cli --scan lists them).
    int count(const QString &pattern) const;
    // The server's pid as INFO reports it, checked to be a redis-server process; -1 if not.
    qint64 serverPid() const;

private:
    QString m_port;
};

} // namespace sb::testing
