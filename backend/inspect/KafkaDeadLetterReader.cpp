#include "inspect/KafkaDeadLetterReader.h"

#include "cluster/KafkaHandles.h"
#include "cluster/KafkaLog.h"

#include <QDeadlineTimer>
#include <QHash>
#include <QScopeGuard>
#include <QUuid>

#include <algorithm>
#include <tuple>

namespace sb::inspect {

namespace {

QString deadLetterKafkaError(rd_kafka_resp_err_t err)
{
    return QString::fromUtf8(rd_kafka_err2str(err));
}

// Copies one fetched message out of librdkafka (headers in order, as KafkaRecord keeps them).
KafkaDeadLetterRecord deadLetterRecordOf(const rd_kafka_message_t *message)
{
    KafkaDeadLetterRecord record;
    record.partition = message->partition;
    record.offset = message->offset;
    rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
    record.timestampMs = rd_kafka_message_timestamp(message, &type);
    if (message->key) {
        record.hasKey = true;
        record.key = QByteArray(static_cast<const char *>(message->key), qsizetype(message->key_len));
    }
    if (message->payload)
        record.value = QByteArray(static_cast<const char *>(message->payload), qsizetype(message->len));
    record.valueBytes = record.value.size();
    rd_kafka_headers_t *headers = nullptr;
    if (rd_kafka_message_headers(message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR && headers) {
        const char *name = nullptr;
        const void *value = nullptr;
        size_t size = 0;
        for (size_t i = 0;
             rd_kafka_header_get_all(headers, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i)
            record.headers.append({ QByteArray(name),
                value ? QByteArray(static_cast<const char *>(value), qsizetype(size)) : QByteArray() });
    }
    record.origin = protocol::KafkaDeadLetterHeaders::decode(record.headers);
    return record;
}

} // namespace

KafkaDeadLetterReader::KafkaDeadLetterReader(
    cluster::KafkaSettings settings, int requestTimeoutMs, int readTimeoutMs)
    : m_settings(std::move(settings))
    , m_requestTimeoutMs(requestTimeoutMs)
    , m_readTimeoutMs(readTimeoutMs)
{ }

KafkaDeadLetterListing KafkaDeadLetterReader::read(
    const QString &topic, int maxRecords, const std::function<bool()> &giveUp) const
{
    KafkaDeadLetterListing listing;
    listing.topic = topic;
    const int wanted = std::clamp(maxRecords, 1, kMaxRecords);
    const QByteArray name = topic.toUtf8();
    const QByteArray group = "switchboard-dlt-" + QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
    const cluster::KafkaProperties defaults { { "client.id", "switchboard-dlt" },
        { "enable.partition.eof", "false" }, { "fetch.wait.max.ms", "100" } };
    // Read-only: nothing is ever committed for the throwaway group, nor stored to be.
    const cluster::KafkaProperties required { { "group.id", group }, { "enable.auto.commit", "false" },
        { "enable.auto.offset.store", "false" } };
    QString error;
    cluster::KafkaConf conf = m_settings.createConf(defaults, required, &error);
    if (!conf) {
        listing.error = error;
        return listing;
    }
    cluster::installKafkaLogger(conf.get());
    char reason[512] = {};
    cluster::KafkaHandle rk(rd_kafka_new(RD_KAFKA_CONSUMER, conf.get(), reason, sizeof reason));
    if (!rk) {
        listing.error = QStringLiteral("cannot create a Kafka consumer: ") + QString::fromUtf8(reason);
        return listing;
    }
    conf.release();
    rd_kafka_poll_set_consumer(rk.get());
    // Destroyed without a consumer close: there is no membership to leave.
    const auto destroy
        = qScopeGuard([&rk] { rd_kafka_destroy_flags(rk.release(), RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE); });

    // All topics, not ours by name: asking for it by name lets a broker create it.
    const rd_kafka_metadata_t *raw = nullptr;
    const rd_kafka_resp_err_t metaErr = rd_kafka_metadata(rk.get(), 1, nullptr, &raw, m_requestTimeoutMs);
    const cluster::KafkaMetadata metadata(raw);
    if (metaErr != RD_KAFKA_RESP_ERR_NO_ERROR || !metadata) {
        listing.error
            = QStringLiteral("cannot reach Kafka at %1: %2")
                  .arg(QString::fromUtf8(m_settings.bootstrapServers()), deadLetterKafkaError(metaErr));
        return listing;
    }
    QList<int> partitions;
    for (int i = 0; i < metadata->topic_cnt; ++i) {
        if (name == metadata->topics[i].topic && metadata->topics[i].err == RD_KAFKA_RESP_ERR_NO_ERROR) {
            for (int p = 0; p < metadata->topics[i].partition_cnt; ++p)
                partitions.append(metadata->topics[i].partitions[p].id);
        }
    }
    if (partitions.isEmpty()) {
        listing.error = QStringLiteral("topic '%1' does not exist").arg(topic);
        return listing;
    }

    cluster::KafkaPartitionList assignment(rd_kafka_topic_partition_list_new(int(partitions.size())));
    QHash<int, qint64> endOf; // partition -> log end when looked up; read until there
    for (const int p : std::as_const(partitions)) {
        int64_t low = 0;
        int64_t high = 0;
        const rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(
            rk.get(), name.constData(), p, &low, &high, m_requestTimeoutMs);
        if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
            listing.error
                = QStringLiteral("offsets of %1 [%2]: %3").arg(topic).arg(p).arg(deadLetterKafkaError(err));
            return listing;
        }
        listing.recordsInTopic += high - low;
        if (high <= low)
            continue;
        // The newest `wanted` of each partition: together they hold the newest `wanted` overall.
        rd_kafka_topic_partition_list_add(assignment.get(), name.constData(), p)->offset
            = std::max<int64_t>(low, high - wanted);
        endOf.insert(p, high);
    }
    if (endOf.isEmpty())
        return listing;
    if (const rd_kafka_resp_err_t err = rd_kafka_assign(rk.get(), assignment.get());
        err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        listing.error = QStringLiteral("cannot assign %1: %2").arg(topic, deadLetterKafkaError(err));
        return listing;
    }
    QList<KafkaDeadLetterRecord> records;
    const QDeadlineTimer deadline(m_readTimeoutMs);
    while (!endOf.isEmpty()) {
        if (giveUp && giveUp()) {
            listing.error = QStringLiteral("stopped");
            return listing;
        }
        if (deadline.hasExpired()) {
            listing.error
                = QStringLiteral("%1 partition(s) not read to their end within %2 s; showing what was read")
                      .arg(endOf.size())
                      .arg(m_readTimeoutMs / 1000);
            break;
        }
        const cluster::KafkaMessage message(rd_kafka_consumer_poll(rk.get(), 100));
        if (!message)
            continue;
        if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
            qCDebug(cluster::lcKafka, "dead-letter reader: %s", rd_kafka_message_errstr(message.get()));
            continue;
        }
        const auto end = endOf.find(message->partition);
        if (end == endOf.end())
            continue;
        if (message->offset < *end)
            records.append(deadLetterRecordOf(message.get()));
        if (message->offset + 1 >= *end) // compaction or aborted transactions may leave gaps
            endOf.erase(end);
    }
    // Newest first; the budget keeps the newest values whole.
    std::sort(
        records.begin(), records.end(), [](const KafkaDeadLetterRecord &a, const KafkaDeadLetterRecord &b) {
            return std::tie(a.timestampMs, a.partition, a.offset)
                > std::tie(b.timestampMs, b.partition, b.offset);
        });
    if (records.size() > wanted)
        records.resize(wanted);
    qsizetype budget = kValueBudgetBytes;
    for (KafkaDeadLetterRecord &record : records) {
        if (record.value.size() <= budget) {
            budget -= record.value.size();
            continue;
        }
        record.value = QByteArray(
            record.value.constData(), std::min(record.value.size(), kCutValueBytes)); // frees the rest
        record.valueTruncated = true;
        budget = 0;
    }
    listing.records = std::move(records);
    return listing;
}

} // namespace sb::inspect
