#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace sb::inspect {

// A consumer group a replica announces (registry field kafkaGroups), and how that replica
// is as the Replicas area last saw it: the Kafka view uses it to tell a group whose
// replica is gone (down, then retired) from one whose consumers are in trouble.
struct KafkaGroupOwner
{
    QString group;
    QString replica;
    bool gone = false; // the replica is down (its registry entry is gone, its probes fail)
    QDateTime lastSeen; // the last time any source saw it alive
    // The replica announces that the group starts at the log start where it never committed
    // (registry field kafkaGroupsFromStart): a never-committed partition is then work still
    // to do (KafkaInspector counts its records as lag), not nothing.
    bool readsFromStart = false;

    bool operator==(const KafkaGroupOwner &other) const = default;
};

} // namespace sb::inspect
