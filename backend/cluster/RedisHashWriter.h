#pragma once

#include "cluster/NodeRegistry.h"
#include "cluster/RedisKeys.h"
#include "cluster/SessionStore.h"

namespace sb::cluster {

class RedisConnection;

// NodeRegistry and SessionStore on Redis: both are "a hash with a TTL" (HSET + EXPIRE,
// pipelined), so one adapter serves the two ports. A replica's id also goes into the set
// sb:nodes, so list() reads the announced replicas without a SCAN; an id whose hash has
// expired (a killed replica) is taken out of the set by the list() that finds it gone.
class RedisHashWriter : public NodeRegistry, public SessionStore
{
public:
    RedisHashWriter(RedisConnection *redis, RedisKeys keys = RedisKeys());

    void publish(const QString &nodeId, const QMap<QByteArray, QByteArray> &fields, int ttlSeconds) override;
    void remove(const QString &nodeId) override;
    void list(QObject *context, ListHandler handler) override;
    void open(const QString &sessionId, const QMap<QByteArray, QByteArray> &fields, int ttlSeconds) override;
    void touch(const QString &sessionId, int ttlSeconds) override;
    void close(const QString &sessionId) override;

private:
    void write(const QByteArray &key, const QMap<QByteArray, QByteArray> &fields, int ttlSeconds);

    RedisConnection *m_redis;
    RedisKeys m_keys;
};

} // namespace sb::cluster
