#pragma once

#include <QObject>
#include <QTimer>

namespace sb::cluster {
class PresenceCounter;
struct PresenceChanges;
} // namespace sb::cluster

namespace sb::node {

class MessageService;

// Keeps this replica's presence counts leased (PresenceCounter::renewLease every second,
// like the registry entry) and publishes the presence events the renewals bring: "offline"
// for the users of a replica that died holding their last connections (whichever replica
// reaps it first publishes them, once), "online" for users whose counts came back.
class PresenceLease : public QObject
{
    Q_OBJECT
public:
    static constexpr int kRenewIntervalMs = 1000;

    // presence: the cluster's counter (none: nothing to renew); messages: who announces
    // the changes. Both outlive the lease.
    PresenceLease(cluster::PresenceCounter *presence, MessageService *messages, QObject *parent = nullptr);

    void start();

private:
    void renew();
    void publish(const sb::cluster::PresenceChanges &changes);

    cluster::PresenceCounter *m_presence;
    MessageService *m_messages;
    QTimer m_timer;
};

} // namespace sb::node
