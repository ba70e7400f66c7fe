#include "inspect/ReplicaDiscovery.h"

#include "inspect/HttpReplicaProbe.h"
#include "inspect/ReplicaDecoder.h"
#include "inspect/ReplicaDirectReading.h"
#include "inspect/ReplicaFallbackProbes.h"
#include "inspect/ReplicaLivenessChecks.h"

#include <QNetworkAccessManager>
#include <QSet>
#include <QTimer>

#include <algorithm>

namespace sb::inspect {

namespace {

// A down replica's detail when it was draining as it went without its drain's "left" mark.
const QString kGoneMidDrain = QStringLiteral("gone in the middle of its drain (no \"left\" mark): ");

// Overlays the figures `from` knows onto `into` (a later source wins where both know).
void overlay(ReplicaInfo &into, const ReplicaInfo &from)
{
    auto take = [](auto &a, const auto &b) {
        if (b)
            a = b;
    };
    if (!from.address.isEmpty() && into.address.isEmpty())
        into.address = from.address;
    if (from.started.isValid())
        into.started = from.started;
    if (!from.version.isEmpty())
        into.version = from.version;
    // Readiness: a source that knows (Ready/Draining) beats one that only saw it answer.
    if (from.state != ReplicaInfo::State::Up || into.state == ReplicaInfo::State::Down) {
        into.state = from.state;
        into.stateReason = from.stateReason;
    }
    take(into.wsConnections, from.wsConnections);
    take(into.sseConnections, from.sseConnections);
    take(into.otherConnections, from.otherConnections);
    take(into.subscriptions, from.subscriptions);
    take(into.messagesInPerSecond, from.messagesInPerSecond);
    take(into.messagesOutPerSecond, from.messagesOutPerSecond);
    take(into.heartbeatTimeouts, from.heartbeatTimeouts);
    take(into.slowConsumerDrops, from.slowConsumerDrops);
    if (!from.kafkaGroups.isEmpty()) {
        into.kafkaGroups = from.kafkaGroups;
        into.kafkaGroupsFromStart = from.kafkaGroupsFromStart;
    }
    if (!from.detail.isEmpty())
        into.detail = into.detail.isEmpty() ? from.detail : into.detail + QStringLiteral("; ") + from.detail;
    if (!into.source.split(QLatin1Char('+')).contains(from.source))
        into.source = into.source.isEmpty() ? from.source : into.source + QLatin1Char('+') + from.source;
}

// What a replica's own probes said, on top of what the registry said last: its address,
// start, version and Kafka groups do not change while it runs; its state and figures are
// the probes'.
ReplicaInfo probedReplica(const ReplicaInfo &lastKnown, const ReplicaInfo &probed)
{
    ReplicaInfo info = lastKnown;
    info.id = probed.id;
    info.state = probed.state;
    info.stateReason = probed.stateReason;
    info.source = probed.source;
    info.wsConnections = probed.wsConnections;
    info.sseConnections = probed.sseConnections;
    info.otherConnections = probed.otherConnections;
    info.subscriptions = probed.subscriptions;
    info.messagesInPerSecond = probed.messagesInPerSecond;
    info.messagesOutPerSecond = probed.messagesOutPerSecond;
    info.heartbeatTimeouts = probed.heartbeatTimeouts;
    info.slowConsumerDrops = probed.slowConsumerDrops;
    if (probed.started.isValid())
        info.started = probed.started;
    return info;
}

} // namespace

ReplicaDiscovery::ReplicaDiscovery(ReplicaDiscoveryConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    qRegisterMetaType<sb::inspect::ReplicaSnapshot>();
}

ReplicaDiscovery::~ReplicaDiscovery() = default;

void ReplicaDiscovery::start()
{
    if (m_timer)
        return;
    m_timer = new QTimer(this);
    m_timer->setInterval(qMax(50, m_config.pollIntervalMs));
    connect(m_timer, &QTimer::timeout, this, &ReplicaDiscovery::tick);
    m_network = new QNetworkAccessManager(this);
    m_fallback = std::make_unique<ReplicaFallbackProbes>(m_config, m_network, this);
    m_liveness = std::make_unique<ReplicaLivenessChecks>(m_config, m_network, this);
    if (m_config.redis) {
        m_registry = new RegistryScanner(*m_config.redis, m_config.keyPrefix, this);
        connect(m_registry, &RegistryScanner::connected, this, &ReplicaDiscovery::pollNow);
        m_registry->open();
    }
    for (const QUrl &url : std::as_const(m_config.prometheusEndpoints))
        m_probes.append(
            new HttpReplicaProbe(HttpReplicaProbe::Kind::Metrics, url, m_config, m_network, this));
    for (const QUrl &url : std::as_const(m_config.adminStatsUrls))
        m_probes.append(
            new HttpReplicaProbe(HttpReplicaProbe::Kind::AdminStats, url, m_config, m_network, this));
    m_timer->start();
    tick();
}

void ReplicaDiscovery::stop()
{
    if (m_timer)
        m_timer->stop();
    ++m_cycle; // answers still in flight no longer close a poll
    m_cycleOpen = false;
}

void ReplicaDiscovery::pollNow()
{
    if (m_timer && m_timer->isActive()) {
        m_timer->start(); // restart the interval from now
        tick();
    }
}

void ReplicaDiscovery::tick()
{
    if (m_cycleOpen)
        publish(); // the previous poll's stragglers are late: publish what arrived
    const quint64 cycle = ++m_cycle;
    m_cycleOpen = true;
    m_pending = 0;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (m_registry && !m_registry->busy() && !m_registry->firstConnectPending()) {
        ++m_pending;
        m_scanStartedAt = now;
        m_registry->scan([this, cycle](const RegistryScanner::Result &result) {
            m_registryResult = result;
            m_registryAnswered = true;
            for (const QString &id : m_fallback->listed(result))
                m_known.remove(id); // an earlier session's replica the registry does not list
            // Whom the registry does not list (everyone, if it failed) is asked directly, in
            // this poll: the first poll of an outage already shows who is alive.
            if (cycle == m_cycle && m_cycleOpen) {
                probeUnlisted(cycle);
                // Whom it lists is asked whether it is still there: a killed replica's key
                // outlives it by up to its TTL.
                m_pending += m_liveness->checkListed(result, [this, cycle] { sourceDone(cycle); });
            }
            sourceDone(cycle);
        });
    } else if (m_registry && m_registry->busy()) {
        // hiredis has no command timeout: a Redis that accepts but never answers (stopped,
        // swapping) would keep the last good read forever. Past the HTTP timeout it counts
        // as unreadable, until the read in flight answers.
        if (m_scanStartedAt.isValid() && m_scanStartedAt.msecsTo(now) > m_config.httpTimeoutMs) {
            m_registryResult = RegistryScanner::Result { false,
                QStringLiteral("Redis has not answered a registry read for %1 s")
                    .arg(m_scanStartedAt.secsTo(now)),
                {} };
            m_registryAnswered = true;
        }
        probeUnlisted(cycle);
    }
    for (HttpReplicaProbe *probe : std::as_const(m_probes)) {
        if (probe->busy() || !probe->isDue(now))
            continue;
        ++m_pending;
        probe->poll([this, cycle](const HttpReplicaProbe::Outcome &) { sourceDone(cycle); });
    }
    if (m_pending == 0)
        publish();
}

void ReplicaDiscovery::probeUnlisted(quint64 cycle)
{
    if (m_fallbackCycle == cycle)
        return;
    m_fallbackCycle = cycle;
    m_pending += m_fallback->pollUnlisted(
        m_registryResult, [this, cycle](const HttpReplicaProbe::Outcome &) { sourceDone(cycle); });
}

void ReplicaDiscovery::sourceDone(quint64 cycle)
{
    // A late answer is kept (the probe and scanner hold their last result) but it belongs
    // to the next publication, not this one's count.
    if (cycle != m_cycle || !m_cycleOpen)
        return;
    if (--m_pending == 0)
        publish();
}

QString ReplicaDiscovery::registryWhy(const QString &id) const
{
    if (m_registryResult.ok)
        return QStringLiteral("registry key ") + QString::fromUtf8(m_config.keyPrefix)
            + QStringLiteral("node:") + id + QStringLiteral(" is gone");
    return QStringLiteral("registry unreadable (") + m_registryResult.error + QLatin1Char(')');
}

QString ReplicaDiscovery::degradedReason() const
{
    const int listed = m_fallback ? m_fallback->rememberedCount() : 0;
    QString reason = QStringLiteral("Discovery is degraded: the replica registry cannot be read (")
        + m_registryResult.error + QStringLiteral("). ");
    if (listed == 0)
        return reason + QStringLiteral("It has listed no replica yet, so there is none to probe directly.");
    if (const int earlier = m_fallback->earlierSessionCount(); earlier == listed)
        return reason
            + QStringLiteral(
                "It has listed no replica in this session: the %1 replica(s) seen in an earlier "
                "session are probed at their own addresses (/healthz/live, /healthz/ready, /metrics); "
                "a replica started since is not seen until the registry answers.")
                  .arg(earlier);
    return reason
        + QStringLiteral("The %1 replica(s) it listed last are probed at their own addresses (/healthz/live, "
                         "/healthz/ready, /metrics); a replica started since is not seen until the registry "
                         "answers again.")
              .arg(listed);
}

void ReplicaDiscovery::collectUnlisted(QHash<QString, ReplicaInfo> *seen,
    QHash<QString, QString> *missingReasons, QHash<QString, ReplicaInfo> *carried) const
{
    const bool redisDown = registryUnreadable();
    for (const ReplicaDirectProbe *probe : m_fallback->unlisted(m_registryResult)) {
        const QString &id = probe->id();
        if (seen->contains(id))
            continue;
        const ReplicaInfo known = m_known.value(id);
        if (!probe->hasOutcome()) {
            // Asked, no answer yet: nobody has said anything new about it.
            if (!known.id.isEmpty())
                carried->insert(id, known);
            continue;
        }
        const auto &outcome = probe->lastOutcome();
        if (!outcome.ok) {
            missingReasons->insert(id,
                registryWhy(id)
                    + (m_fallback->fromEarlierSession(id) ? QStringLiteral("; seen in an earlier session")
                                                          : QString())
                    + QStringLiteral("; its own probes fail: ") + outcome.error);
            continue;
        }
        ReplicaInfo info = probedReplica(known, outcome.info);
        if (info.address.isEmpty())
            info.address = m_fallback->address(id);
        // The replica cannot reach its Redis or Kafka, and the console cannot reach the
        // Redis the registry lives in: the likeliest cause, in the words an operator uses.
        if (redisDown && info.stateReason == ReplicaDirectReading::dependenciesDown())
            info.stateReason = QStringLiteral("Redis unreachable");
        info.detail = QStringLiteral("not in the registry: ") + registryWhy(id)
            + (m_fallback->fromEarlierSession(id) ? QStringLiteral("; last seen in an earlier session")
                                                  : QString())
            + QStringLiteral("; its own probes answer")
            + (outcome.info.detail.isEmpty() ? QString()
                                             : QStringLiteral(" (") + outcome.info.detail + QLatin1Char(')'));
        seen->insert(id, std::move(info));
    }
}

void ReplicaDiscovery::collectListed(
    QHash<QString, ReplicaInfo> *seen, QHash<QString, QString> *missingReasons) const
{
    if (!m_registryResult.ok)
        return;
    for (auto it = m_registryResult.nodes.cbegin(); it != m_registryResult.nodes.cend(); ++it) {
        // Listed, but its address stopped answering: gone, whatever its key still says.
        if (const QString failure = m_liveness ? m_liveness->failure(it.key()) : QString();
            !failure.isEmpty())
            missingReasons->insert(it.key(), failure);
        else
            seen->insert(it.key(), ReplicaDecoder::fromRegistryHash(it.key(), it.value()));
    }
}

QHash<QString, ReplicaInfo> ReplicaDiscovery::collect(
    QHash<QString, QString> *missingReasons, QHash<QString, ReplicaInfo> *carried) const
{
    QHash<QString, ReplicaInfo> seen;
    if (m_registry) {
        collectListed(&seen, missingReasons);
        collectUnlisted(&seen, missingReasons, carried);
    }
    // Metrics before admin stats, so /admin/stats' figures win where both report.
    for (const auto kind : { HttpReplicaProbe::Kind::Metrics, HttpReplicaProbe::Kind::AdminStats }) {
        for (const HttpReplicaProbe *probe : m_probes) {
            if (probe->kind() != kind || !probe->hasOutcome())
                continue;
            const auto &outcome = probe->lastOutcome();
            if (!outcome.ok) {
                QString &reason = (*missingReasons)[probe->lastKnownId()];
                const QString line = probe->url().toDisplayString(QUrl::RemoveUserInfo) + QStringLiteral(": ")
                    + outcome.error;
                reason = reason.isEmpty() ? line : reason + QStringLiteral("; ") + line;
                continue;
            }
            auto it = seen.find(outcome.info.id);
            if (it == seen.end())
                seen.insert(outcome.info.id, outcome.info);
            else
                overlay(*it, outcome.info);
            carried->remove(outcome.info.id);
        }
    }
    for (const auto &id : seen.keys())
        missingReasons->remove(id); // another source still sees it
    if (m_registry) {
        // Listed before, not now, and no probe to ask (no address): the registry's word stands.
        for (auto it = m_known.cbegin(); it != m_known.cend(); ++it) {
            if (!seen.contains(it.key()) && !missingReasons->contains(it.key())
                && !carried->contains(it.key())
                && (it->source.contains(QStringLiteral("registry")) || m_fallback->remembers(it.key())))
                missingReasons->insert(it.key(), registryWhy(it.key()));
        }
    }
    return seen;
}

void ReplicaDiscovery::publish()
{
    m_cycleOpen = false;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QHash<QString, QString> missing;
    QHash<QString, ReplicaInfo> carried;
    QHash<QString, ReplicaInfo> seen = collect(&missing, &carried);

    QHash<QString, ReplicaInfo> next;
    for (auto it = seen.begin(); it != seen.end(); ++it) {
        ReplicaInfo info = std::move(it.value());
        info.lastSeen = now;
        const auto known = m_known.constFind(info.id);
        const bool sameState = known != m_known.cend() && known->state == info.state;
        info.stateSince = sameState ? known->stateSince : now;
        next.insert(info.id, std::move(info));
    }
    // Being asked, with no answer yet: as they were.
    for (auto it = carried.cbegin(); it != carried.cend(); ++it) {
        if (!next.contains(it.key()))
            next.insert(it.key(), it.value());
    }
    // Gone since the last poll: kept as Down, with when and why. Left is only ever what the
    // registry said (a finished drain's mark, seen above), kept once its entry expires: a
    // replica that was draining and went without the mark was killed mid-drain (or the
    // mark could not be read), and is down like any other.
    QSet<QString> retired; // kept long enough: not brought back below as a new Down row
    for (auto it = m_known.cbegin(); it != m_known.cend(); ++it) {
        if (next.contains(it.key()))
            continue;
        ReplicaInfo info = it.value();
        bool midDrain = info.detail.startsWith(kGoneMidDrain);
        if (!info.isGone()) {
            midDrain = info.state == ReplicaInfo::State::Draining;
            info.state = ReplicaInfo::State::Down;
            info.stateReason.clear();
            info.stateSince = now;
            // Its last counts would read as live: a replica no source reports holds no
            // connection anyone knows of (a killed one showed 7 in the demo's snapshot).
            info.wsConnections.reset();
            info.sseConnections.reset();
            info.otherConnections.reset();
            info.subscriptions.reset();
            info.messagesInPerSecond.reset();
            info.messagesOutPerSecond.reset();
        }
        info.detail = missing.value(it.key(), QStringLiteral("no longer reported by any source"));
        if (info.state == ReplicaInfo::State::Left)
            info.detail = QStringLiteral("drained and left: ") + info.detail;
        else if (midDrain && !info.detail.startsWith(kGoneMidDrain))
            info.detail = kGoneMidDrain + info.detail;
        const int keptFor = info.state == ReplicaInfo::State::Left ? m_config.forgetLeftAfterSeconds
                                                                   : m_config.forgetDownAfterSeconds;
        if (info.stateSince.secsTo(now) < keptFor)
            next.insert(info.id, std::move(info));
        else
            retired.insert(info.id);
    }
    // Endpoints that never answered still get a row: a configured replica that is down
    // from the start is news, not an empty table.
    for (auto it = missing.cbegin(); it != missing.cend(); ++it) {
        if (next.contains(it.key()) || retired.contains(it.key()))
            continue;
        ReplicaInfo info;
        info.id = it.key();
        info.address
            = m_fallback && m_fallback->remembers(it.key()) ? m_fallback->address(it.key()) : it.key();
        info.state = ReplicaInfo::State::Down;
        info.stateSince = now;
        info.detail = it.value();
        info.source = QStringLiteral("probe");
        next.insert(info.id, std::move(info));
    }

    ReplicaSnapshot snapshot;
    snapshot.at = now;
    snapshot.poll = ++m_published;
    snapshot.replicas = next.values();
    std::sort(snapshot.replicas.begin(), snapshot.replicas.end(),
        [](const ReplicaInfo &a, const ReplicaInfo &b) { return a.id < b.id; });
    if (snapshot.replicas.size() > kMaxReplicas)
        snapshot.replicas.resize(kMaxReplicas);
    snapshot.sources = sourceStatuses();
    snapshot.discoveryDegraded = registryUnreadable();
    if (snapshot.discoveryDegraded)
        snapshot.degradedReason = degradedReason();
    m_known.clear();
    for (const ReplicaInfo &info : std::as_const(snapshot.replicas))
        m_known.insert(info.id, info);
    m_fallback->keepOnly(m_known);
    emit snapshotReady(snapshot);
}

QList<ReplicaSourceStatus> ReplicaDiscovery::sourceStatuses() const
{
    QList<ReplicaSourceStatus> statuses;
    if (m_registry) {
        ReplicaSourceStatus s;
        s.name = m_registry->name();
        s.ok = m_registryAnswered && m_registryResult.ok;
        s.pending = !m_registryAnswered;
        s.error = !m_registryAnswered ? QStringLiteral("not polled yet") : m_registryResult.error;
        statuses.append(s);
    }
    for (const HttpReplicaProbe *probe : m_probes)
        statuses.append(probe->status());
    // A replica asked directly that answers is a source that answered (the registry's outage
    // leaves the picture live); one that fails is a replica down, said in its row, not one
    // more failing source in the status bar for the hour its row is kept.
    if (m_fallback) {
        for (const ReplicaDirectProbe *probe : m_fallback->unlisted(m_registryResult))
            if (probe->status().ok)
                statuses.append(probe->status());
    }
    return statuses;
}

} // namespace sb::inspect
