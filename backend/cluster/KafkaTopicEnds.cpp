#include "cluster/KafkaTopicEnds.h"

#include "cluster/KafkaHandles.h"

#include <QDeadlineTimer>

#include <algorithm>

namespace sb::cluster {

namespace {
int remainingMs(const QDeadlineTimer &deadline)
{
    return int(std::max<qint64>(1, deadline.remainingTime()));
}
} // namespace

std::optional<int> readPartitionCount(rd_kafka_t *rk, const QByteArray &topic, int timeoutMs, QString *error)
{
    rd_kafka_topic_t *handle = rd_kafka_topic_new(rk, topic.constData(), nullptr);
    const rd_kafka_metadata_t *raw = nullptr;
    const rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, handle, &raw, timeoutMs);
    rd_kafka_topic_destroy(handle);
    const KafkaMetadata metadata(raw);
    const rd_kafka_resp_err_t topicErr = err != RD_KAFKA_RESP_ERR_NO_ERROR ? err
        : !metadata || metadata->topic_cnt < 1                             ? RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC
                                                                           : metadata->topics[0].err;
    if (topicErr != RD_KAFKA_RESP_ERR_NO_ERROR) {
        *error = u"metadata of " + QString::fromUtf8(topic) + u": "
            + QString::fromUtf8(rd_kafka_err2str(topicErr));
        return std::nullopt;
    }
    return metadata->topics[0].partition_cnt;
}

std::optional<QHash<int, qint64>> readTopicEnds(
    rd_kafka_t *rk, const QByteArray &topic, int timeoutMs, QString *error)
{
    const QDeadlineTimer deadline(timeoutMs);
    const std::optional<int> partitions = readPartitionCount(rk, topic, remainingMs(deadline), error);
    if (!partitions)
        return std::nullopt;
    QHash<int, qint64> ends;
    for (int partition = 0; partition < *partitions; ++partition) {
        int64_t low = 0;
        int64_t high = 0;
        const rd_kafka_resp_err_t queried = rd_kafka_query_watermark_offsets(
            rk, topic.constData(), partition, &low, &high, remainingMs(deadline));
        if (queried != RD_KAFKA_RESP_ERR_NO_ERROR) {
            *error = u"end of " + QString::fromUtf8(topic) + u'/' + QString::number(partition) + u": "
                + QString::fromUtf8(rd_kafka_err2str(queried));
            return std::nullopt;
        }
        ends.insert(partition, high);
    }
    return ends;
}

QHash<std::pair<QByteArray, int>, qint64> readTopicsEnds(
    rd_kafka_t *rk, const QList<QByteArray> &topics, int timeoutMs, QStringList *errors)
{
    const QDeadlineTimer deadline(timeoutMs);
    QHash<std::pair<QByteArray, int>, qint64> ends;
    for (const QByteArray &topic : topics) {
        QString error;
        const auto topicEnds = readTopicEnds(rk, topic, remainingMs(deadline), &error);
        if (!topicEnds) {
            errors->append(error);
            continue;
        }
        for (auto it = topicEnds->cbegin(); it != topicEnds->cend(); ++it)
            ends.insert({ topic, it.key() }, it.value());
    }
    return ends;
}

} // namespace sb::cluster
