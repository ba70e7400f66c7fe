#pragma once

#include "cluster/RedisKeys.h"
#include "cluster/TokenRegistry.h"

namespace sb::cluster {

class RedisConnection;

// sb:token:{jti} = user, with TTL = the token's remaining life. A token is active while
// its key exists, so a DEL on logout revokes it on every replica at once. When Redis
// cannot answer (not connected, connection lost, a server error such as LOADING), lookup()
// says Unavailable, never Inactive: a revoked token must not slip through, and a valid one
// must not be reported as revoked either.
class RedisTokenRegistry : public TokenRegistry
{
public:
    RedisTokenRegistry(RedisConnection *redis, RedisKeys keys = RedisKeys());

    void remember(const QString &jti, const QString &user, qint64 expiresAtSecs) override;
    void revoke(const QString &jti) override;
    void revokeUser(const QString &user) override;
    void lookup(const QString &jti, QObject *context, std::function<void(Status)> done) override;

private:
    RedisConnection *m_redis;
    RedisKeys m_keys;
};

} // namespace sb::cluster
