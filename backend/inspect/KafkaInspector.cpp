#include "inspect/KafkaInspector.h"

#include "inspect/BurrowEvaluator.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QSet>
#include <QTimer>

#include <algorithm>

namespace sb::inspect {

namespace {
// After the broker refused ListGroups, ask again this rarely (it will not change often).
constexpr qint64 kListingRetryMs = 60000;
// An unreachable cluster is retried at the poll interval, doubled per failure up to this.
constexpr int kMaxRetryMs = 30000;
} // namespace

KafkaInspector::KafkaInspector(KafkaInspectorConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_client(m_config.requestTimeoutMs)
    , m_retirement(m_config.consumerSessionTimeoutMs)
{
    qRegisterMetaType<sb::inspect::KafkaClusterSnapshot>();
}

KafkaInspector::~KafkaInspector() = default;

void KafkaInspector::start()
{
    if (m_timer)
        return;
    m_timer = new QTimer(this);
    m_timer->setInterval(qMax(100, m_config.pollIntervalMs));
    connect(m_timer, &QTimer::timeout, this, &KafkaInspector::poll);
    m_timer->start();
    // The first poll after the event loop had a chance to run (start() may come queued
    // right behind a stop()).
    QTimer::singleShot(0, this, &KafkaInspector::poll);
}

void KafkaInspector::stop()
{
    if (m_timer)
        m_timer->stop();
}

void KafkaInspector::pollNow()
{
    poll();
}

void KafkaInspector::setAnnouncedGroups(const QStringList &groups)
{
    QList<KafkaGroupOwner> owners;
    for (const QString &group : groups)
        owners.append({ group, QString(), false, {} });
    setGroupOwners(owners);
}

void KafkaInspector::setGroupOwners(const QList<KafkaGroupOwner> &owners)
{
    if (owners == m_owners)
        return;
    m_owners = owners;
    m_retirement.setOwners(owners);
    m_fromStart.clear();
    QStringList groups;
    for (const KafkaGroupOwner &owner : owners) {
        if (!groups.contains(owner.group))
            groups.append(owner.group);
        if (owner.readsFromStart)
            m_fromStart.insert(owner.group);
    }
    if (groups == m_announced)
        return;
    m_announced = groups;
    // Groups a replica just announced are read now, not a poll interval later (the demo's
    // first screen showed "0 groups" for up to 2 s after its replicas were up).
    if (m_timer && m_timer->isActive())
        QTimer::singleShot(0, this, &KafkaInspector::poll);
}

void KafkaInspector::poll()
{
    if (!m_timer || !m_timer->isActive())
        return;
    KafkaClusterSnapshot snapshot = read();
    const int interval = qMax(100, m_config.pollIntervalMs);
    if (snapshot.reachable) {
        m_failures = 0;
        m_timer->setInterval(interval);
    } else {
        ++m_failures;
        const qint64 backoff = qMin<qint64>(kMaxRetryMs, qint64(interval) << qMin(m_failures, 8));
        m_timer->setInterval(int(backoff));
        snapshot.retryInMs = backoff;
    }
    emit snapshotReady(snapshot);
}

KafkaClusterSnapshot KafkaInspector::read()
{
    QElapsedTimer clock;
    clock.start();
    KafkaClusterSnapshot snapshot;
    snapshot.poll = ++m_poll;
    auto finish = [&]() -> KafkaClusterSnapshot {
        snapshot.at = QDateTime::currentDateTimeUtc();
        snapshot.pollMs = clock.elapsed();
        return snapshot;
    };
    if (!m_client.isOpen() && !m_client.open(m_config.settings, &snapshot.error))
        return finish();
    KafkaAdminClient::Metadata metadata;
    if (!m_client.metadata(&metadata, &snapshot.error))
        return finish();
    // The groups' OffsetFetch requests go out first and are answered while this thread
    // asks for the log-end offsets: the two slowest reads overlap.
    const QList<QPair<QString, QString>> watched = watchedGroups(&snapshot);
    QStringList ids;
    for (const auto &w : watched)
        ids.append(w.first);
    QHash<QString, KafkaAdminClient::GroupDescription> descriptions;
    if (m_listingSupported) {
        QString ignored; // a group that cannot be described shows state "unknown"
        descriptions = m_client.describeGroups(ids, &ignored);
    }
    m_client.requestCommittedOffsets(ids, metadata.topics);
    KafkaAdminClient::PartitionOffsets ends;
    const bool endsRead = m_client.endOffsets(metadata.topics, &ends, &snapshot.error);
    const QHash<QString, KafkaAdminClient::GroupOffsets> committed = m_client.collectCommittedOffsets();
    if (!endsRead)
        return finish();
    snapshot.reachable = true;
    snapshot.brokers = metadata.brokers;
    readTopics(metadata, ends, &snapshot);
    // Log starts only of the topics a from-start group consumes: only there does a
    // never-committed partition count. Unread, such partitions are left out as for any other
    // group.
    const TopicsByGroup readFromStart = topicsReadFromStart(committed);
    QList<KafkaAdminClient::TopicPartitions> startTopics;
    for (const auto &t : metadata.topics) {
        if (std::any_of(readFromStart.cbegin(), readFromStart.cend(),
                [&t](const QSet<QString> &topics) { return topics.contains(t.topic); }))
            startTopics.append(t);
    }
    KafkaAdminClient::PartitionOffsets starts;
    if (!startTopics.isEmpty()) {
        QString ignored;
        m_client.startOffsets(startTopics, &starts, &ignored);
    }
    readGroups(metadata, { ends, starts, readFromStart }, watched, descriptions, committed, &snapshot);
    return finish();
}

void KafkaInspector::readTopics(const KafkaAdminClient::Metadata &metadata,
    const KafkaAdminClient::PartitionOffsets &ends, KafkaClusterSnapshot *snapshot)
{
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    const qint64 elapsedMs = m_lastEndsAtMs > 0 ? nowMs - m_lastEndsAtMs : 0;
    QHash<QString, qint64> sums;
    for (const auto &t : metadata.topics) {
        KafkaTopicInfo topic;
        topic.name = t.topic;
        topic.partitions = t.partitions;
        topic.deadLetter = t.topic.endsWith(u".DLT");
        for (int p = 0; p < t.partitions; ++p)
            topic.endOffsets += qMax<qint64>(0, ends.value({ t.topic, p }, 0));
        const auto last = m_lastEnds.constFind(t.topic);
        if (last != m_lastEnds.constEnd() && elapsedMs > 0 && topic.endOffsets >= *last)
            topic.producedPerSecond = double(topic.endOffsets - *last) * 1000.0 / double(elapsedMs);
        sums.insert(t.topic, topic.endOffsets);
        snapshot->topics.append(topic);
    }
    m_lastEnds = sums;
    m_lastEndsAtMs = nowMs;
}

QList<QPair<QString, QString>> KafkaInspector::watchedGroups(KafkaClusterSnapshot *snapshot)
{
    QList<QPair<QString, QString>> watched;
    QSet<QString> seen;
    auto add = [&](const QString &group, const QString &by) {
        if (!group.isEmpty() && !seen.contains(group)) {
            seen.insert(group);
            watched.append({ group, by });
        }
    };
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    if (m_listingSupported || nowMs >= m_nextListingAttemptMs) {
        const KafkaAdminClient::GroupListing listing = m_client.listGroups();
        m_listingSupported = listing.supported;
        if (!listing.supported) {
            m_nextListingAttemptMs = nowMs + kListingRetryMs;
            m_listingError = listing.error;
        } else {
            const QStringList groups = listing.groups.mid(0, m_config.maxListedGroups);
            for (const QString &g : groups)
                add(g, QStringLiteral("broker"));
            if (listing.groups.size() > m_config.maxListedGroups)
                snapshot->groupsNote
                    = QStringLiteral("The broker lists %1 groups; the first %2 are watched (and every "
                                     "group the profile or the registry names).")
                          .arg(listing.groups.size())
                          .arg(m_config.maxListedGroups);
            else if (!listing.error.isEmpty())
                snapshot->groupsNote = listing.error;
        }
    }
    if (!m_listingSupported) {
        snapshot->groupsNote
            = QStringLiteral("This cluster does not answer ListGroups/DescribeGroups (%1) — librdkafka's "
                             "mock cluster does not — so the groups shown are the ones the profile "
                             "lists and the replicas announce in the registry; state and members are "
                             "unknown.")
                  .arg(m_listingError);
    }
    for (const QString &g : std::as_const(m_config.groups))
        add(g.trimmed(), QStringLiteral("profile"));
    for (const QString &g : std::as_const(m_announced))
        add(g.trimmed(), QStringLiteral("registry"));
    std::sort(watched.begin(), watched.end());
    return watched;
}

void KafkaInspector::readGroups(const KafkaAdminClient::Metadata &metadata, const LogBounds &bounds,
    const QList<QPair<QString, QString>> &watched,
    const QHash<QString, KafkaAdminClient::GroupDescription> &descriptions,
    const QHash<QString, KafkaAdminClient::GroupOffsets> &offsets, KafkaClusterSnapshot *snapshot)
{
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    for (const auto &[id, by] : watched) {
        KafkaGroupInfo group;
        group.id = id;
        group.discoveredBy = by;
        const auto description = descriptions.constFind(id);
        if (description != descriptions.constEnd() && description->error.isEmpty()) {
            group.state = description->state;
            group.members = description->members;
        } else {
            group.state = QStringLiteral("unknown");
        }
        const KafkaAdminClient::GroupOffsets committed = offsets.value(id);
        group.error = committed.error;
        const QSet<QString> readFromStart = bounds.readFromStart.value(id);
        QList<BurrowEvaluator::PartitionResult> results;
        for (const auto &t : metadata.topics) {
            const bool consumed = readFromStart.contains(t.topic);
            for (int p = 0; p < t.partitions; ++p) {
                const auto found = committed.committed.constFind({ t.topic, p });
                if (found == committed.committed.constEnd()) {
                    if (consumed)
                        addNeverCommitted(t.topic, p, bounds, &group);
                    continue;
                }
                KafkaPartitionLag lag;
                lag.topic = t.topic;
                lag.partition = p;
                lag.committed = *found;
                lag.logEnd = bounds.ends.value({ t.topic, p }, -1);
                lag.lag = lagOf(lag.committed, lag.logEnd);
                lag.verdict
                    = m_lag.observe(id, t.topic, p, lag.committed, lag.logEnd, group.members > 0, nowMs);
                group.totalLag += qMax<qint64>(0, lag.lag);
                results.append({ t.topic, p, lag.verdict });
                group.partitions.append(lag);
            }
        }
        group.verdict = BurrowEvaluator::evaluateGroup(results);
        if (!group.error.isEmpty() && group.partitions.isEmpty())
            group.verdict.reason = QStringLiteral("offsets could not be read: ") + group.error;
        if (const auto departed = m_retirement.judge(id, group.members, committed.retired, nowMs)) {
            group.verdict = *departed;
            if (departed->status == BurrowStatus::Retired) {
                for (KafkaPartitionLag &lag : group.partitions)
                    lag.verdict = { BurrowStatus::Retired,
                        QStringLiteral("the group is retired: nothing consumes for it") };
            }
        }
        snapshot->groups.append(group);
    }
    m_lag.endPoll();
    QSet<QString> watchedIds;
    for (const auto &w : watched)
        watchedIds.insert(w.first);
    m_retirement.endPoll(watchedIds);
}

KafkaInspector::TopicsByGroup KafkaInspector::topicsReadFromStart(
    const QHash<QString, KafkaAdminClient::GroupOffsets> &offsets) const
{
    TopicsByGroup topics;
    for (auto group = offsets.cbegin(); group != offsets.cend(); ++group) {
        if (!m_fromStart.contains(group.key()))
            continue;
        QSet<QString> &consumed = topics[group.key()];
        for (auto key = group->committed.keyBegin(); key != group->committed.keyEnd(); ++key)
            consumed.insert(key->first);
    }
    return topics;
}

void KafkaInspector::addNeverCommitted(
    const QString &topic, int partition, const LogBounds &bounds, KafkaGroupInfo *group)
{
    // A group that reads from the log start and consumes this topic (it committed on another
    // of its partitions) has all of this partition still to read. kafka-consumer-groups and
    // Burrow show nothing for it; the stage-1 group of a new cluster would then hide the
    // records published before its first commit there.
    const qint64 start = bounds.starts.value({ topic, partition }, -1);
    const qint64 end = bounds.ends.value({ topic, partition }, -1);
    if (start < 0 || end < 0)
        return; // the bounds are unknown: say nothing rather than a guess
    KafkaPartitionLag lag;
    lag.topic = topic;
    lag.partition = partition;
    lag.logEnd = end;
    lag.lag = qMax<qint64>(0, end - start);
    lag.verdict = { BurrowStatus::NotFound,
        QStringLiteral(
            "never committed: the group reads it from the log start (offset %1), %2 record(s) to go")
            .arg(start)
            .arg(lag.lag) };
    group->totalLag += lag.lag;
    group->partitions.append(lag);
}

} // namespace sb::inspect
