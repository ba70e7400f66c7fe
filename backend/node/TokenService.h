#pragma once

#include "node/AuthenticatedUser.h"
#include "node/UserDirectory.h"
#include "protocol/JwtCodec.h"

#include <QObject>

#include <functional>

namespace sb::cluster {
class TokenRegistry;
}

namespace sb::node {

class NodeMetrics;

// Issues, verifies, rotates and revokes JWTs. The signature and claims are checked here,
// synchronously; whether the jti is still active is asked of the TokenRegistry (Redis in a
// cluster), so a logout on any replica revokes everywhere. Thread-safe.
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
        QString message;   // for the client when !ok
    };
    using Done = std::function<void(const Outcome &)>;

    TokenService(const QByteArray &secret, int accessSeconds, int refreshSeconds,
                 cluster::TokenRegistry *registry, NodeMetrics *metrics);

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

    protocol::JwtCodec m_codec;
    int m_accessSeconds;
    int m_refreshSeconds;
    cluster::TokenRegistry *m_registry;
    NodeMetrics *m_metrics;
};

} // namespace sb::node
