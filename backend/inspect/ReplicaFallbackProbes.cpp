#include "inspect/ReplicaFallbackProbes.h"

#include <QDateTime>

#include <algorithm>

namespace sb::inspect {

ReplicaFallbackProbes::ReplicaFallbackProbes(const ReplicaDiscoveryConfig &config, QNetworkAccessManager *network,
                                             QObject *owner)
    : m_config(config)
    , m_network(network)
    , m_owner(owner)
{
}

ReplicaFallbackProbes::~ReplicaFallbackProbes()
{
    qDeleteAll(m_probes);
}

void ReplicaFallbackProbes::listed(const RegistryScanner::Result &registry)
{
    if (!registry.ok)
        return;
    for (auto it = registry.nodes.cbegin(); it != registry.nodes.cend(); ++it) {
        const QString address = QString::fromUtf8(it.value().value("address")).trimmed();
        if (address.isEmpty())
            continue;
        if (m_addresses.value(it.key()) != address)
            drop(it.key()); // moved (a restart on another port): probe the new address
        m_addresses.insert(it.key(), address);
        if (const auto probe = m_probes.constFind(it.key()); probe != m_probes.cend() && !(*probe)->busy())
            drop(it.key()); // listed again: the registry speaks for it (a busy probe goes next time)
    }
}

int ReplicaFallbackProbes::pollUnlisted(const RegistryScanner::Result &registry, const HttpReplicaProbe::Done &done)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QList<ReplicaDirectProbe *> due;
    for (auto it = m_addresses.cbegin(); it != m_addresses.cend(); ++it) {
        if (isListed(registry, it.key()))
            continue;
        ReplicaDirectProbe *&probe = m_probes[it.key()];
        if (!probe)
            probe = new ReplicaDirectProbe(it.key(), it.value(), m_config, m_network, m_owner);
        if (!probe->busy() && probe->isDue(now))
            due.append(probe);
    }
    // Never asked (an invalid time) sorts first, then the longest-unasked.
    std::sort(due.begin(), due.end(), [](const ReplicaDirectProbe *a, const ReplicaDirectProbe *b) {
        if (!a->lastPolled().isValid() || !b->lastPolled().isValid())
            return !a->lastPolled().isValid() && b->lastPolled().isValid();
        return a->lastPolled() < b->lastPolled();
    });
    const int started = int(qMin<qsizetype>(due.size(), qMax(1, m_config.maxDirectProbesPerPoll)));
    for (int i = 0; i < started; ++i)
        due.at(i)->poll(done);
    return started;
}

QList<const ReplicaDirectProbe *> ReplicaFallbackProbes::unlisted(const RegistryScanner::Result &registry) const
{
    QList<const ReplicaDirectProbe *> probes;
    for (auto it = m_probes.cbegin(); it != m_probes.cend(); ++it) {
        if (!isListed(registry, it.key()))
            probes.append(it.value());
    }
    return probes;
}

void ReplicaFallbackProbes::drop(const QString &id)
{
    delete m_probes.take(id); // its replies are aborted without reporting
}

} // namespace sb::inspect
