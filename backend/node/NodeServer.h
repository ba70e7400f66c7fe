#pragma once

#include "node/NodeConfig.h"
#include "node/NodeIdentity.h"
#include "node/WorkerDeps.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <memory>

class QThread;

namespace sb::cluster {
class EventBus;
class NodeRegistry;
class PresenceCounter;
class ReplayStore;
class SessionStore;
class TokenRegistry;
} // namespace sb::cluster

namespace sb::node {

class NodeListener;
class NodeReadiness;
class MemoryTrimmer;
class PresenceLease;
class RegistryAnnouncer;
class Router;
class TokenService;
class Worker;

// The cluster ports a replica runs on; app/ picks the adapters (in-memory, Redis, Kafka).
struct NodeAdapters
{
    cluster::TokenRegistry *tokens = nullptr;
    cluster::ReplayStore *replay = nullptr;
    cluster::PresenceCounter *presence = nullptr;
    cluster::EventBus *bus = nullptr;
    cluster::SessionStore *sessions = nullptr;
    cluster::NodeRegistry *registry = nullptr;
};

// One replica: it owns the services its worker threads share (each thread-safe or read-only
// once the workers start) and hands each worker, session and stream only what it uses
// (WorkerDeps and the structs in it). N worker threads, the listener, and graceful shutdown. drain() makes
// the node unready at once, stops accepting, tells STOMP clients "going away" (1001) and SSE clients to retry
// elsewhere, then finishes when every connection is gone and the minimum drain period (drainMinSeconds) is
// over, or when the grace period ends. The minimum is what lets a load balancer's health check, the
// registry's readers and the console see the drain at all: idle clients leave within milliseconds.
class NodeServer : public QObject
{
    Q_OBJECT
public:
    NodeServer(const NodeConfig &config, const NodeAdapters &adapters, QObject *parent = nullptr);
    ~NodeServer() override;

    // Loads users; false with a message when the configuration cannot work.
    bool prepare(QString *error);
    bool listen(QString *error);
    quint16 port() const;
    QString address() const;
    // What app/'s assembly wires once the adapters are up: the token service's fail-open
    // policy, the role updates' router, and the dependencies' part in readiness.
    TokenService *tokens() const;
    Router *router() const;
    NodeReadiness *readiness() const;
    void drain();
    // A termination signal: the first drains, the next ends the drain at once (an operator's
    // second Ctrl+C, or an orchestrator that cannot wait).
    void requestStop();

signals:
    void drained();

private:
    struct Services; // what the replica owns and its workers share (NodeServer.cpp)

    void checkDrained();
    void finishDrain();
    WorkerDeps workerDeps() const;

    NodeConfig m_config;
    NodeAdapters m_adapters;
    NodeIdentity m_identity;
    std::unique_ptr<Services> m_services;
    WorkerDeps m_workerDeps; // what m_services and the adapters give the workers: set by listen()
    QList<QThread *> m_threads;
    QList<Worker *> m_workers;
    NodeListener *m_listener = nullptr;
    RegistryAnnouncer *m_announcer = nullptr;
    PresenceLease *m_presenceLease = nullptr;
    MemoryTrimmer *m_memoryTrimmer = nullptr;
    QTimer m_drainPoll;
    QTimer m_graceTimer;
    QElapsedTimer m_drainClock;
    bool m_holdLogged = false;
};

} // namespace sb::node
