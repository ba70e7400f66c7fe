#pragma once

#include "inspect/BurrowStatus.h"
#include "inspect/ReplicaInfo.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace sb::models {

// What the console reads of the cluster at one moment, reduced to what the alert rules
// judge. Built from the areas' models (AlertObservationsBuilder) or by a test; plain data.
// A part the console does not read (no Kafka configured, no tap) is simply empty: its
// rules then see nothing to alert on.
struct AlertObservations
{
    struct Replica
    {
        QString id;
        inspect::ReplicaInfo::State state = inspect::ReplicaInfo::State::Up;
        QDateTime stateSince;
        QString reason; // why it is down or not ready, in the source's words
        std::optional<qint64> connections;
        std::optional<qint64> heartbeatTimeouts; // counters since the replica started
        std::optional<qint64> slowConsumerDrops;
    };
    struct ConsumerGroup
    {
        QString id;
        inspect::BurrowStatus status
            = inspect::BurrowStatus::NotFound; // the group's, or its worst partition's
        QString reason;
        qint64 lag = 0;
    };
    struct DeadLetterTopic
    {
        QString topic;
        qint64 records = 0; // sum of its partitions' log-end offsets
    };
    struct TapSource
    {
        QString id;
        qint64 droppedBySource = 0; // frames the replica dropped for the console (a counter)
    };

    QList<Replica> replicas;
    QList<ConsumerGroup> groups;
    QList<DeadLetterTopic> deadLetterTopics;
    std::optional<bool> redisReachable; // nullopt: no Redis configured, or not connected yet
    QString redisDetail;
    std::optional<qint64> redisLatencyMs;
    QList<TapSource> tapSources;
    std::optional<qint64> tapDroppedByConsole; // frames the console's batcher dropped (a counter)
};

} // namespace sb::models
