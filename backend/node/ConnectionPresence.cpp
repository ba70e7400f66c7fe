#include "node/ConnectionPresence.h"

#include "cluster/PresenceCounter.h"
#include "node/MessageService.h"

#include <utility>

namespace sb::node {

ConnectionPresence::ConnectionPresence(cluster::PresenceCounter *counter, MessageService *messages)
    : m_counter(counter)
    , m_messages(messages)
{ }

void ConnectionPresence::open(const QString &user, QObject *connection)
{
    m_user = user;
    m_counted = true;
    MessageService *messages = m_messages;
    m_counter->change(user, +1, connection, [messages, user](qint64 count) {
        if (count == 1)
            messages->announcePresence(user, true);
    });
}

void ConnectionPresence::close(QObject *survivor)
{
    if (!std::exchange(m_counted, false))
        return;
    MessageService *messages = m_messages;
    m_counter->change(m_user, -1, survivor, [messages, user = m_user](qint64 count) {
        if (count == 0)
            messages->announcePresence(user, false);
    });
}

} // namespace sb::node
