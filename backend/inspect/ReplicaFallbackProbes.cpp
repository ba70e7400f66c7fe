#include "inspect/ReplicaFallbackProbes.h"

#include "inspect/ReplicaDiscovery.h"

#include <QDateTime>

#include <algorithm>
#include <utility>

namespace sb::inspect {

ReplicaFallbackProbes::ReplicaFallbackProbes(
    const ReplicaDiscoveryConfig &config, QNetworkAccessManager *network, QObject *owner)
    : m_config(config)
    , m_network(network)
    , m_owner(owner)
{
    for (auto it = config.rememberedAddresses.cbegin();
         it != config.rememberedAddresses.cend() && m_addresses.size() < ReplicaDiscovery::kMaxReplicas;
         ++it) {
        if (it.key().isEmpty() || it.value().trimmed().isEmpty())
            continue;
        m_addresses.insert(it.key(), it.value().trimmed());
        m_earlierSession.insert(it.key());
    }
}

bool ReplicaFallbackProbes::hasOutcome(const QString &id) const
{
    const auto probe = m_probes.constFind(id);
    return probe != m_probes.cend() && (*probe)->hasOutcome();
}

ReplicaFallbackProbes::~ReplicaFallbackProbes()
{
    qDeleteAll(m_probes);
}

QStringList ReplicaFallbackProbes::listed(const RegistryScanner::Result &registry)
{
    QStringList forgotten;
    if (!registry.ok)
        return forgotten;
    // The registry answers: it says who exists now. Replicas only an earlier session saw
    // and it does not list are forgotten, not shown down for an hour.
    for (const QString &id : std::exchange(m_earlierSession, {})) {
        if (!registry.nodes.contains(id)) {
            drop(id);
            m_addresses.remove(id);
            forgotten.append(id);
        }
    }
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
    return forgotten;
}

int ReplicaFallbackProbes::pollUnlisted(
    const RegistryScanner::Result &registry, const HttpReplicaProbe::Done &done)
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

QList<const ReplicaDirectProbe *> ReplicaFallbackProbes::unlisted(
    const RegistryScanner::Result &registry) const
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
