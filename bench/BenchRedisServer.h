#pragma once

#include "cluster/RedisUrl.h"

#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

// A private redis-server for one benchmark: a free loopback port, no persistence, its
// files in a temporary directory; killed by pid when this object goes.
class BenchRedisServer
{
public:
    BenchRedisServer() = default;
    ~BenchRedisServer();
    BenchRedisServer(const BenchRedisServer &) = delete;
    BenchRedisServer &operator=(const BenchRedisServer &) = delete;

    // Starts it with `extraArguments` (e.g. --slowlog-log-slower-than 1000) and waits until
    // it answers PING. False with *error when it cannot.
    bool start(const QStringList &extraArguments, QString *error);
    quint16 port() const { return m_port; }
    sb::cluster::RedisUrl url() const;

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};
