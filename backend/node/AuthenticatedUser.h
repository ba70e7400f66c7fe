#pragma once

#include <QString>
#include <QStringList>

namespace sb::node {

// Who a verified access token (or SSE ticket) says the caller is.
struct AuthenticatedUser
{
    QString name;
    QStringList roles;
    QString jti;
    qint64 expiresAt = 0;

    bool isAdmin() const { return roles.contains(QStringLiteral("ROLE_ADMIN")); }
};

} // namespace sb::node
