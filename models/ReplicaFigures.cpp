#include "models/ReplicaFigures.h"

#include <cmath>

namespace sb::models {

ReplicaFigures ReplicaFigures::from(const QList<sb::inspect::ReplicaInfo> &replicas)
{
    ReplicaFigures f;
    int counted = 0;
    for (const auto &replica : replicas) {
        if (replica.isDown()) {
            ++f.replicasDown;
            continue;
        }
        if (replica.state == sb::inspect::ReplicaInfo::State::Left) {
            ++f.replicasLeft;
            continue;
        }
        ++f.replicasUp;
        f.replicasNotReady += replica.state == sb::inspect::ReplicaInfo::State::Unready ? 1 : 0;
        const auto connections = replica.totalConnections();
        if (!connections)
            continue; // a replica no source counts does not pull the mean down
        ++counted;
        f.totalConnections += *connections;
        f.maxConnections = qMax(f.maxConnections, *connections);
    }
    if (counted > 0) {
        f.meanConnections = double(f.totalConnections) / counted;
        if (f.meanConnections > 0)
            f.imbalance = double(f.maxConnections) / f.meanConnections;
    }
    return f;
}

QJsonObject ReplicaFigures::toJson() const
{
    QJsonObject json { { QStringLiteral("replicasUp"), replicasUp },
        { QStringLiteral("replicasNotReady"), replicasNotReady },
        { QStringLiteral("replicasDown"), replicasDown }, { QStringLiteral("replicasLeft"), replicasLeft },
        { QStringLiteral("totalConnections"), totalConnections },
        { QStringLiteral("imbalance"),
            imbalance ? QJsonValue(std::round(*imbalance * 100) / 100) : QJsonValue(QJsonValue::Null) },
        { QStringLiteral("imbalanceWarning"), imbalanced() } };
    return json;
}

} // namespace sb::models
