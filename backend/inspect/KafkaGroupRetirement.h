#pragma once

#include "cluster/RetiredGroupMark.h"
#include "inspect/BurrowVerdict.h"
#include "inspect/KafkaGroupOwner.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

#include <optional>

namespace sb::inspect {

// Tells which consumer groups belong to replicas that are gone, so the Kafka view shows
// them for what they are rather than as lag alarms: a replica's per-boot groups are never
// consumed again once it stops, and their lag grows for ever (Burrow would call that STOP).
//
//  - a group whose committed offsets carry a RetiredGroupMark (its replica drained and
//    left it on purpose) is RETIRED at once;
//  - a group only one replica announced, that replica now down (killed -9: no mark), is
//    DOWN while the group may still hold partitions for it, an error: until the broker
//    says the group has no member (DescribeGroups), or, where it cannot say (the mock
//    cluster), until the consumer session timeout has passed since the replica was last
//    seen; then RETIRED, with that reason;
//  - a group with a live owner, or shared by several replicas (stage 1), keeps Burrow's
//    verdict: it is expected to be consumed.
// A group once retired stays so while it is watched (a real broker keeps listing an
// undeleted group after the console forgets the replica) unless a member or a live owner
// comes back. Pure: no clock, no I/O.
class KafkaGroupRetirement
{
public:
    explicit KafkaGroupRetirement(int sessionTimeoutMs = 10000);

    void setOwners(const QList<KafkaGroupOwner> &owners);
    // nullopt: judge the group by Burrow's rules. members: -1 where unknown.
    std::optional<BurrowVerdict> judge(const QString &group, int members,
        const std::optional<cluster::RetiredGroupMark> &mark, qint64 nowMs);
    // Forgets retired groups that are no longer watched.
    void endPoll(const QSet<QString> &watched);

    int sessionTimeoutMs() const { return m_sessionTimeoutMs; }

private:
    BurrowVerdict retire(const QString &group, const QString &reason);

    int m_sessionTimeoutMs;
    QHash<QString, QList<KafkaGroupOwner>> m_owners; // by group
    QHash<QString, QString> m_retired; // group -> why
};

} // namespace sb::inspect
