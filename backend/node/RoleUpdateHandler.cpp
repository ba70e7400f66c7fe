#include "node/RoleUpdateHandler.h"

#include "cluster/TokenRegistry.h"
#include "node/QueuedCall.h"
#include "node/Router.h"
#include "node/Worker.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcRoles, "sb.node.roles")

namespace sb::node {

bool RoleUpdateHandler::handle(const QByteArray &payload, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(payload, &parseError);
    const QString user = document.object().value(QStringLiteral("user")).toString();
    if (!document.isObject() || user.isEmpty() || user.size() > 256) {
        *error = QStringLiteral("expected {\"user\": \"…\", \"roles\": […]}");
        return false;
    }
    qCInfo(lcRoles) << "roles of" << user << "changed: revoking their tokens and closing their sessions";
    m_tokens->revokeUser(user);
    const QString reason = QStringLiteral("your roles changed: log in again");
    for (Worker *worker : m_router->workers())
        postQueued(worker, [worker, user, reason] { worker->closeSessionsOf(user, reason); });
    return true;
}

} // namespace sb::node
