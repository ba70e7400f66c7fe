#include "cluster/RedisTokenRegistry.h"

#include "cluster/RedisConnection.h"
#include "cluster/RedisLog.h"

#include <QDateTime>

namespace sb::cluster {

RedisTokenRegistry::RedisTokenRegistry(RedisConnection *redis, RedisKeys keys)
    : m_redis(redis)
    , m_keys(std::move(keys))
{ }

void RedisTokenRegistry::remember(const QString &jti, const QString &user, qint64 expiresAtSecs)
{
    const qint64 ttl = qMax<qint64>(1, expiresAtSecs - QDateTime::currentSecsSinceEpoch());
    m_redis->command({ "SET", m_keys.token(jti), user.toUtf8(), "EX", QByteArray::number(ttl) });
    // The user's index lives as long as their longest token; ids of expired tokens in it
    // are harmless (revoking them deletes nothing).
    static const QByteArray index = QByteArrayLiteral(
        "redis.call('SADD', KEYS[1], ARGV[1]) "
        "if redis.call('TTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('EXPIRE', KEYS[1], ARGV[2]) end");
    m_redis->command({ "EVAL", index, "1", m_keys.userTokens(user), jti.toUtf8(), QByteArray::number(ttl) });
}

void RedisTokenRegistry::revokeUser(const QString &user)
{
    // One script, so a token remembered meanwhile is either revoked or not yet indexed.
    static const QByteArray script = QByteArrayLiteral(
        "for _, jti in ipairs(redis.call('SMEMBERS', KEYS[1])) do redis.call('DEL', ARGV[1] .. jti) end "
        "return redis.call('DEL', KEYS[1])");
    m_redis->command({ "EVAL", script, "1", m_keys.userTokens(user), m_keys.token(QString()) });
}

void RedisTokenRegistry::revoke(const QString &jti)
{
    m_redis->command({ "DEL", m_keys.token(jti) });
}

void RedisTokenRegistry::lookup(const QString &jti, QObject *context, std::function<void(Status)> done)
{
    m_redis->command(
        { "EXISTS", m_keys.token(jti) }, context, [done = std::move(done)](const RedisReply &reply) {
            if (!reply.isInteger()) {
                qCWarning(lcRedis) << "token registry unavailable:" << reply.errorMessage();
                done(Status::Unavailable);
                return;
            }
            done(reply.toInteger() == 1 ? Status::Active : Status::Inactive);
        });
}

} // namespace sb::cluster
