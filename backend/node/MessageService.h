#pragma once

#include "node/ChatMessage.h"
#include "node/RecentIds.h"

#include <QString>

namespace sb::node {

struct NodeServices;

// Creates messages and carries them to every replica. create() stores each recipient's
// notification for SSE replay and publishes the envelope on the EventBus; the bus hands it
// back (on every replica) to deliverFromBus(), which routes it to the local workers.
class MessageService
{
public:
    explicit MessageService(NodeServices *services);

    ChatMessage create(const QString &sender, const QString &channel, const QString &text);
    void announcePresence(const QString &user, bool online);
    void deliverFromBus(const QByteArray &payload);
    // Stage 1 (once per message cluster-wide): stores the channel history entry and the
    // recipients' notifications, idempotent on the message id. Blocking on a shared store.
    bool persistFromBus(const QByteArray &payload, QString *error);

    static QString newMessageId();

private:
    NodeServices *m_services;
    RecentIds m_delivered; // stage 2 is at-least-once; clients see each message once
};

} // namespace sb::node
