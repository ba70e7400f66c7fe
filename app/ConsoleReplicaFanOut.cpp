#include "app/ConsoleReplicaFanOut.h"

#include "app/KafkaAreaAssembly.h"
#include "app/ReplicasAreaAssembly.h"
#include "app/TrafficAreaAssembly.h"
#include "models/ReplicaModel.h"

#include <QUrl>

#include <algorithm>
#include <tuple>

namespace sb::app {

ConsoleReplicaFanOut::ConsoleReplicaFanOut(
    ReplicasAreaAssembly *replicas, KafkaAreaAssembly *kafka, TrafficAreaAssembly *traffic)
    : QObject(replicas)
    , m_replicas(replicas->model())
    , m_kafka(kafka)
    , m_traffic(traffic)
{
    connect(replicas, &ReplicasAreaAssembly::snapshotApplied, this, &ConsoleReplicaFanOut::forward);
}

void ConsoleReplicaFanOut::forward()
{
    if (m_kafka)
        m_kafka->setGroupOwners(groupOwners(*m_replicas));
    if (m_traffic)
        m_traffic->setEndpoints(tapEndpoints(*m_replicas));
}

QList<inspect::KafkaGroupOwner> ConsoleReplicaFanOut::groupOwners(const models::ReplicaModel &replicas)
{
    QList<inspect::KafkaGroupOwner> owners;
    for (int row = 0; row < replicas.rowCount(); ++row) {
        const inspect::ReplicaInfo &replica = replicas.replica(row);
        for (const QString &group : replica.kafkaGroups)
            owners.append({ group, replica.id, replica.isGone(), replica.lastSeen,
                replica.kafkaGroupsFromStart.contains(group) });
    }
    // In a stable order, so an unchanged registry is an unchanged list for the inspector.
    std::sort(owners.begin(), owners.end(),
        [](const inspect::KafkaGroupOwner &a, const inspect::KafkaGroupOwner &b) {
            return std::tie(a.group, a.replica) < std::tie(b.group, b.replica);
        });
    return owners;
}

QList<inspect::TapEndpoint> ConsoleReplicaFanOut::tapEndpoints(const models::ReplicaModel &replicas)
{
    QList<inspect::TapEndpoint> endpoints;
    for (int row = 0; row < replicas.rowCount(); ++row) {
        const inspect::ReplicaInfo &replica = replicas.replica(row);
        if (replica.id.isEmpty() || replica.address.isEmpty())
            continue;
        const QUrl base(
            replica.address.contains(u"://") ? replica.address : QStringLiteral("http://") + replica.address);
        if (base.isValid() && !base.host().isEmpty())
            endpoints.append({ replica.id, base });
    }
    return endpoints;
}

} // namespace sb::app
