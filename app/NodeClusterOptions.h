#pragma once

#include <QString>
#include <QStringList>

namespace sb::app {

// Where a replica's cluster state lives (`switchboard node --redis/--kafka/--bus`).
// Nothing given: in-memory stores and a local bus, for one process.
struct NodeClusterOptions
{
    QString redisUrl; // empty: in-memory token registry, replay, presence, sessions
    QString kafkaBootstrap; // empty: no two-stage fan-out (one process)
    QStringList kafkaProperties; // --kafka-property key=value, passed to librdkafka
    QString bus = QStringLiteral("kafka"); // stage 2: kafka | redis
    // During a rolling switch of the bus: the other bus too (empty: none). Every broadcast
    // is sent on both and heard from both (KafkaEventBusOptions::bridgeBuses).
    QString busBridge;
    // With busBridge: how long a broadcast ahead of its stage-1 partition's next offset waits
    // for the earlier ones, so the partition goes out in order (KafkaEventBusOptions::bridgeOrderWaitMs).
    int busBridgeOrderWaitMs = 0; // off: see BusBridgeFilter::kDefaultOrderWaitMs
    // The stage-1 group's session timeout: a crashed replica's partitions move after it,
    // and a coordinator may hold a rebalance for nearly as long when a replica joins late.
    int kafkaSessionTimeoutMs = 10000;
    // --bus redis: live messages a catch-up from stage 1 may hold back before it drops
    // them (counted) and reads them from stage 1 again (KafkaEventBusOptions::catchUpMaxHeld).
    int catchUpMaxHeld = 100000;
};

} // namespace sb::app
