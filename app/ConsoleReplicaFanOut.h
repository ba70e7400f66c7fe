#pragma once

#include "inspect/KafkaGroupOwner.h"
#include "inspect/TapEndpoint.h"

#include <QList>
#include <QObject>
#include <QPointer>

namespace sb::models {
class ReplicaModel;
}

namespace sb::app {

class KafkaAreaAssembly;
class ReplicasAreaAssembly;
class TrafficAreaAssembly;

// What the Replicas area finds, passed on after each of its polls to the areas that depend
// on it: to the Kafka area the consumer groups each replica announces, with that replica's
// state (where the broker cannot list groups the replicas name them, and a gone replica's
// group shows as such); to the Traffic area every replica's tap endpoint. One per
// attachment, made once the areas it feeds exist; a child of the Replicas area.
class ConsoleReplicaFanOut : public QObject
{
    Q_OBJECT
public:
    // `traffic` may be null (a profile without an admin user taps nothing).
    ConsoleReplicaFanOut(
        ReplicasAreaAssembly *replicas, KafkaAreaAssembly *kafka, TrafficAreaAssembly *traffic);

    // Each (group, replica) the replicas announce, sorted by group then replica.
    static QList<inspect::KafkaGroupOwner> groupOwners(const models::ReplicaModel &replicas);
    // Every replica with an id and an address, down ones included: their tap clients say
    // "down" and retry, so the Traffic area shows the same cluster as the Replicas area.
    static QList<inspect::TapEndpoint> tapEndpoints(const models::ReplicaModel &replicas);

private:
    void forward();

    const models::ReplicaModel *m_replicas;
    // The controller destroys these two before the Replicas area, and this with it: guarded,
    // so nothing in between reaches a destroyed area.
    QPointer<KafkaAreaAssembly> m_kafka;
    QPointer<TrafficAreaAssembly> m_traffic;
};

} // namespace sb::app
