#include "cluster/KafkaTopicEnds.h"

#include "cluster/KafkaHandles.h"

#include <QDeadlineTimer>

#include <algorithm>

namespace sb::cluster {

std::optional<QHash<int, qint64>> readTopicEnds(
    rd_kafka_t *rk, const QByteArray &topic, int timeoutMs, QString *error)
{
    const QDeadlineTimer deadline(timeoutMs);
    auto remainingMs = [&deadline] { return int(std::max<qint64>(1, deadline.remainingTime())); };
    rd_kafka_topic_t *handle = rd_kafka_topic_new(rk, topic.constData(), nullptr);
    const rd_kafka_metadata_t *raw = nullptr;
    const rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, handle, &raw, remainingMs());
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
    QHash<int, qint64> ends;
    for (int i = 0; i < metadata->topics[0].partition_cnt; ++i) {
        const int partition = metadata->topics[0].partitions[i].id;
        int64_t low = 0;
        int64_t high = 0;
        const rd_kafka_resp_err_t queried
            = rd_kafka_query_watermark_offsets(rk, topic.constData(), partition, &low, &high, remainingMs());
        if (queried != RD_KAFKA_RESP_ERR_NO_ERROR) {
            *error = u"end of " + QString::fromUtf8(topic) + u'/' + QString::number(partition) + u": "
                + QString::fromUtf8(rd_kafka_err2str(queried));
            return std::nullopt;
        }
        ends.insert(partition, high);
    }
    return ends;
}

} // namespace sb::cluster
