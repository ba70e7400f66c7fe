#pragma once

#include <QString>

namespace sb::node {

// A STOMP destination the node understands, parsed once so authorisation and routing
// agree on what it names.
struct Destination
{
    enum class Kind {
        Invalid,
        ChannelTopic, // /topic/channels.{id}       SUBSCRIBE, members only
        ChannelApp, // /app/channels.{id}         SEND, members only
        UserNotifications, // /user/queue/notifications  SUBSCRIBE, always the caller's own
        OtherUsersQueue, // /user/{name}/queue/…       never allowed
        Presence, // /topic/presence            SUBSCRIBE
        Admin, // /admin/…                   ROLE_ADMIN only
    };

    Kind kind = Kind::Invalid;
    QString channel;

    static Destination parse(const QString &text);
    static bool isValidChannelId(const QString &id);
    static QString channelTopic(const QString &channel)
    {
        return QStringLiteral("/topic/channels.") + channel;
    }
    static QString userNotifications() { return QStringLiteral("/user/queue/notifications"); }
    static QString presence() { return QStringLiteral("/topic/presence"); }
};

} // namespace sb::node
