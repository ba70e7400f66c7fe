#pragma once

#include <QString>

namespace sb::cluster {
class PresenceCounter;
class SessionStore;
} // namespace sb::cluster

namespace sb::node {

class MessageService;

// Where a long-lived connection (a STOMP session, an SSE stream) is recorded in the
// cluster while it is open: its lease in the session store (SessionLease, under this
// replica's id) and its part in its user's presence (ConnectionPresence, whose
// online/offline events MessageService publishes). All outlive the connections.
struct ConnectionRecords
{
    QString nodeId;
    cluster::SessionStore *sessions = nullptr;
    cluster::PresenceCounter *presence = nullptr;
    MessageService *presenceEvents = nullptr;
};

} // namespace sb::node
