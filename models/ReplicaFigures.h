#pragma once

#include "inspect/ReplicaInfo.h"

#include <QJsonObject>
#include <QList>

#include <optional>

namespace sb::models {

// The Replicas area's headline numbers for one poll. Imbalance is max/mean of the
// connection counts across the replicas that are not down: 1.0 is perfectly even; well
// above 1 means one replica holds far more clients than the rest, the signature of sticky
// load balancing (nginx ip_hash behind a NAT, long-lived WebSockets after a rolling restart).
struct ReplicaFigures
{
    static constexpr double kImbalanceWarning = 1.5;

    int replicasUp = 0; // up, alive but not ready, ready or draining
    int replicasNotReady = 0; // of those, alive but not ready (e.g. Redis unreachable)
    int replicasDown = 0;
    int replicasLeft = 0; // drained and gone, on purpose: neither up nor down
    qint64 totalConnections = 0; // over replicas not down
    qint64 maxConnections = 0;
    double meanConnections = 0;
    std::optional<double> imbalance; // nullopt: no replica up, or no connections at all

    bool imbalanced() const { return imbalance && *imbalance > kImbalanceWarning; }

    static ReplicaFigures from(const QList<sb::inspect::ReplicaInfo> &replicas);
    QJsonObject toJson() const;
    bool operator==(const ReplicaFigures &) const = default;
};

} // namespace sb::models
