#include "node/ChannelPolicy.h"

#include "node/UserDirectory.h"

namespace sb::node {

namespace {
ChannelPolicy::Verdict policyVerdict(
    ChannelPolicy::Verdict::Outcome outcome, const QString &message, const Destination &destination = {})
{
    return { outcome, message, destination };
}

QString unknownDestinationMessage(const QString &destination)
{
    return QStringLiteral("unknown destination '%1'").arg(destination);
}
} // namespace

ChannelPolicy::ChannelPolicy(const UserDirectory *users)
    : m_users(users)
{ }

QString ChannelPolicy::notMemberMessage(const QString &channel)
{
    return QStringLiteral("not a member of channel '%1'").arg(channel);
}

QString ChannelPolicy::notChannelIdMessage(const QString &channel)
{
    return QStringLiteral("'%1' is not a channel id (letters, digits, - and _, at most 64)").arg(channel);
}

bool ChannelPolicy::isMember(const QString &user, const QString &channel) const
{
    return m_users->isMember(user, channel);
}

QStringList ChannelPolicy::channelsOf(const QString &user) const
{
    return m_users->find(user).value_or(User {}).channels;
}

ChannelPolicy::Verdict ChannelPolicy::member(
    const AuthenticatedUser &user, const Destination &destination) const
{
    if (!isMember(user.name, destination.channel))
        return policyVerdict(Verdict::Outcome::Forbidden, notMemberMessage(destination.channel), destination);
    return policyVerdict(Verdict::Outcome::Allowed, {}, destination);
}

ChannelPolicy::Verdict ChannelPolicy::admin(const AuthenticatedUser &user, const QString &what)
{
    if (!user.isAdmin())
        return policyVerdict(Verdict::Outcome::Forbidden, QStringLiteral("%1 needs ROLE_ADMIN").arg(what));
    return policyVerdict(Verdict::Outcome::Allowed, {});
}

ChannelPolicy::Verdict ChannelPolicy::subscribe(const AuthenticatedUser &user, const QString &text) const
{
    const Destination destination = Destination::parse(text);
    switch (destination.kind) {
    case Destination::Kind::ChannelTopic:
        return member(user, destination);
    case Destination::Kind::UserNotifications: // resolves to the caller's own queue
    case Destination::Kind::Presence:
        return policyVerdict(Verdict::Outcome::Allowed, {}, destination);
    case Destination::Kind::OtherUsersQueue:
        return policyVerdict(Verdict::Outcome::Forbidden,
            QStringLiteral("/user/ destinations resolve to your own queue: subscribe to "
                           "/user/queue/notifications"),
            destination);
    case Destination::Kind::Admin:
        if (Verdict refused = admin(user, text); !refused.allowed()) {
            refused.destination = destination;
            return refused;
        }
        break; // an admin asks for an admin destination that does not exist (yet)
    case Destination::Kind::ChannelApp:
    case Destination::Kind::Invalid:
        break;
    }
    return policyVerdict(Verdict::Outcome::UnknownDestination, unknownDestinationMessage(text), destination);
}

ChannelPolicy::Verdict ChannelPolicy::send(const AuthenticatedUser &user, const QString &text) const
{
    const Destination destination = Destination::parse(text);
    switch (destination.kind) {
    case Destination::Kind::ChannelApp:
        return member(user, destination);
    case Destination::Kind::ChannelTopic:
    case Destination::Kind::Presence:
    case Destination::Kind::UserNotifications:
    case Destination::Kind::OtherUsersQueue:
        return policyVerdict(Verdict::Outcome::Forbidden,
            QStringLiteral("clients SEND to /app/channels.{id}, not to %1").arg(text), destination);
    case Destination::Kind::Admin:
    case Destination::Kind::Invalid:
        break;
    }
    return policyVerdict(Verdict::Outcome::UnknownDestination, unknownDestinationMessage(text), destination);
}

ChannelPolicy::Verdict ChannelPolicy::publish(const AuthenticatedUser &user, const QString &channel) const
{
    if (!Destination::isValidChannelId(channel))
        return policyVerdict(Verdict::Outcome::UnknownDestination, notChannelIdMessage(channel));
    Destination destination;
    destination.kind = Destination::Kind::ChannelApp;
    destination.channel = channel;
    return member(user, destination);
}

} // namespace sb::node
