#include "support/KafkaTruth.h"

#include <librdkafka/rdkafka.h>

#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QStringList>

namespace sb::testing {

KafkaTruth::KafkaTruth(QString bootstrap)
    : m_bootstrap(std::move(bootstrap))
{ }

QString KafkaTruth::kcatQuery(const QStringList &topicPartitions) const
{
    QStringList arguments { QStringLiteral("-b"), m_bootstrap, QStringLiteral("-Q") };
    for (const QString &topicPartition : topicPartitions)
        arguments << QStringLiteral("-t") << topicPartition;
    QProcess kcat;
    kcat.start(QStandardPaths::findExecutable(QStringLiteral("kcat")), arguments);
    kcat.waitForFinished(20000);
    return QString::fromUtf8(kcat.readAllStandardOutput()).trimmed();
}

qint64 KafkaTruth::endOffsets(const QString &topic, int partitions) const
{
    QStringList topicPartitions;
    for (int p = 0; p < partitions; ++p)
        topicPartitions << QStringLiteral("%1:%2:-1").arg(topic).arg(p);
    const QString out = kcatQuery(topicPartitions);
    static const QRegularExpression offset(QStringLiteral(R"(\[\d+\] offset (\d+))"));
    qint64 sum = 0;
    int found = 0;
    for (auto it = offset.globalMatch(out); it.hasNext(); ++found)
        sum += it.next().captured(1).toLongLong();
    return found == partitions ? sum : -1;
}

QList<qint64> KafkaTruth::committedByPartition(
    const QString &group, const QString &topic, int partitions) const
{
    char reason[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", m_bootstrap.toUtf8().constData(), reason, sizeof reason);
    rd_kafka_conf_set(conf, "group.id", group.toUtf8().constData(), reason, sizeof reason);
    rd_kafka_t *consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, reason, sizeof reason);
    if (!consumer)
        return {};
    const QByteArray topicName = topic.toUtf8();
    rd_kafka_topic_partition_list_t *offsets = rd_kafka_topic_partition_list_new(partitions);
    for (int p = 0; p < partitions; ++p)
        rd_kafka_topic_partition_list_add(offsets, topicName.constData(), p);
    QList<qint64> committed;
    if (rd_kafka_committed(consumer, offsets, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR)
        for (int i = 0; i < offsets->cnt; ++i)
            committed.append(offsets->elems[i].offset);
    rd_kafka_topic_partition_list_destroy(offsets);
    rd_kafka_destroy(consumer);
    return committed;
}

qint64 KafkaTruth::lag(const QString &group, const QString &topic, int partitions) const
{
    const qint64 end = endOffsets(topic, partitions);
    const QList<qint64> committed = committedByPartition(group, topic, partitions);
    if (end < 0 || committed.size() != partitions)
        return -1;
    qint64 sum = 0;
    for (const qint64 offset : committed)
        sum += qMax<qint64>(0, offset);
    return end - sum;
}

QString KafkaTruth::describe(const QString &group, const QString &topic, int partitions) const
{
    const QList<qint64> committed = committedByPartition(group, topic, partitions);
    QStringList parts;
    for (int p = 0; p < partitions; ++p) {
        const QString end = kcatQuery({ QStringLiteral("%1:%2:-1").arg(topic).arg(p) });
        parts << QStringLiteral("[%1] %2, committed %3")
                     .arg(p)
                     .arg(end)
                     .arg(p < committed.size() ? committed.at(p) : -1);
    }
    return parts.join(QStringLiteral("; "));
}

} // namespace sb::testing
