#pragma once

#include "inspect/RegistryScanner.h"
#include "inspect/ReplicaDiscoveryConfig.h"
#include "inspect/ReplicaSnapshot.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>

#include <memory>

class QNetworkAccessManager;
class QTimer;

namespace sb::inspect {

class HttpReplicaProbe;
class ReplicaFallbackProbes;
class ReplicaLivenessChecks;

// Finds the replicas of a cluster and polls them every pollIntervalMs, on the thread it
// lives on (a worker: create it, moveToThread(), then call start() through a queued
// invocation). Sources: the Redis registry (SCAN + pipelined HGETALL), Prometheus
// endpoints and /admin/stats URLs, merged by replica id (admin over metrics over registry
// where they overlap).
//
// The registry is not the only source of truth: a replica it listed and no longer lists
// (its key gone, or the registry unreadable, e.g. Redis down) is asked directly at its own
// address (ReplicaFallbackProbes): alive there, it stays, with the state its probes give
// ("alive, not ready: Redis unreachable"); it is Down only when those probes fail too.
// While the registry cannot be read the snapshot says discovery is degraded, and why.
//
// A replica the registry still lists is asked too, once per poll (ReplicaLivenessChecks): a
// replica killed -9 is down at the first poll after its death, not when its key expires.
//
// One snapshotReady per poll carries every replica: a replica that stops being reported
// (registry key gone and its own probes failing, an endpoint failing) stays in it as Down
// with the time it went down, and is forgotten only after forgetDownAfterSeconds. A poll
// is published when all its requests answered, or at the next tick with whatever arrived
// (a slow source never delays the others by more than one interval).
class ReplicaDiscovery : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxReplicas = 2000;

    explicit ReplicaDiscovery(ReplicaDiscoveryConfig config, QObject *parent = nullptr);
    ~ReplicaDiscovery() override;

    // On the worker thread (queued): builds the connections and starts polling at once.
    void start();
    // On the worker thread: stops polling; in-flight answers are dropped.
    void stop();
    // On the worker thread: polls now instead of waiting for the next tick.
    void pollNow();

    const ReplicaDiscoveryConfig &config() const { return m_config; }

signals:
    void snapshotReady(const sb::inspect::ReplicaSnapshot &snapshot);

private:
    void tick();
    void sourceDone(quint64 cycle);
    void publish();
    void probeUnlisted(quint64 cycle);
    void collectListed(QHash<QString, ReplicaInfo> *seen, QHash<QString, QString> *missingReasons) const;
    bool registryUnreadable() const { return m_registry && m_registryAnswered && !m_registryResult.ok; }
    QString registryWhy(const QString &id) const;
    QString degradedReason() const;
    QHash<QString, ReplicaInfo> collect(
        QHash<QString, QString> *missingReasons, QHash<QString, ReplicaInfo> *carried) const;
    void collectUnlisted(QHash<QString, ReplicaInfo> *seen, QHash<QString, QString> *missingReasons,
        QHash<QString, ReplicaInfo> *carried) const;
    QList<ReplicaSourceStatus> sourceStatuses() const;

    ReplicaDiscoveryConfig m_config;
    QTimer *m_timer = nullptr;
    QNetworkAccessManager *m_network = nullptr;
    RegistryScanner *m_registry = nullptr;
    QList<HttpReplicaProbe *> m_probes;

    std::unique_ptr<ReplicaFallbackProbes> m_fallback;
    std::unique_ptr<ReplicaLivenessChecks> m_liveness;

    RegistryScanner::Result m_registryResult;
    bool m_registryAnswered = false;
    QDateTime m_scanStartedAt; // of the registry read in flight
    quint64 m_fallbackCycle = 0; // the last cycle the fallback probes were polled in
    quint64 m_cycle = 0;
    bool m_cycleOpen = false;
    int m_pending = 0;
    quint64 m_published = 0;
    QHash<QString, ReplicaInfo> m_known; // everything published last time, by id
};

} // namespace sb::inspect
