#pragma once

#include "cluster/RedisUrl.h"

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

class QProcess;

namespace sb::testing {

// A real redis-server child on 127.0.0.1 for integration tests: no persistence, its
// own temporary directory, killed by pid in stop() and in the destructor (and by the
// kernel if the test process dies first). The blocking waits are fine here: this is a
// test fixture, and the code under test is asynchronous anyway.
//
// A missing redis-server is a failure, not a skip: scripts/setup.sh installs it, and
// a skipped suite would hide that the Redis layer went untested.
class RedisServerProcess
{
public:
    // extraArgs go to redis-server as given, e.g. {"--requirepass", "secret"}.
    explicit RedisServerProcess(QStringList extraArgs = {});
    ~RedisServerProcess();
    RedisServerProcess(const RedisServerProcess &) = delete;
    RedisServerProcess &operator=(const RedisServerProcess &) = delete;

    // Starts on a free port (retrying with another on a bind collision) and waits
    // until the server answers. False with errorString() on failure.
    bool start();
    // Starts on exactly this port (e.g. one a client is already retrying against).
    bool start(quint16 port);
    // Kills the server (SIGKILL: an outage, not a clean shutdown) and waits for it.
    void stop();
    // stop() then start(port()) on the same port, as an outage test needs.
    bool restart();

    bool isRunning() const;
    quint16 port() const { return m_port; }
    qint64 pid() const;
    // redis://127.0.0.1:<port>/0, without credentials (add them with setPassword()).
    sb::cluster::RedisUrl url() const;
    QString errorString() const { return m_error; }

    // A loopback port that was free a moment ago (bind port 0, read it, release it).
    static quint16 freePort();
    // Path of redis-server ($SB_REDIS_SERVER, then PATH, then /usr/bin, /usr/sbin), or empty.
    static QString executable();

private:
    bool launch(quint16 port);
    bool waitUntilReady(int timeoutMs);
    bool answersPing() const;

    QStringList m_extraArgs;
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace sb::testing
