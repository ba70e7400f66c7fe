#pragma once

#include <QByteArray>
#include <QString>

namespace sb::cluster {
class TokenRegistry;
}

namespace sb::node {

class Router;

// A RoleUpdatedEvent (`{"user": "...", "roles": [...]}`, as the field's apps publish it
// when an administrator changes someone's roles): every token issued to that user is
// revoked in the shared registry and their live sessions on this replica end, so the
// next login, on any replica, carries the roles from the source of truth. Idempotent:
// every replica runs it for every event.
class RoleUpdateHandler
{
public:
    // Both outlive the handler: the registry the node's tokens live in, and the Router,
    // whose workers hold the user's sessions.
    RoleUpdateHandler(cluster::TokenRegistry *tokens, const Router *router)
        : m_tokens(tokens)
        , m_router(router)
    { }

    // False with *error for a payload that is not such an event.
    bool handle(const QByteArray &payload, QString *error);

private:
    cluster::TokenRegistry *m_tokens;
    const Router *m_router;
};

} // namespace sb::node
