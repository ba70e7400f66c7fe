#include "inspect/KafkaGroupRetirement.h"

#include "inspect/BurrowEvaluator.h"

#include <QDateTime>

#include <algorithm>

namespace sb::inspect {

namespace {
QString clockText(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm:ss"));
}
} // namespace

KafkaGroupRetirement::KafkaGroupRetirement(int sessionTimeoutMs)
    : m_sessionTimeoutMs(sessionTimeoutMs)
{ }

void KafkaGroupRetirement::setOwners(const QList<KafkaGroupOwner> &owners)
{
    m_owners.clear();
    for (const KafkaGroupOwner &owner : owners)
        m_owners[owner.group].append(owner);
}

BurrowVerdict KafkaGroupRetirement::retire(const QString &group, const QString &reason)
{
    m_retired.insert(group, reason);
    return { BurrowStatus::Retired, reason };
}

std::optional<BurrowVerdict> KafkaGroupRetirement::judge(
    const QString &group, int members, const std::optional<cluster::RetiredGroupMark> &mark, qint64 nowMs)
{
    const QList<KafkaGroupOwner> owners = m_owners.value(group);
    const bool liveOwner
        = std::any_of(owners.begin(), owners.end(), [](const KafkaGroupOwner &o) { return !o.gone; });
    if (liveOwner || members > 0) {
        // Someone consumes for it (again): Burrow's rules apply — unless its only owner is
        // gone and the broker still counts members for it, which is the wait for the session.
        if (!liveOwner && owners.size() == 1) {
            const KafkaGroupOwner &owner = owners.first();
            return BurrowVerdict { BurrowStatus::Down,
                QStringLiteral("replica %1 is down and did not leave: its %2 member(s) hold the "
                               "group's partitions until their session times out")
                    .arg(owner.replica, QString::number(members)) };
        }
        m_retired.remove(group);
        return std::nullopt;
    }
    if (mark) {
        const QString who = mark->by.isEmpty() ? QStringLiteral("its consumer") : mark->by;
        return retire(group,
            QStringLiteral("retired: left on purpose by %1 at %2 (a drained replica's own group; "
                           "nothing consumes for it any more)")
                .arg(who, clockText(mark->atMs)));
    }
    if (const auto known = m_retired.constFind(group); known != m_retired.constEnd())
        return BurrowVerdict { BurrowStatus::Retired, *known };
    if (owners.size() != 1 || !owners.first().gone)
        return std::nullopt; // unknown, or shared by several replicas: expected to be consumed
    const KafkaGroupOwner &owner = owners.first();
    if (members == 0)
        return retire(group,
            QStringLiteral("retired: replica %1 stopped without leaving; the coordinator dropped its "
                           "member when its session timed out")
                .arg(owner.replica));
    // The broker cannot say whether the member is still there: count the session out from
    // the last time the replica was seen alive.
    const qint64 lastSeenMs = owner.lastSeen.isValid() ? owner.lastSeen.toMSecsSinceEpoch() : nowMs;
    const qint64 timesOutMs = lastSeenMs + m_sessionTimeoutMs;
    if (nowMs < timesOutMs)
        return BurrowVerdict { BurrowStatus::Down,
            QStringLiteral("replica %1 is down (last seen %2) and did not leave: the group holds its "
                           "partitions until its session times out (%3, at about %4)")
                .arg(owner.replica, clockText(lastSeenMs), BurrowEvaluator::formatSpan(m_sessionTimeoutMs),
                    clockText(timesOutMs)) };
    return retire(group,
        QStringLiteral("retired: replica %1 stopped without leaving (killed?); its session timed out "
                       "at about %2 (%3 after it was last seen), so nothing consumes for it any more")
            .arg(owner.replica, clockText(timesOutMs), BurrowEvaluator::formatSpan(m_sessionTimeoutMs)));
}

void KafkaGroupRetirement::endPoll(const QSet<QString> &watched)
{
    for (auto it = m_retired.begin(); it != m_retired.end();) {
        if (watched.contains(it.key()))
            ++it;
        else
            it = m_retired.erase(it);
    }
}

} // namespace sb::inspect
