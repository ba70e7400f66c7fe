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
    // What the registry says of a jti. Unavailable is not Inactive: a registry that cannot
    // answer (Redis down) knows nothing about revocation, and a client told "revoked" would
    // throw a valid token away, so callers answer "unavailable, retry" instead.
    enum class Status { Active, Inactive, Unavailable };

    virtual ~TokenRegistry() = default;
    virtual void remember(const QString &jti, const QString &user, qint64 expiresAtSecs) = 0;
    virtual void revoke(const QString &jti) = 0;
    // Every token issued to `user` so far (a role change: the next login carries the new
    // roles). Idempotent.
    virtual void revokeUser(const QString &user) = 0;
    virtual void lookup(const QString &jti, QObject *context, std::function<void(Status)> done) = 0;

    // Fail-closed shorthand of lookup(): true only when the registry says Active.
    void check(const QString &jti, QObject *context, std::function<void(bool active)> done)
    {
        lookup(jti, context, [done = std::move(done)](Status status) { done(status == Status::Active); });
    }
};

} // namespace sb::cluster
