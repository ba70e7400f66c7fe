#pragma once

#include "protocol/PrometheusTextParser.h"

#include <QString>

namespace sb::app {

// One replica's stage-2 figures, as its own /metrics gives them, and what two readings say
// about an outage in between. The buses differ in what a replica whose bus link went down
// misses: on the Redis bus (pub/sub) it misses the live broadcasts sent meanwhile, and its
// catch-up reads them from stage 1 when its subscription is confirmed again
// (sb_bus_catchup_*: rounds, delivered, running); on Kafka its stage-2 consumer reads on
// from its committed offsets, so it misses nothing and has no catch-up to count. Which bus a
// replica runs is told by the same text: only a replica with a broadcast channel has the
// catch-up figures, only a bridged one (--bus-bridge) the bridge's.
struct FaultStage2Reading
{
    bool answered = false; // the replica's /metrics was read
    bool channel = false; // Redis pub/sub stage 2 (alone or bridged): it can miss and catch up
    bool bridged = false; // both buses at once (the first pass of a bus switch)
    double rounds = 0; // sb_bus_catchup_rounds_total
    double caughtUp = 0; // sb_bus_catchup_delivered_total
    double running = 0; // sb_bus_catchup_running
    double delivered = 0; // sb_bus_delivered_total

    static FaultStage2Reading from(const protocol::PrometheusTextParser::Result &metrics);
    QString busName() const;

    // `after` compared with `before` (counted from the replica's start if it restarted in
    // between or `before` was not read): a replica on the Redis bus has re-subscribed (a
    // catch-up round started) and no round is still reading; one on Kafka has nothing to wait for.
    static bool settled(const FaultStage2Reading &before, const FaultStage2Reading &after);
    // One line for the event log, e.g. "node-2 (redis bus): subscribed again, caught up 37
    // from stage 1 in 1 catch-up round(s) (what pub/sub had not brought it live); …".
    static QString describe(
        const QString &replica, const FaultStage2Reading &before, const FaultStage2Reading &after);
};

} // namespace sb::app
