#pragma once

#include "cluster/RedisUrl.h"

#include <QList>
#include <QObject>

#include <memory>

namespace sb::cluster {
class RedisConnection;
class RedisHashWriter;
} // namespace sb::cluster

// Announces `replicas` fake replicas (bench-000, bench-001, …) in sb:node:* with a 5 s TTL
// every second, with connection counts and rates that move, as real nodes do. Lives on a
// thread of its own (moveToThread, then start() there), so the writing costs the measured
// GUI thread nothing.
class RegistryWriter : public QObject
{
public:
    RegistryWriter(sb::cluster::RedisUrl url, int replicas);
    ~RegistryWriter() override;
    // Before start(): replica i announces addresses[i] (host:port of a tap server standing
    // in for it) instead of the unreachable 10.0.0.i:8080.
    void setAddresses(QList<QByteArray> addresses) { m_addresses = std::move(addresses); }
    void start();

private:
    void publish();

    sb::cluster::RedisUrl m_url;
    int m_replicas;
    QList<QByteArray> m_addresses;
    sb::cluster::RedisConnection *m_connection = nullptr;
    std::unique_ptr<sb::cluster::RedisHashWriter> m_writer;
};
