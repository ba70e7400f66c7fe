#pragma once

#include <QPointer>
#include <QString>

namespace sb::cluster {
class NodeRegistry;
}

namespace sb::node {

class HttpExchange;

// GET /api/replicas (public): which replica answers, and the replicas of its cluster as
// they announce themselves in the registry (sb:node:{id}, indexed by sb:nodes), with the
// URL a browser reaches each at. The chat page shows the first and fails over to the
// others; nothing here is a secret the console's Redis view does not already show.
class ReplicasEndpoint
{
public:
    // self: this replica's id; registry: none in a single process (the list is then empty).
    static void respond(
        const QString &self, cluster::NodeRegistry *registry, QPointer<HttpExchange> connection);
};

} // namespace sb::node
