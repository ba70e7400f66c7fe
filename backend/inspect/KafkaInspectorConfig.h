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

    bool isEmpty() const { return settings.bootstrapServers().isEmpty(); }
};

} // namespace sb::inspect
