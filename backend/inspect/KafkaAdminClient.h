#pragma once

#include "cluster/KafkaHandles.h"
#include "cluster/KafkaSettings.h"
#include "cluster/RetiredGroupMark.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace sb::inspect {

// The read-only Kafka calls the console makes, over one librdkafka handle: metadata,
// log-end offsets, ListGroups/DescribeGroups and committed offsets (OffsetFetch). It never
// joins a group, subscribes or commits, so watching a group cannot disturb it.
//
// Every call blocks its caller for at most the request timeout: run it on a worker thread.
class KafkaAdminClient
{
public:
    struct TopicPartitions
    {
        QString topic;
        int partitions = 0;
    };
    struct Metadata
    {
        int brokers = 0;
        QList<TopicPartitions> topics; // internal (__*) topics left out
    };
    struct GroupListing
    {
        bool supported = false; // false: the broker answered ListGroups with an error
        QString error;
        QStringList groups;
    };
    struct GroupDescription
    {
        QString state;
        int members = -1;
        QString error;
    };
    // (topic, partition) -> offset; -1 where none.
    using PartitionOffsets = QHash<QPair<QString, int>, qint64>;
    struct GroupOffsets
    {
        QString error;
        PartitionOffsets committed; // only partitions the group has committed
        // Set when the committed offsets carry a replica's retirement mark (it left the
        // group on purpose and nothing will consume for it again).
        std::optional<cluster::RetiredGroupMark> retired;
    };

    static constexpr int kMaxGroupsPerRequest = 0xfffe; // the index must fit the opaque tag

    explicit KafkaAdminClient(int requestTimeoutMs = 3000);

    bool open(const cluster::KafkaSettings &settings, QString *error);
    bool isOpen() const { return bool(m_handle); }

    bool metadata(Metadata *out, QString *error);
    bool endOffsets(const QList<TopicPartitions> &topics, PartitionOffsets *out, QString *error);
    // Each partition's log-start offset (the first offset retention kept).
    bool startOffsets(const QList<TopicPartitions> &topics, PartitionOffsets *out, QString *error);
    GroupListing listGroups();
    QHash<QString, GroupDescription> describeGroups(const QStringList &groups, QString *error);
    // One OffsetFetch per group, all in flight at once: send them, do other calls while
    // the brokers answer, then collect (at most one request timeout after sending).
    void requestCommittedOffsets(const QStringList &groups, const QList<TopicPartitions> &topics);
    QHash<QString, GroupOffsets> collectCommittedOffsets();

private:
    // ListOffsets for every partition at `timestamp` (RD_KAFKA_OFFSET_END: log end,
    // RD_KAFKA_OFFSET_BEGINNING: log start), one request per leader; `what` names it in errors.
    bool listOffsets(const QList<TopicPartitions> &topics, qint64 timestamp, const QString &what,
        PartitionOffsets *out, QString *error);

    cluster::KafkaHandle m_handle;
    cluster::KafkaQueue m_queue; // ListGroups, DescribeGroups
    cluster::KafkaQueue m_offsetQueue; // OffsetFetch answers, collected later
    QStringList m_offsetGroups; // in flight, by opaque index - 1
    quint32 m_offsetGeneration = 0; // one per requestCommittedOffsets()
    qint64 m_offsetsSentMs = 0;
    int m_timeoutMs;
};

} // namespace sb::inspect
