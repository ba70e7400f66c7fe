#include "node/SseTicketBook.h"

#include <QDateTime>
#include <QMutexLocker>
#include <QRandomGenerator>

namespace sb::node {

SseTicketBook::SseTicketBook(int lifetimeSeconds, int maxOutstanding)
    : m_lifetimeMs(lifetimeSeconds * 1000)
    , m_maxOutstanding(maxOutstanding)
{ }

QByteArray SseTicketBook::issue(const AuthenticatedUser &user)
{
    QByteArray raw(24, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(raw.data()), raw.size() / 4);
    const QByteArray ticket = raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QMutexLocker lock(&m_mutex);
    purgeExpiredLocked(now);
    if (m_tickets.size() >= m_maxOutstanding)
        return {};
    m_tickets.insert(ticket, Entry { user, now + m_lifetimeMs });
    return ticket;
}

std::optional<AuthenticatedUser> SseTicketBook::redeem(const QByteArray &ticket)
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_tickets.find(ticket);
    if (it == m_tickets.end())
        return std::nullopt;
    const Entry entry = *it;
    m_tickets.erase(it);
    if (entry.expiresAtMs < QDateTime::currentMSecsSinceEpoch())
        return std::nullopt;
    return entry.user;
}

void SseTicketBook::purgeExpiredLocked(qint64 nowMs)
{
    for (auto it = m_tickets.begin(); it != m_tickets.end();)
        it = it->expiresAtMs < nowMs ? m_tickets.erase(it) : std::next(it);
}

} // namespace sb::node
