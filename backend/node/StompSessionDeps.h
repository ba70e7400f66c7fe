#pragma once

#include "node/ConnectionRecords.h"
#include "node/NodeLimits.h"

namespace sb::cluster {
class ReplayStore;
}

namespace sb::node {

class MessageService;
class NodeMetrics;
class NodeReadiness;
class TapHub;
class TokenService;

// What a STOMP session uses of its replica, each of which outlives it (the worker adds
// its own subscription table, publish acknowledgements and channel policy).
struct StompSessionDeps
{
    TokenService *tokens = nullptr; // CONNECT's bearer token
    MessageService *messages = nullptr; // SEND
    cluster::ReplayStore *replay = nullptr; // SUBSCRIBE with `since`
    ConnectionRecords records; // its session lease and its part in presence
    const NodeReadiness *readiness = nullptr; // no session begins while the replica drains
    NodeMetrics *metrics = nullptr;
    TapHub *tap = nullptr;
    int heartBeatMs = 0; // offered in both directions in CONNECTED
    NodeLimits limits; // frame size and headers, subscriptions, outbound queue
};

} // namespace sb::node
