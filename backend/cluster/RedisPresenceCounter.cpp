#include "cluster/RedisPresenceCounter.h"

#include "cluster/RedisConnection.h"

namespace sb::cluster {

RedisPresenceCounter::RedisPresenceCounter(RedisConnection *redis, RedisKeys keys)
    : m_redis(redis)
    , m_keys(std::move(keys))
{
}

void RedisPresenceCounter::change(const QString &user, int delta, QObject *context, std::function<void(qint64)> done)
{
    // Atomic on the server: increment, and drop the field at zero (never below: a crashed
    // replica's connections are never decremented, so counts err towards online).
    static const QByteArray script = QByteArrayLiteral(
        "local n = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2]) "
        "if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) return 0 end return n");
    m_redis->command({"EVAL", script, "1", m_keys.presence(), user.toUtf8(), QByteArray::number(delta)}, context,
                     [done = std::move(done)](const RedisReply &reply) { done(reply.isInteger() ? reply.toInteger() : -1); });
}

} // namespace sb::cluster
