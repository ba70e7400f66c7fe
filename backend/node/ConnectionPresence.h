#pragma once

#include <QString>

class QObject;

namespace sb::cluster {
class PresenceCounter;
}

namespace sb::node {

class MessageService;

// One connection's part in its user's presence (docs/protocol.md, "Presence"): counted
// cluster-wide (PresenceCounter) while the connection is open; the user's first
// connection announces "online", the last one "offline". STOMP sessions and SSE streams
// each hold one, so the rule lives here once.
class ConnectionPresence
{
public:
    // Both outlive the connection.
    ConnectionPresence(cluster::PresenceCounter *counter, MessageService *messages);

    // The connection is open as `user`: counted. `connection` is the context of the
    // count's answer: a connection gone by then announces nothing.
    void open(const QString &user, QObject *connection);
    // The connection closed: uncounted, once, if it was counted. `survivor` (the worker)
    // outlives the connection, so the last connection's "offline" is not lost with it.
    void close(QObject *survivor);

private:
    cluster::PresenceCounter *m_counter;
    MessageService *m_messages;
    QString m_user;
    bool m_counted = false;
};

} // namespace sb::node
