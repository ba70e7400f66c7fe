#pragma once

#include "inspect/TapSourceStatus.h"
#include "models/AlertObservations.h"
#include "models/ConnectionHealth.h"

#include <QList>

#include <optional>

namespace sb::models {

class KafkaGroupModel;
class KafkaTopicModel;
class ReplicaModel;

// Reads what the areas' models already hold into one AlertObservations: no request, no
// wait, a few hundred rows at most, so the GUI thread can do it every second. Each part is
// added on its own, because each area may be missing (not configured, not attached yet).
class AlertObservationsBuilder
{
public:
    static void addReplicas(AlertObservations *o, const ReplicaModel &replicas);
    // Each group's status is its worst partition's where that is worse (a group is ERR
    // when a partition is STOP or STALL: the alert names which), with that reason.
    static void addKafka(AlertObservations *o, const KafkaGroupModel &groups, const KafkaTopicModel &topics);
    // Up or degraded: reachable, with the Redis area's last PING round trip as the latency;
    // down: not; connecting or not configured: unknown.
    static void addRedis(AlertObservations *o, const ConnectionHealth &redis);
    // droppedByConsole: the Traffic area's count of frames its batcher dropped (nullopt until
    // its capture has handed over a first batch).
    static void addTap(AlertObservations *o, const QList<inspect::TapSourceStatus> &sources,
        std::optional<qint64> droppedByConsole);
};

} // namespace sb::models
