#include "node/PresenceLease.h"

#include "cluster/PresenceCounter.h"
#include "node/MessageService.h"
#include "node/NodeServices.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcPresenceLease, "sb.node.presence")

namespace sb::node {

PresenceLease::PresenceLease(NodeServices *services, QObject *parent)
    : QObject(parent)
    , m_services(services)
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
    if (!m_services->presence)
        return;
    m_services->presence->renewLease(this, [this](const cluster::PresenceChanges &changes) { publish(changes); });
}

void PresenceLease::publish(const cluster::PresenceChanges &changes)
{
    if (!changes.wentOffline.isEmpty())
        qCInfo(lcPresenceLease).noquote() << changes.wentOffline.size()
                                          << "user(s) offline: their last connections were on a replica that stopped "
                                             "renewing its presence lease";
    if (!changes.cameOnline.isEmpty())
        qCInfo(lcPresenceLease).noquote() << changes.cameOnline.size()
                                          << "user(s) online again: this replica's presence counts were put back";
    for (const QString &user : changes.wentOffline)
        m_services->messages->announcePresence(user, false);
    for (const QString &user : changes.cameOnline)
        m_services->messages->announcePresence(user, true);
}

} // namespace sb::node
