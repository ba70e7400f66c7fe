#include "node/Destination.h"

namespace sb::node {

bool Destination::isValidChannelId(const QString &id)
{
    if (id.isEmpty() || id.size() > 64)
        return false;
    for (QChar c : id)
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != u'-' && c != u'_')
            return false;
    return true;
}

Destination Destination::parse(const QString &text)
{
    Destination d;
    static const QString topicPrefix = QStringLiteral("/topic/channels.");
    static const QString appPrefix = QStringLiteral("/app/channels.");
    if (text.startsWith(topicPrefix)) {
        d.channel = text.mid(topicPrefix.size());
        d.kind = isValidChannelId(d.channel) ? Kind::ChannelTopic : Kind::Invalid;
    } else if (text.startsWith(appPrefix)) {
        d.channel = text.mid(appPrefix.size());
        d.kind = isValidChannelId(d.channel) ? Kind::ChannelApp : Kind::Invalid;
    } else if (text == userNotifications()) {
        d.kind = Kind::UserNotifications;
    } else if (text.startsWith(QStringLiteral("/user/"))) {
        d.kind = Kind::OtherUsersQueue;
    } else if (text == presence()) {
        d.kind = Kind::Presence;
    } else if (text.startsWith(QStringLiteral("/admin/")) || text == u"/admin") {
        d.kind = Kind::Admin;
    }
    if (d.kind == Kind::Invalid)
        d.channel.clear();
    return d;
}

} // namespace sb::node
