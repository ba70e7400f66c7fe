#pragma once

#include "node/AddressConnectionLimit.h"
#include "node/NodeConfig.h"
#include "node/NodeMetrics.h"
#include "node/PerUserQuota.h"
#include "node/RateLimiter.h"
#include "node/SseTicketBook.h"
#include "node/TapHub.h"
#include "node/UserDirectory.h"

#include <atomic>
#include <memory>

namespace sb::cluster {
class EventBus;
class NodeRegistry;
class PresenceCounter;
class ReplayStore;
class SessionStore;
class TokenRegistry;
} // namespace sb::cluster

namespace sb::node {

class MessageService;
class Router;
class TokenService;

// What every worker thread of a replica shares. Built once by NodeServer before the
// workers start; each member is thread-safe or read-only from then on. The cluster ports
// are whichever adapters app/ assembled (in-memory, Redis, Kafka).
struct NodeServices
{
    NodeConfig config;
    QString bootId;
    qint64 startedAtMs = 0;
    NodeMetrics metrics;
    UserDirectory users;
    std::unique_ptr<TapHub> tap;
    std::unique_ptr<SseTicketBook> tickets;
    std::unique_ptr<PerUserQuota> sseStreamsPerUser;
    AddressConnectionLimit connectionsPerAddress;
    std::unique_ptr<RateLimiter> loginsPerUser;
    std::unique_ptr<RateLimiter> loginsPerAddress;
    std::unique_ptr<TokenService> tokens;
    std::unique_ptr<Router> router;
    std::unique_ptr<MessageService> messages;

    cluster::TokenRegistry *tokenRegistry = nullptr;
    cluster::ReplayStore *replay = nullptr;
    cluster::PresenceCounter *presence = nullptr;
    cluster::EventBus *bus = nullptr;
    cluster::SessionStore *sessions = nullptr;
    cluster::NodeRegistry *registry = nullptr;

    std::atomic<bool> draining { false };
    std::atomic<bool> dependenciesReady { true }; // Redis/Kafka reachable (cluster adapters set it)

    bool isReady() const { return !draining.load() && dependenciesReady.load(); }
};

} // namespace sb::node
