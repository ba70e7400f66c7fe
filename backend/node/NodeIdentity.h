#pragma once

#include <QString>

namespace sb::node {

// Which replica this is, as the registry, /admin/stats and /api/replicas tell it.
struct NodeIdentity
{
    QString id; // NodeConfig::id, e.g. "node-1"
    QString bootId; // unique per process start
    qint64 startedAtMs = 0;
    int workerThreads = 0; // resolved by NodeServer::listen (0 in the config: one per core)
};

} // namespace sb::node
