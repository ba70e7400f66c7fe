#include "node/TokenService.h"

#include "cluster/TokenRegistry.h"
#include "node/NodeMetrics.h"

#include <QDateTime>
#include <QJsonArray>
#include <QPointer>
#include <QUuid>

namespace sb::node {

namespace {
const QString kTypeClaim = QStringLiteral("typ");
QString kindName(TokenService::Kind kind)
{
    return kind == TokenService::Kind::Access ? QStringLiteral("access") : QStringLiteral("refresh");
}
// The registry keeps a jti a little past exp so the codec's clock skew is the only judge.
constexpr qint64 kRegistrySlackSeconds = 60;
} // namespace

TokenService::TokenService(const QByteArray &secret, int accessSeconds, int refreshSeconds,
    cluster::TokenRegistry *registry, NodeMetrics *metrics)
    : m_codec(secret)
    , m_accessSeconds(accessSeconds)
    , m_refreshSeconds(refreshSeconds)
    , m_registry(registry)
    , m_metrics(metrics)
{ }

QByteArray TokenService::sign(
    const QString &user, const QStringList &roles, Kind kind, int lifetime, QString *jti, qint64 *expiresAt)
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    *jti = QUuid::createUuid().toString(QUuid::WithoutBraces);
    *expiresAt = now + lifetime;
    const QJsonObject claims { { QStringLiteral("sub"), user },
        { QStringLiteral("roles"), QJsonArray::fromStringList(roles) }, { QStringLiteral("jti"), *jti },
        { QStringLiteral("iat"), now }, { QStringLiteral("exp"), *expiresAt },
        { kTypeClaim, kindName(kind) } };
    m_registry->remember(*jti, user, *expiresAt + kRegistrySlackSeconds);
    return m_codec.sign(claims);
}

TokenService::Issued TokenService::issue(const User &user)
{
    Issued issued;
    QString jti;
    qint64 exp = 0;
    issued.accessToken = sign(user.name, user.roles, Kind::Access, m_accessSeconds, &jti, &exp);
    issued.refreshToken = sign(user.name, user.roles, Kind::Refresh, m_refreshSeconds, &jti, &exp);
    issued.expiresIn = m_accessSeconds;
    issued.lastJti = jti;
    return issued;
}

TokenService::Outcome TokenService::fail(const QByteArray &reason, const QString &message) const
{
    m_metrics->authFailure(reason);
    Outcome outcome;
    outcome.reason = reason;
    outcome.message = message;
    return outcome;
}

void TokenService::authenticate(QByteArrayView token, Kind kind, QObject *context, Done done)
{
    const protocol::JwtVerifyResult result = m_codec.verify(token, QDateTime::currentSecsSinceEpoch());
    if (!result.isOk()) {
        const Outcome outcome = fail(result.reasonName(), result.message());
        QMetaObject::invokeMethod(
            context, [done, outcome] { done(outcome); }, Qt::QueuedConnection);
        return;
    }
    if (result.claims().value(kTypeClaim).toString() != kindName(kind)) {
        const Outcome outcome = fail(QByteArrayLiteral("wrong_token_type"),
            QStringLiteral("a %1 token was expected").arg(kindName(kind)));
        QMetaObject::invokeMethod(
            context, [done, outcome] { done(outcome); }, Qt::QueuedConnection);
        return;
    }
    AuthenticatedUser user { result.subject(), result.roles(), result.jti(), result.expiresAt() };
    const qint64 issuedAt = result.issuedAt();
    using Status = cluster::TokenRegistry::Status;
    m_registry->lookup(user.jti, context, [this, user, kind, issuedAt, done](Status status) {
        switch (status) {
        case Status::Active:
            done(accepted(user));
            return;
        case Status::Inactive:
            done(fail(
                QByteArrayLiteral("revoked"), QStringLiteral("the token has been revoked (logged out)")));
            return;
        case Status::Unavailable:
            if (admitsWithoutRegistry(kind, issuedAt, user)) {
                m_metrics->authFailOpen();
                done(accepted(user));
                return;
            }
            Outcome outcome = fail(QByteArrayLiteral("registry_unavailable"), registryUnavailableMessage());
            outcome.registryUnavailable = true;
            done(outcome);
            return;
        }
    });
}

TokenService::Outcome TokenService::accepted(const AuthenticatedUser &user)
{
    Outcome outcome;
    outcome.ok = true;
    outcome.user = user;
    return outcome;
}

bool TokenService::admitsWithoutRegistry(Kind kind, qint64 issuedAt, const AuthenticatedUser &user) const
{
    // Only young access tokens: a refresh would write the registry anyway, and bounding the
    // token's age (not the outage's) bounds what a logged-out token can still do. Never an
    // admin's: a revoked admin token (a leaked one, logged out) could read every tap and
    // stat during the window, and no operator task needs the node while Redis is down.
    const int window = m_failOpenSeconds.load();
    if (window <= 0 || kind != Kind::Access || issuedAt <= 0 || user.isAdmin())
        return false;
    return QDateTime::currentSecsSinceEpoch() - issuedAt <= window;
}

void TokenService::refresh(QByteArrayView refreshToken, const UserDirectory &users, QObject *context,
    std::function<void(const Outcome &, const Issued &)> done)
{
    authenticate(refreshToken, Kind::Refresh, context, [this, &users, done](const Outcome &outcome) {
        if (!outcome.ok) {
            done(outcome, {});
            return;
        }
        const auto user = users.find(outcome.user.name);
        if (!user) {
            done(fail(QByteArrayLiteral("unknown_user"), QStringLiteral("the user no longer exists")), {});
            return;
        }
        revoke(outcome.user.jti); // rotation: a refresh token works once
        done(outcome, issue(*user));
    });
}

void TokenService::revoke(const QString &jti)
{
    m_registry->revoke(jti);
}

QByteArray TokenService::bearerToken(QByteArrayView header)
{
    const QByteArrayView trimmed = header.trimmed();
    if (trimmed.size() < 7 || qstrnicmp(trimmed.data(), "bearer ", 7) != 0)
        return {};
    return trimmed.sliced(7).trimmed().toByteArray();
}

} // namespace sb::node
