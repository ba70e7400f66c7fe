#pragma once

#include "node/AuthenticatedUser.h"
#include "node/UserDirectory.h"
#include "protocol/JwtCodec.h"

#include <QObject>

#include <atomic>
#include <functional>

namespace sb::cluster {
class TokenRegistry;
}

namespace sb::node {

class NodeMetrics;

// Issues, verifies, rotates and revokes JWTs. The signature and claims are checked here,
// synchronously; whether the jti is still active is asked of the TokenRegistry (Redis in a
// cluster), so a logout on any replica revokes everywhere. While the registry cannot answer,
// a token is neither accepted nor called revoked: the outcome says "unavailable, retry"
// (HTTP 503, STOMP ERROR), unless the fail-open window admits it (docs/architecture.md,
// "Token registry outage"). Thread-safe.
class TokenService
{
public:
    enum class Kind { Access, Refresh };
    struct Issued
    {
        QByteArray accessToken;
        QByteArray refreshToken;
        int expiresIn = 0;
        QString lastJti; // the last one remembered in the registry (checking it confirms both)
    };
    struct Outcome
    {
        bool ok = false;
        AuthenticatedUser user;
        QByteArray reason; // metric label when !ok
        QString message; // for the client when !ok
        // !ok because the token registry could not answer: not the token's fault, retry later.
        bool registryUnavailable = false;
    };
    // What a client is told to wait before retrying while the registry is unreachable: the
    // Redis connection retries within about a second at first.
    static constexpr int kRegistryRetryAfterSeconds = 2;
    static QString registryUnavailableMessage()
    {
        return QStringLiteral("token registry unavailable, retry");
    }
    using Done = std::function<void(const Outcome &)>;

    TokenService(const QByteArray &secret, int accessSeconds, int refreshSeconds,
        cluster::TokenRegistry *registry, NodeMetrics *metrics);

    // While the registry is unreachable, an access token issued at most this long ago is
    // accepted on its signature alone (0, the default: never; refresh tokens and tokens
    // with ROLE_ADMIN never).
    void setFailOpenSeconds(int seconds) { m_failOpenSeconds.store(seconds); }

    Issued issue(const User &user);
    void authenticate(QByteArrayView token, Kind kind, QObject *context, Done done);
    // Verifies a refresh token, revokes it and issues a new pair (refresh rotation).
    void refresh(QByteArrayView refreshToken, const UserDirectory &users, QObject *context,
        std::function<void(const Outcome &, const Issued &)> done);
    void revoke(const QString &jti);

    // "Bearer <token>" -> token; empty when the header is something else.
    static QByteArray bearerToken(QByteArrayView authorizationHeader);

private:
    QByteArray sign(const QString &user, const QStringList &roles, Kind kind, int lifetime, QString *jti,
        qint64 *expiresAt);
    Outcome fail(const QByteArray &reason, const QString &message) const;
    static Outcome accepted(const AuthenticatedUser &user);
    bool admitsWithoutRegistry(Kind kind, qint64 issuedAt, const AuthenticatedUser &user) const;

    protocol::JwtCodec m_codec;
    int m_accessSeconds;
    int m_refreshSeconds;
    cluster::TokenRegistry *m_registry;
    NodeMetrics *m_metrics;
    std::atomic<int> m_failOpenSeconds { 0 };
};

} // namespace sb::node
