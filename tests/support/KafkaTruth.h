#pragma once

#include <QList>
#include <QString>

namespace sb::testing {

// What Kafka itself says, read by tools independent of the console, for tests that compare
// the console's figures with it: kcat (`-Q`: each partition's log-end offset) and
// librdkafka's own OffsetFetch (a consumer that joins no group, so no rebalance). Blocking
// (each call runs kcat or waits for the broker, bounded), which is fine in a fixture.
class KafkaTruth
{
public:
    explicit KafkaTruth(QString bootstrap);

    // The sum of `topic`'s partitions' log-end offsets as kcat reports them; -1 unless
    // every one of the `partitions` answered.
    qint64 endOffsets(const QString &topic, int partitions) const;
    // Each partition's committed offset of `group` on `topic` as the broker keeps them;
    // RD_KAFKA_OFFSET_INVALID (-1001) where it has committed none; empty on error.
    QList<qint64> committedByPartition(const QString &group, const QString &topic, int partitions) const;
    // The group's lag on `topic` as Kafka says: log end (kcat) − committed (OffsetFetch), a
    // partition without a commit counting from 0; -1 when either could not be read.
    qint64 lag(const QString &group, const QString &topic, int partitions) const;
    // For a failure message: each partition's log end (kcat's line) and committed offset.
    QString describe(const QString &group, const QString &topic, int partitions) const;

private:
    QString kcatQuery(const QStringList &topicPartitions) const;

    QString m_bootstrap;
};

} // namespace sb::testing
