#pragma once

#include "node/NodeConfig.h"

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

struct NodeServices;
class NodeListener;
class MemoryTrimmer;
class PresenceLease;
class RegistryAnnouncer;
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

// One replica: N worker threads, the listener, and graceful shutdown. drain() makes the
// node unready at once, stops accepting, tells STOMP clients "going away" (1001) and SSE
// clients to retry elsewhere, then finishes when every connection is gone and the minimum
// drain period (drainMinSeconds) is over, or when the grace period ends. The minimum is
// what lets a load balancer's health check, the registry's readers and the console see
// the drain at all: idle clients leave within milliseconds.
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
    NodeServices *services() const { return m_services.get(); }
    void drain();
    // A termination signal: the first drains, the next ends the drain at once (an operator's
    // second Ctrl+C, or an orchestrator that cannot wait).
    void requestStop();

signals:
    void drained();

private:
    void checkDrained();
    void finishDrain();

    std::unique_ptr<NodeServices> m_services;
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
