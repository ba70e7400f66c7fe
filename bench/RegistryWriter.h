#pragma once

#include "cluster/RedisUrl.h"

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
    void start();

private:
    void publish();

    sb::cluster::RedisUrl m_url;
    int m_replicas;
    sb::cluster::RedisConnection *m_connection = nullptr;
    std::unique_ptr<sb::cluster::RedisHashWriter> m_writer;
};
