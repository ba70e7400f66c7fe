#include "node/ReplicasEndpoint.h"

#include "cluster/NodeRegistry.h"
#include "node/HttpExchange.h"

#include <QJsonArray>
#include <QJsonObject>

namespace sb::node {

namespace {
// The registry holds the address the replica listens on; a wildcard one (0.0.0.0, ::)
// cannot be dialled, so the URL is then left out and the page keeps to its own origin.
QString replicaUrl(const QByteArray &address)
{
    if (address.isEmpty() || address.startsWith("0.0.0.0:") || address.startsWith("[::]:")
        || address.startsWith(":::"))
        return {};
    return QStringLiteral("http://") + QString::fromUtf8(address);
}
} // namespace

void ReplicasEndpoint::respond(
    const QString &self, cluster::NodeRegistry *registry, QPointer<HttpExchange> connection)
{
    if (!registry) {
        connection->respond(protocol::HttpResponse::json(
            200, { { QStringLiteral("self"), self }, { QStringLiteral("replicas"), QJsonArray() } }));
        return;
    }
    registry->list(
        connection, [connection, self](bool ok, const QList<cluster::NodeRegistry::Announced> &nodes) {
            if (!connection)
                return;
            if (!ok) {
                protocol::HttpResponse response = protocol::HttpResponse::jsonError(
                    503, QStringLiteral("the replica registry (Redis) is unreachable; retry"));
                response.setHeader("Retry-After", "2");
                connection->respond(response);
                return;
            }
            QJsonArray replicas;
            for (const cluster::NodeRegistry::Announced &node : nodes) {
                if (node.fields.value("left") == "1")
                    continue; // drained and gone: its mark outlives it (RegistryAnnouncer)
                replicas.append(QJsonObject { { QStringLiteral("id"), node.id },
                    { QStringLiteral("url"), replicaUrl(node.fields.value("address")) },
                    { QStringLiteral("ready"), node.fields.value("ready") == "1" },
                    { QStringLiteral("draining"), node.fields.value("draining") == "1" } });
            }
            protocol::HttpResponse response = protocol::HttpResponse::json(
                200, { { QStringLiteral("self"), self }, { QStringLiteral("replicas"), replicas } });
            response.setHeader("Cache-Control", "no-store");
            connection->respond(response);
        });
}

} // namespace sb::node
