#pragma once

#include "cluster/RedisKeys.h"
#include "cluster/RedisUrl.h"

#include <QByteArray>
#include <QString>

#include <chrono>

namespace sb::inspect {

// What RedisPubSubMonitor watches and how much of it it keeps.
struct RedisPubSubMonitorSettings
{
    // Where, and who to log in as (password and ACL user are in the URL).
    cluster::RedisUrl url;
    // A PSUBSCRIBE glob. The default follows the cluster's own key prefix, so it catches the
    // stage-2 bus channel `sb:bus:broadcast` (RedisKeys::broadcastChannel()) and any channel
    // the bus adds under `sb:bus:` later.
    QByteArray pattern = cluster::RedisKeys().prefix() + "bus:*";
    // Payload bytes kept per frame; the rest is cut and the frame marked truncated (bytes
    // still says the full size). The message id is read from the whole payload first.
    qsizetype bodyLimit = 4096;
    // A batch is handed over when it holds this many frames, or this long after its first.
    int maxBatchFrames = 500;
    int maxBatchMs = 50;
    // Pub/sub has no back-pressure: a channel busier than this is sampled, the excess
    // counted (framesDropped), so what the monitor hands the console per second stays bounded.
    int maxFramesPerSecond = 10000;
    // Reconnect back-off after Redis went away: min, doubling per failed attempt, capped.
    std::chrono::milliseconds reconnectMin { 1000 };
    std::chrono::milliseconds reconnectMax { 30000 };
    std::chrono::milliseconds connectTimeout { 5000 };
    // CLIENT SETNAME, so CLIENT LIST (and the Redis view) tells the console's monitor apart.
    QString clientName = QStringLiteral("switchboard-pubsub-monitor");
};

} // namespace sb::inspect
