#pragma once

#include "inspect/BurrowVerdict.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace sb::inspect {

// One topic as the Kafka view shows it: partitions, the sum of their log-end offsets (the
// messages it ever held), and the produce rate since the previous poll.
struct KafkaTopicInfo
{
    QString name;
    int partitions = 0;
    qint64 endOffsets = 0;
    std::optional<double> producedPerSecond;
    bool deadLetter = false; // *.DLT: anything in it is a message that was given up on
};

// One partition of a consumer group: committed offset (-1: none), log-end offset (-1:
// unknown), lag (-1: unknown) and the Burrow verdict over its window.
struct KafkaPartitionLag
{
    QString topic;
    int partition = 0;
    qint64 committed = -1;
    qint64 logEnd = -1;
    qint64 lag = -1;
    BurrowVerdict verdict;
};

struct KafkaGroupInfo
{
    QString id;
    QString state; // Stable, Empty, ... ("unknown" where the broker cannot describe it)
    int members = -1; // -1: unknown
    QString discoveredBy; // "broker", "profile" or "registry"
    qint64 totalLag = 0; // sum of known partition lags
    BurrowVerdict verdict;
    QString error; // why its offsets could not be read, if so
    QList<KafkaPartitionLag> partitions; // ordered by topic, partition
};

// One poll of a Kafka cluster, sent to the GUI thread as one batch.
struct KafkaClusterSnapshot
{
    QDateTime at;
    quint64 poll = 0;
    bool reachable = false;
    QString error; // why the cluster could not be read (when !reachable)
    qint64 retryInMs = 0; // when unreachable: the next attempt, backing off up to 30 s
    int brokers = 0;
    QString groupsNote; // why groups are not listed by the broker, when they are not
    qint64 pollMs = 0; // how long the poll took
    QList<KafkaTopicInfo> topics; // by name
    QList<KafkaGroupInfo> groups; // by id

    int partitionCount() const
    {
        int n = 0;
        for (const auto &t : topics)
            n += t.partitions;
        return n;
    }
};

} // namespace sb::inspect

Q_DECLARE_METATYPE(sb::inspect::KafkaClusterSnapshot)
