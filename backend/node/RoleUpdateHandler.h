#pragma once

#include <QByteArray>
#include <QString>

namespace sb::node {

struct NodeServices;

// A RoleUpdatedEvent (`{"user": "...", "roles": [...]}`, as the field's apps publish it
// when an administrator changes someone's roles): every token issued to that user is
// revoked in the shared registry and their live sessions on this replica end, so the
// next login, on any replica, carries the roles from the source of truth. Idempotent:
// every replica runs it for every event.
class RoleUpdateHandler
{
public:
    explicit RoleUpdateHandler(NodeServices *services)
        : m_services(services)
    {
    }

    // False with *error for a payload that is not such an event.
    bool handle(const QByteArray &payload, QString *error);

private:
    NodeServices *m_services;
};

} // namespace sb::node
