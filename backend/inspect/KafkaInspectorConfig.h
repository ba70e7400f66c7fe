#pragma once

#include "cluster/KafkaSettings.h"

#include <QStringList>

namespace sb::inspect {

// What the Kafka view watches: a cluster (bootstrap + librdkafka properties, so SASL/SSL
// work) and, for brokers that cannot list groups, the groups to watch anyway.
struct KafkaInspectorConfig
{
    cluster::KafkaSettings settings;
    QStringList groups; // named by the profile
    int pollIntervalMs = 2000;
    int requestTimeoutMs = 3000;
    // Bounds the work per poll on clusters with thousands of groups; the groups the
    // profile or the registry name are always watched.
    int maxListedGroups = 200;
    // The consumer session timeout assumed for a replica's group when its replica is gone
    // and the broker cannot say whether the member is still there (no DescribeGroups, e.g.
    // the mock cluster): the group is DOWN this long after the replica was last seen, then
    // RETIRED. The nodes' --kafka-session-timeout-ms default.
    int consumerSessionTimeoutMs = 10000;

    bool isEmpty() const { return settings.bootstrapServers().isEmpty(); }
};

} // namespace sb::inspect
