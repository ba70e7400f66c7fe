#pragma once

#include "node/ConnectionRecords.h"

#include <QtGlobal>

namespace sb::cluster {
class ReplayStore;
}

namespace sb::node {

class NodeMetrics;
class PerUserQuota;
class TapHub;

// What an SSE stream uses of its replica, each of which outlives it (the worker adds its
// own subscription table and channel policy).
struct SseStreamDeps
{
    cluster::ReplayStore *replay = nullptr; // what a Last-Event-ID missed
    ConnectionRecords records; // its session lease and its part in presence
    PerUserQuota *streamsPerUser = nullptr; // HttpApi took the stream's place; it gives it back
    NodeMetrics *metrics = nullptr;
    TapHub *tap = nullptr;
    int lifetimeSeconds = 300; // then a final retry, so the client reconnects
    int commentSeconds = 15; // idle comment lines that keep proxies from timing out
    int retryMs = 3000;
    qint64 maxOutboundQueueBytes = 1024 * 1024; // beyond it: slow consumer
    int maxOutboundAgeMs = 10000; // the oldest unsent byte's wait; beyond it: slow consumer (0: none)
};

} // namespace sb::node
