#include "cluster/RedisTokenRegistry.h"

#include "cluster/RedisConnection.h"
#include "cluster/RedisLog.h"

#include <QDateTime>

namespace sb::cluster {

RedisTokenRegistry::RedisTokenRegistry(RedisConnection *redis, RedisKeys keys)
    : m_redis(redis)
    , m_keys(std::move(keys))
{
}

void RedisTokenRegistry::remember(const QString &jti, const QString &user, qint64 expiresAtSecs)
{
    const qint64 ttl = qMax<qint64>(1, expiresAtSecs - QDateTime::currentSecsSinceEpoch());
    m_redis->command({"SET", m_keys.token(jti), user.toUtf8(), "EX", QByteArray::number(ttl)});
}

void RedisTokenRegistry::revoke(const QString &jti)
{
    m_redis->command({"DEL", m_keys.token(jti)});
}

void RedisTokenRegistry::check(const QString &jti, QObject *context, std::function<void(bool)> done)
{
    m_redis->command({"EXISTS", m_keys.token(jti)}, context, [done = std::move(done)](const RedisReply &reply) {
        if (!reply.isInteger()) {
            qCWarning(lcRedis) << "token check failed, rejecting:" << reply.errorMessage();
            done(false);
            return;
        }
        done(reply.toInteger() == 1);
    });
}

} // namespace sb::cluster
