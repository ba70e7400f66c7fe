#pragma once

#include "cluster/RedisKeys.h"
#include "cluster/TokenRegistry.h"

namespace sb::cluster {

class RedisConnection;

// sb:token:{jti} = user, with TTL = the token's remaining life. A token is active while
// its key exists, so a DEL on logout revokes it on every replica at once. When Redis
// cannot answer, check() fails closed: a revoked token must never slip through.
class RedisTokenRegistry : public TokenRegistry
{
public:
    RedisTokenRegistry(RedisConnection *redis, RedisKeys keys = RedisKeys());

    void remember(const QString &jti, const QString &user, qint64 expiresAtSecs) override;
    void revoke(const QString &jti) override;
    void revokeUser(const QString &user) override;
    void check(const QString &jti, QObject *context, std::function<void(bool)> done) override;

private:
    RedisConnection *m_redis;
    RedisKeys m_keys;
};

} // namespace sb::cluster
