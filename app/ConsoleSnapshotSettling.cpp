#include "app/ConsoleSnapshotSettling.h"

namespace sb::app {

QStringList ConsoleSnapshotSettling::unsettled() const
{
    QStringList why = unsettledButForClears();
    if (alertsEvaluatedAt.isValid() && clearsWaitedMs < clearsWaitLimitMs)
        for (const QString &clearing : alertsClearing)
            why << QStringLiteral("alert %1").arg(clearing);
    return why;
}

QStringList ConsoleSnapshotSettling::unsettledButForClears() const
{
    // No local alias for the state type: in a unity batch it would shadow ConsoleController's.
    QStringList why;
    if (!attached)
        return { QStringLiteral("the cluster is not attached yet") };
    if (replicas.isEmpty())
        why << QStringLiteral("no replica seen yet");
    for (const auto &[id, state] : replicas) {
        const bool heldUnreadyInOutage = discoveryDegraded && state == inspect::ReplicaInfo::State::Unready
            && unreadyHeldMs.value(id, 0) >= kUnreadyHeldMs;
        if (heldUnreadyInOutage)
            continue;
        // Gone (down, or drained and left) is as settled as ready.
        const bool gone
            = state == inspect::ReplicaInfo::State::Down || state == inspect::ReplicaInfo::State::Left;
        if (state != inspect::ReplicaInfo::State::Ready && !gone)
            why << QStringLiteral("%1 %2").arg(id, inspect::ReplicaInfo::stateKey(state));
        else if (runningReplicas && gone == runningReplicas->contains(id))
            why << QStringLiteral("%1 shown %2, its process %3")
                       .arg(id, inspect::ReplicaInfo::stateKey(state),
                           runningReplicas->contains(id) ? QStringLiteral("runs")
                                                         : QStringLiteral("is gone"));
    }
    if (population) {
        const int settledUsers = population->connected + population->loggedOut;
        if (settledUsers < population->users)
            why << QStringLiteral("%1 of %2 simulated users connecting")
                       .arg(population->users - settledUsers)
                       .arg(population->users);
    }
    if (scriptStepsRun < scriptSteps)
        why << QStringLiteral("%1 of %2 script steps still to run")
                   .arg(scriptSteps - scriptStepsRun)
                   .arg(scriptSteps);
    if (effectsWatching > 0)
        why << QStringLiteral("%1 fault effects still watched").arg(effectsWatching);
    if (kafkaReachable && !*kafkaReachable)
        why << QStringLiteral("Kafka not read yet");
    for (const QString &group : groupsWithoutOffsets)
        why << QStringLiteral("group %1 has committed no offsets yet").arg(group);
    if (lastEffectEndedAt.isValid()) {
        if (!replicasReadAt.isValid() || replicasReadAt <= lastEffectEndedAt)
            why << QStringLiteral("Replicas not read since the last fault's effect");
        if (kafkaReachable && (!kafkaReadAt.isValid() || kafkaReadAt <= lastEffectEndedAt))
            why << QStringLiteral("Kafka not read since the last fault's effect");
    }
    if (alertsEvaluatedAt.isValid()) {
        if (aftermathReadAt.isValid() && alertsEvaluatedAt <= aftermathReadAt)
            why << QStringLiteral("alerts not evaluated since the areas read the last fault's effect");
        for (const QString &raising : alertsRaising)
            why << QStringLiteral("alert %1").arg(raising);
    }
    return why;
}

} // namespace sb::app
