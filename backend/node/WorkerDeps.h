#pragma once

#include "node/HttpApiDeps.h"
#include "node/NodeLimits.h"
#include "node/SseStreamDeps.h"
#include "node/StompSessionDeps.h"

namespace sb::node {

class AddressConnectionLimit;
class NodeMetrics;
class TapHub;
class UserDirectory;

// What a worker uses of its replica: what it admits a connection by, and what it hands the
// connections it makes (HTTP, SSE, STOMP, tap readers). Each pointer outlives the worker.
struct WorkerDeps
{
    NodeLimits limits; // admission, WebSocket message sizes, tap queues, the close's linger
    bool tcpNagle = false; // NodeConfig::tcpNagle
    AddressConnectionLimit *connectionsPerAddress = nullptr;
    const UserDirectory *users = nullptr; // the worker's ChannelPolicy reads memberships here
    NodeMetrics *metrics = nullptr;
    TapHub *tap = nullptr; // tap readers attach here
    HttpApiDeps http;
    StompSessionDeps stomp;
    SseStreamDeps sse;
};

} // namespace sb::node
