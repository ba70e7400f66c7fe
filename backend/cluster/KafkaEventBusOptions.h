#pragma once

#include "cluster/KafkaProducerOptions.h"
#include "cluster/KafkaSettings.h"

#include <QByteArray>

namespace sb::cluster {

class BroadcastChannel;

// Everything a node needs to assemble a KafkaEventBus (see KafkaEventBus).
struct KafkaEventBusOptions
{
    KafkaSettings settings; // --kafka and --kafka-property
    QByteArray topicPrefix = QByteArrayLiteral("switchboard"); // --topic-prefix
    QByteArray nodeId; // --id: names this replica's broadcast group
    // Unique per process start (e.g. a random hex string): a restarted replica gets a
    // fresh broadcast group, so it neither inherits nor replays its previous life.
    QByteArray bootId;

    // Stage-1 failures: attempts after the first, and the pause before each.
    int persistRetries = 2;
    int retryBackoffMs = 1000;
    // Stage 2 refusing while reachable: the relay sends again after retryBackoffMs, doubling
    // up to this; while it is unreachable, it sends as soon as it is back (checked every 50 ms).
    int broadcastRetryMaxMs = 30000;
    // With a broadcastChannel: live messages held back while this replica catches up from
    // stage 1 after its subscription returned (KafkaBroadcastCatchUp). Beyond it the held
    // ones are dropped (counted in catchUpHeldDropped) and read from stage 1 instead, so
    // nothing is lost; memory stays bounded.
    int catchUpMaxHeld = 100000;

    // Group timings. A crashed replica's stage-1 partitions move to the others after
    // sessionTimeoutMs; tests lower both.
    int sessionTimeoutMs = 10000;
    int heartbeatIntervalMs = 1000;

    KafkaProducerOptions producer;

    // Stage 2 over this channel (e.g. Redis pub/sub, `--bus redis`) instead of the
    // {prefix}.SseBroadcast topic and its per-boot group; not owned, must outlive the bus.
    BroadcastChannel *broadcastChannel = nullptr;
    // With a broadcastChannel: stage 2 on both the channel and the broadcast topic while a
    // cluster switches its bus (`--bus-bridge`): the relay sends every record on both, and
    // this replica listens to both, delivering each record once (BusBridgeFilter). Then a
    // replica still on either one bus alone hears what this one relays, and this one hears
    // what it relays; see docs/operations.md, "Switching the stage-2 bus".
    bool bridgeBuses = false;
    // With bridgeBuses: how long a record heard ahead of the next one expected of its
    // stage-1 partition waits for the earlier ones (which may come on the other, slower
    // bus) before it is delivered without them; 0 delivers at once, in arrival order. See
    // BusBridgeFilter and docs/reliability.md, "Order".
    int bridgeOrderWaitMs = 0;
};

} // namespace sb::cluster
