#pragma once

#include "cluster/EventBus.h"
#include "node/ChatMessage.h"
#include "node/Envelope.h"
#include "node/RecentIds.h"

#include <QString>

#include <functional>

namespace sb::cluster {
struct BusHop;
class ReplayStore;
} // namespace sb::cluster

namespace sb::node {

class NodeMetrics;
class TapHub;
class UserDirectory;

// Creates messages and carries them to every replica. create() stores each recipient's
// notification for SSE replay and publishes the envelope on the EventBus; the bus hands it
// back (on every replica) to deliverFromBus(), which hands it to the local workers.
class MessageService
{
public:
    // What hands an envelope to every local worker (the Router's broadcast).
    using LocalDelivery = std::function<void(const EnvelopePtr &)>;

    // Each outlives the service: the accounts (a channel's members are its recipients), the
    // bus, the replay store stage 1 writes to, the figures and the tap.
    MessageService(const UserDirectory *users, cluster::EventBus *bus, cluster::ReplayStore *replay,
        NodeMetrics *metrics, TapHub *tap, LocalDelivery deliverLocally);

    // The message and how the bus took it. Accepted: `acknowledged` runs once with the
    // durable step's verdict (see EventBus::publishAcknowledged), on the bus's thread; the
    // client may be told "accepted" only then. Refused (counted: publish_queue_full,
    // bus_refused): `acknowledged` never runs; answer the client at once. A failed verdict
    // is counted as publish_failed.
    struct Creation
    {
        ChatMessage message;
        cluster::PublishAdmission admission = cluster::PublishAdmission::Refused;
    };
    Creation create(const QString &sender, const QString &channel, const QString &text,
        cluster::EventBus::Acknowledgement acknowledged);
    void announcePresence(const QString &user, bool online);
    // Stage 2, on every replica. With a tap reader, the record shows as BROADCAST.
    void deliverFromBus(const QByteArray &payload, const cluster::BusHop &hop);
    // Stage 1 (once per message cluster-wide): stores the channel history entry and the
    // recipients' notifications, idempotent on the message id. Blocking on a shared store.
    // With a tap reader, the record shows as STAGE1.
    bool persistFromBus(const QByteArray &payload, const cluster::BusHop &hop, QString *error);

    static QString newMessageId();

    // What a client is told when its message is not taken (HTTP 503 with Retry-After, or
    // STOMP ERROR with retry-after): the same words on both, so logs and clients match.
    static constexpr int kPublishRetryAfterSeconds = 1;
    static QString queueFullMessage() { return QStringLiteral("publish queue full, retry"); }
    static QString refusedMessage() { return QStringLiteral("message bus unavailable, retry"); }
    static QString notStoredMessage(const QString &why)
    {
        return QStringLiteral("message not stored (%1), retry").arg(why);
    }

private:
    // One tap frame for a bus record this replica handled (the callers skip LocalEventBus:
    // in one process nothing travels).
    void tapHop(const QByteArray &command, const cluster::BusHop &hop, const Envelope &envelope,
        const QByteArray &payload, bool duplicate = false) const;

    const UserDirectory *m_users;
    cluster::EventBus *m_bus;
    cluster::ReplayStore *m_replay;
    NodeMetrics *m_metrics;
    TapHub *m_tap;
    LocalDelivery m_deliverLocally;
    RecentIds m_delivered; // stage 2 is at-least-once; clients see each message once
};

} // namespace sb::node
