#pragma once

#include "node/AuthenticatedUser.h"

#include <QHash>
#include <QMutex>

#include <optional>

namespace sb::node {

// Single-use, short-lived tickets for GET /api/sse?ticket=…, because a browser EventSource
// cannot send an Authorization header, and a token in a URL would leak into access logs.
class SseTicketBook
{
public:
    explicit SseTicketBook(int lifetimeSeconds = 30, int maxOutstanding = 100000);

    // Empty when too many tickets are outstanding.
    QByteArray issue(const AuthenticatedUser &user);
    // The ticket's user, once; nullopt for unknown, used or expired tickets.
    std::optional<AuthenticatedUser> redeem(const QByteArray &ticket);

private:
    struct Entry
    {
        AuthenticatedUser user;
        qint64 expiresAtMs;
    };
    void purgeExpiredLocked(qint64 nowMs);

    int m_lifetimeMs;
    int m_maxOutstanding;
    QMutex m_mutex;
    QHash<QByteArray, Entry> m_tickets;
};

} // namespace sb::node
