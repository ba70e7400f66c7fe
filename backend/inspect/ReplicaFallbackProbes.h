#pragma once

#include "inspect/RegistryScanner.h"
#include "inspect/ReplicaDirectProbe.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

class QNetworkAccessManager;
class QObject;

namespace sb::inspect {

// The discovery's second source of truth: every replica the registry has listed (with its
// address), and a ReplicaDirectProbe for each one the registry does not list now — every
// one while the registry cannot be read, only those whose key vanished while it can. So
// neither a Redis outage nor an expired key is taken for a dead replica: a replica is down
// when its own probes fail. The probes live on the discovery's thread, owned by `owner`.
class ReplicaFallbackProbes
{
public:
    ReplicaFallbackProbes(
        const ReplicaDiscoveryConfig &config, QNetworkAccessManager *network, QObject *owner);
    ~ReplicaFallbackProbes();
    ReplicaFallbackProbes(const ReplicaFallbackProbes &) = delete;
    ReplicaFallbackProbes &operator=(const ReplicaFallbackProbes &) = delete;

    // A registry read that answered: its replicas' addresses are remembered, and a replica
    // listed again needs no probe. Returns the replicas only an earlier session saw that it
    // does not list: forgotten now.
    QStringList listed(const RegistryScanner::Result &registry);
    // Starts a probe of each remembered replica `registry` does not list that is idle and
    // due, at most maxDirectProbesPerPoll, the longest-unasked first; each runs `done` once.
    // Returns how many started.
    int pollUnlisted(const RegistryScanner::Result &registry, const HttpReplicaProbe::Done &done);
    // The probes of the remembered replicas `registry` does not list, by id.
    QList<const ReplicaDirectProbe *> unlisted(const RegistryScanner::Result &registry) const;
    int rememberedCount() const { return int(m_addresses.size()); }
    // Remembered from an earlier session (ReplicaDiscoveryConfig::rememberedAddresses), and
    // the registry has not answered since.
    bool fromEarlierSession(const QString &id) const { return m_earlierSession.contains(id); }
    int earlierSessionCount() const { return int(m_earlierSession.size()); }
    bool remembers(const QString &id) const { return m_addresses.contains(id); }
    QString address(const QString &id) const { return m_addresses.value(id); }
    // Forgets the replicas the discovery no longer shows (down for forgetDownAfterSeconds).
    template<typename Known> void keepOnly(const Known &known)
    {
        for (auto it = m_addresses.begin(); it != m_addresses.end();) {
            // One an earlier session saw stays until its own probes have spoken.
            if (known.contains(it.key()) || (m_earlierSession.contains(it.key()) && !hasOutcome(it.key()))) {
                ++it;
                continue;
            }
            drop(it.key());
            m_earlierSession.remove(it.key());
            it = m_addresses.erase(it);
        }
    }

private:
    static bool isListed(const RegistryScanner::Result &registry, const QString &id)
    {
        return registry.ok && registry.nodes.contains(id);
    }
    void drop(const QString &id);
    bool hasOutcome(const QString &id) const;

    const ReplicaDiscoveryConfig &m_config;
    QNetworkAccessManager *m_network;
    QObject *m_owner;
    QHash<QString, QString> m_addresses; // id -> host:port, as the registry last gave it
    QSet<QString> m_earlierSession; // in m_addresses from an earlier session only
    QHash<QString, ReplicaDirectProbe *> m_probes;
};

} // namespace sb::inspect
