#pragma once

#include "node/NodeIdentity.h"

namespace sb::cluster {
class EventBus;
class NodeRegistry;
class TokenRegistry;
} // namespace sb::cluster

namespace sb::node {

class MessageService;
class NodeMetrics;
class NodeReadiness;
class PerUserQuota;
class RateLimiter;
class SseTicketBook;
class TapHub;
class TokenService;
class UserDirectory;

// What the node's HTTP surface (HttpApi) and its connections use of the replica, grouped
// by the endpoints that need it; each outlives every connection (the worker adds its own
// publish acknowledgements and channel policy).
struct HttpApiDeps
{
    NodeIdentity identity; // /admin/stats, /api/replicas, /admin/stage1
    const NodeReadiness *readiness = nullptr; // the probes; the drain's 503

    // Logging in and tokens: /api/auth/*, and the credentials of every other endpoint.
    const UserDirectory *users = nullptr;
    TokenService *tokens = nullptr;
    cluster::TokenRegistry *tokenRegistry = nullptr; // a login's 200 waits until it holds the token
    SseTicketBook *tickets = nullptr;
    int ticketSeconds = 30;
    RateLimiter *loginsPerUser = nullptr;
    RateLimiter *loginsPerAddress = nullptr;

    // Streams and publishing: /api/sse, /api/channels/{id}/messages.
    PerUserQuota *sseStreamsPerUser = nullptr;
    int maxSseStreamsPerUser = 5;
    MessageService *messages = nullptr;

    // The cluster, as /metrics, the admin endpoints and /api/replicas show it.
    cluster::EventBus *bus = nullptr;
    cluster::NodeRegistry *registry = nullptr;

    NodeMetrics *metrics = nullptr;
    TapHub *tap = nullptr;
};

} // namespace sb::node
