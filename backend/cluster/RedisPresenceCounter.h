#pragma once

#include "cluster/PresenceCounter.h"
#include "cluster/RedisKeys.h"

namespace sb::cluster {

class RedisConnection;

// Connection counts per user in one hash (sb:presence), changed with HINCRBY so every
// replica sees the same count: "online" at the first connection anywhere, "offline" after
// the last one closes. If Redis cannot answer, the change is reported as unknown (-1).
class RedisPresenceCounter : public PresenceCounter
{
public:
    RedisPresenceCounter(RedisConnection *redis, RedisKeys keys = RedisKeys());
    void change(const QString &user, int delta, QObject *context, std::function<void(qint64)> done) override;

private:
    RedisConnection *m_redis;
    RedisKeys m_keys;
};

} // namespace sb::cluster
