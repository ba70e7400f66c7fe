#pragma once

#include "app/NodeClusterOptions.h"
#include "node/NodeServer.h"

#include <QObject>
#include <QThread>

#include <memory>

namespace sb::cluster {
class CachedNodeRegistry;
class EventBus;
class RedisBroadcastChannel;
class KafkaEventBus;
class KafkaTopicFeed;
class NodeRegistry;
class PresenceCounter;
class RedisConnection;
class ReplayStore;
class SessionStore;
class TokenRegistry;
} // namespace sb::cluster

namespace sb::node {
class NodeReadiness;
class RoleUpdateHandler;
} // namespace sb::node

namespace sb::app {

// Chooses a replica's adapters once, here and nowhere else (docs/architecture.md):
// Redis (token registry, replay streams, presence, sessions, node registry) when --redis
// is given, otherwise in-memory; the Kafka two-stage bus when --kafka is given, otherwise
// a local bus. The Redis connection runs on its own thread; Kafka's clients poll on
// theirs. Readiness follows Redis' connection and the brokers' health.
class NodeAssembly : public QObject
{
    Q_OBJECT
public:
    NodeAssembly(const node::NodeConfig &config, NodeClusterOptions options, QObject *parent = nullptr);
    ~NodeAssembly() override;

    // Builds the adapters; false with a one-line *error for a configuration that cannot work.
    bool assemble(QString *error);
    node::NodeAdapters adapters() const;
    // After the NodeServer has set the bus handlers: starts the bus, wires readiness (into
    // the server's), the role updates (to its router) and the token registry's fail-open policy.
    bool start(node::NodeServer *server, QString *error);
    // Leaves the Kafka groups (committing) and closes Redis; idempotent.
    void stop();

    // Role changes (`{"user", "roles"}`) published by the application that owns users.
    static QByteArray roleUpdatedTopic(const QString &topicPrefix);

private:
    void updateReadiness();

    const node::NodeConfig m_config;
    const NodeClusterOptions m_options;
    node::NodeReadiness *m_readiness = nullptr; // the server's, once started

    QThread m_redisThread;
    cluster::RedisConnection *m_redis = nullptr; // lives on m_redisThread
    std::unique_ptr<cluster::TokenRegistry> m_tokens;
    std::unique_ptr<cluster::ReplayStore> m_replay;
    std::unique_ptr<cluster::PresenceCounter> m_presence;
    std::unique_ptr<cluster::SessionStore> m_sessionStore;
    std::unique_ptr<cluster::NodeRegistry> m_nodeRegistry;
    std::unique_ptr<cluster::CachedNodeRegistry> m_replicaList; // over the Redis hash writer
    cluster::SessionStore *m_sessions = nullptr; // m_sessionStore, or the Redis hash writer
    cluster::NodeRegistry *m_registry = nullptr; // m_nodeRegistry, or m_replicaList
    std::unique_ptr<cluster::EventBus> m_bus;
    cluster::KafkaEventBus *m_kafkaBus = nullptr; // m_bus when it is Kafka's
    std::unique_ptr<cluster::RedisBroadcastChannel> m_broadcastChannel; // --bus redis; lives on m_redisThread
    std::unique_ptr<cluster::KafkaTopicFeed> m_roleUpdates; // {prefix}.RoleUpdatedEvent, with --kafka
    std::unique_ptr<node::RoleUpdateHandler> m_roleHandler;
    bool m_redisUp = true;
};

} // namespace sb::app
