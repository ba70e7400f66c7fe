#pragma once

#include <QByteArray>
#include <QMap>
#include <QString>

namespace sb::cluster {

// Port: where a replica announces itself (sb:node:{id} in Redis, refreshed every second
// with a TTL of about 5 s), so the console discovers replicas and sees one vanish when
// its key expires. Thread-safe, fire and forget.
class NodeRegistry
{
public:
    virtual ~NodeRegistry() = default;
    virtual void publish(const QString &nodeId, const QMap<QByteArray, QByteArray> &fields, int ttlSeconds) = 0;
    virtual void remove(const QString &nodeId) = 0;
};

} // namespace sb::cluster
