#pragma once

#include "node/AuthenticatedUser.h"
#include "node/Destination.h"

#include <QString>
#include <QStringList>

namespace sb::node {

class UserDirectory;

// Who may do what where (docs/protocol.md, "Destinations and authorisation"): the one home
// of channel membership, `/user/` resolution and ROLE_ADMIN, asked alike by STOMP (SUBSCRIBE,
// SEND), HTTP (publishing, the admin endpoints) and SSE (which channels a stream carries),
// so the same question always gets the same answer in the same words. Membership is read
// from the user directory, not the token: it is the source of truth a token only names.
// Pure: no I/O, no state of its own; the directory is read-only once the node runs, so
// every worker thread may ask at once.
class ChannelPolicy
{
public:
    struct Verdict
    {
        enum class Outcome { Allowed, Forbidden, UnknownDestination };
        Outcome outcome = Outcome::Allowed;
        QString message; // why not, as the client is told (empty when allowed)
        Destination destination; // as parsed; only Allowed guarantees it names something

        bool allowed() const { return outcome == Outcome::Allowed; }
    };

    explicit ChannelPolicy(const UserDirectory *users);

    // STOMP SUBSCRIBE: a channel's topic for its members, the caller's own notification
    // queue, presence for anyone, /admin/… refused to non-admins (and unknown to admins:
    // none exists yet); /user/{anyone}/… never (/user/ resolves only to the caller).
    Verdict subscribe(const AuthenticatedUser &user, const QString &destination) const;
    // STOMP SEND: only /app/channels.{id}, by its members.
    Verdict send(const AuthenticatedUser &user, const QString &destination) const;
    // HTTP POST /api/channels/{id}/messages: the same rule as a SEND to /app/channels.{id}.
    Verdict publish(const AuthenticatedUser &user, const QString &channel) const;
    // An endpoint or destination only ROLE_ADMIN may use; `what` names it in the refusal.
    static Verdict admin(const AuthenticatedUser &user, const QString &what);

    bool isMember(const QString &user, const QString &channel) const;
    // Every channel `user` is a member of: what the user's SSE stream carries.
    QStringList channelsOf(const QString &user) const;

    static QString notMemberMessage(const QString &channel);
    static QString notChannelIdMessage(const QString &channel);

private:
    Verdict member(const AuthenticatedUser &user, const Destination &destination) const;

    const UserDirectory *m_users;
};

} // namespace sb::node
