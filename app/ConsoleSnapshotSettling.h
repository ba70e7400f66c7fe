#pragma once

#include "app/DemoPopulationStats.h"
#include "inspect/ReplicaInfo.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QPair>
#include <QSet>
#include <QStringList>

#include <optional>

namespace sb::app {

// `switchboard --snapshot DIR --snapshot-settled`: the snapshot is taken once what the
// console shows has stopped moving, not at a fixed time that a slow machine (a sanitizer
// build, a loaded CI runner) may not meet. Settled means: the areas are attached; every
// replica the Replicas area lists is Ready or Down (not Up with readiness unknown, Unready or
// Draining); every simulated user is connected or deliberately away; every step of a
// --demo-script has run and its effect watch has ended; Kafka has been read and every
// consumer group the replicas announce has committed offsets. One exception: while the
// registry is unreachable (the Replicas area's discovery degraded, Redis down), a replica
// shown alive but not ready cannot become ready before Redis returns, so one that has held
// that state through kUnreadyHeldMs of direct probes is settled: a snapshot during a Redis
// outage need not wait for a fixed time. Pure, so each rule is unit-tested.
struct ConsoleSnapshotSettling
{
    bool attached = false; // the areas read a cluster (the demo is up, or a profile is attached)
    QList<QPair<QString, inspect::ReplicaInfo::State>> replicas; // as the Replicas area shows them
    bool discoveryDegraded = false; // the registry unreachable; replicas probed directly
    // Per replica shown Unready: how long it has been shown so while its probes answered
    // (its last answer minus when it entered the state).
    QHash<QString, qint64> unreadyHeldMs;
    static constexpr qint64 kUnreadyHeldMs = 3000; // three of the Replicas area's 1 s polls
    std::optional<DemoPopulationStats> population; // the demo's users; none outside the demo
    // The demo's replicas whose process runs (the devcluster knows); none outside the demo.
    // A replica shown down while its process runs (restarted, not yet re-read), or shown
    // ready while it is gone, is not settled.
    std::optional<QSet<QString>> runningReplicas;
    int scriptSteps = 0; // --demo-script steps, all of them
    int scriptStepsRun = 0;
    int effectsWatching = 0; // fault events whose effect watch has not ended
    std::optional<bool> kafkaReachable; // the Kafka area's last poll; none when no Kafka is watched
    QStringList groupsWithoutOffsets; // groups the replicas announce that have committed nothing yet
    // The alerts' view of a fault's aftermath: once a fault's effect watch has ended, the
    // areas must have read again (the watch saw the effect with its own reader; the areas
    // see it on their next poll), the rules have evaluated those readings, and no alert be
    // half-way to raising (AlertEngine::pendingRaises). Else the snapshot misses what the
    // next seconds raise: the DLT's growth the poison's watch saw becoming dead-letters.
    QDateTime lastEffectEndedAt; // invalid: no effect watch has ended
    QDateTime replicasReadAt; // the Replicas area's last poll
    QDateTime kafkaReadAt; // the Kafka area's last poll; invalid when no Kafka is watched
    // When every area had first read after lastEffectEndedAt; invalid until then.
    QDateTime aftermathReadAt;
    QDateTime alertsEvaluatedAt; // invalid: no alert engine (nothing to wait for)
    QStringList alertsRaising;
    // The clears under way (AlertEngine::pendingClears): an alert whose condition ended is
    // cleared clearAfterSeconds later, and a snapshot taken in between shows it active (the
    // consumer-group alert of a paused group just resumed). Waited for from the moment all
    // else has settled (clearsWaitedMs since then), clearsWaitLimitMs at most: a clear is
    // done within clearAfterSeconds unless its condition returns, and one flapping at its
    // threshold must not hold the snapshot until --snapshot-after.
    QStringList alertsClearing;
    qint64 clearsWaitedMs = 0;
    qint64 clearsWaitLimitMs = 0;
    static constexpr qint64 kClearsWaitMarginMs = 5000; // past clearAfterSeconds: polls, timers

    // What still moves, one short phrase each ("node-1 draining", "3 of 60 simulated users
    // connecting"); empty when settled.
    QStringList unsettled() const;
    // The same but for the clears under way: from when this is empty, they are waited for.
    QStringList unsettledButForClears() const;
};

} // namespace sb::app
