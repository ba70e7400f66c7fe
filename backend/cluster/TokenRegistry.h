#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace sb::cluster {

// Port: the registry of issued tokens (sb:token:{jti} in Redis, TTL = token life). A token
// whose jti is not active here is rejected even if its signature is valid, so a logout on
// one replica revokes it on all. Thread-safe; callbacks run on `context`'s thread.
class TokenRegistry
{
public:
    virtual ~TokenRegistry() = default;
    virtual void remember(const QString &jti, const QString &user, qint64 expiresAtSecs) = 0;
    virtual void revoke(const QString &jti) = 0;
    // Every token issued to `user` so far (a role change: the next login carries the new
    // roles). Idempotent.
    virtual void revokeUser(const QString &user) = 0;
    virtual void check(const QString &jti, QObject *context, std::function<void(bool active)> done) = 0;
};

} // namespace sb::cluster
