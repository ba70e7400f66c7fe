#include "node/PresenceLease.h"

#include "cluster/PresenceCounter.h"
#include "node/MessageService.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcPresenceLease, "sb.node.presence")

namespace sb::node {

PresenceLease::PresenceLease(cluster::PresenceCounter *presence, MessageService *messages, QObject *parent)
    : QObject(parent)
    , m_presence(presence)
    , m_messages(messages)
    , m_timer(this)
{
    m_timer.setInterval(kRenewIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &PresenceLease::renew);
}

void PresenceLease::start()
{
    renew();
    m_timer.start();
}

void PresenceLease::renew()
{
    if (!m_presence)
        return;
    m_presence->renewLease(this, [this](const cluster::PresenceChanges &changes) { publish(changes); });
}

void PresenceLease::publish(const cluster::PresenceChanges &changes)
{
    if (!changes.wentOffline.isEmpty())
        qCInfo(lcPresenceLease).noquote()
            << changes.wentOffline.size()
            << "user(s) offline: their last connections were on a replica that stopped "
               "renewing its presence lease";
    if (!changes.cameOnline.isEmpty())
        qCInfo(lcPresenceLease).noquote()
            << changes.cameOnline.size()
            << "user(s) online again: this replica's presence counts were put back";
    for (const QString &user : changes.wentOffline)
        m_messages->announcePresence(user, false);
    for (const QString &user : changes.cameOnline)
        m_messages->announcePresence(user, true);
}

} // namespace sb::node
