#include "cluster/KafkaStage1Reader.h"

#include "cluster/KafkaLog.h"
#include "cluster/KafkaTopicEnds.h"

#include <QDeadlineTimer>

namespace sb::cluster {

namespace {
constexpr int kRequestTimeoutMs = 5000;
constexpr int kPollMs = 100;
// A range that stops advancing for this long is given up (and read again next round).
constexpr int kStallTimeoutMs = 30000;
} // namespace

KafkaStage1Reader::KafkaStage1Reader(
    KafkaSettings settings, QByteArray topic, QByteArray group, QByteArray clientId)
    : m_settings(std::move(settings))
    , m_topic(std::move(topic))
    , m_group(std::move(group))
    , m_clientId(std::move(clientId))
{ }

KafkaStage1Reader::~KafkaStage1Reader()
{
    // Never joined the group: nothing to leave, and a consumer close could wait on it.
    if (m_rk)
        rd_kafka_destroy_flags(m_rk.release(), RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
}

bool KafkaStage1Reader::open(QString *error)
{
    if (m_rk)
        return true;
    const KafkaProperties defaults { { "client.id", m_clientId }, { "enable.partition.eof", "false" },
        { "fetch.wait.max.ms", "50" } };
    const KafkaProperties required { { "group.id", m_group }, { "enable.auto.commit", "false" },
        { "enable.auto.offset.store", "false" } };
    KafkaConf conf = m_settings.createConf(defaults, required, error);
    if (!conf)
        return false;
    installKafkaLogger(conf.get());
    char reason[512];
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf.get(), reason, sizeof reason);
    if (!rk) {
        *error = u"cannot create the stage-1 reader: " + QString::fromUtf8(reason);
        return false;
    }
    conf.release();
    m_rk.reset(rk);
    rd_kafka_poll_set_consumer(rk);
    return true;
}

std::optional<int> KafkaStage1Reader::partitions(QString *error)
{
    return readPartitionCount(m_rk.get(), m_topic, kRequestTimeoutMs, error);
}

std::optional<QList<qint64>> KafkaStage1Reader::watermarks(int partitions, bool high, QString *error)
{
    QList<qint64> offsets;
    for (int p = 0; p < partitions; ++p) {
        int64_t low = 0;
        int64_t end = 0;
        const rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(
            m_rk.get(), m_topic.constData(), p, &low, &end, kRequestTimeoutMs);
        if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
            *error = QStringLiteral("offsets of %1 [%2]: %3")
                         .arg(QString::fromUtf8(m_topic), QString::number(p),
                             QString::fromUtf8(rd_kafka_err2str(err)));
            return std::nullopt;
        }
        offsets.append(high ? end : low);
    }
    return offsets;
}

std::optional<QList<qint64>> KafkaStage1Reader::committed(int partitions, QString *error)
{
    KafkaPartitionList list(rd_kafka_topic_partition_list_new(partitions));
    for (int p = 0; p < partitions; ++p)
        rd_kafka_topic_partition_list_add(list.get(), m_topic.constData(), p);
    const rd_kafka_resp_err_t err = rd_kafka_committed(m_rk.get(), list.get(), kRequestTimeoutMs);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        *error = u"committed offsets of " + QString::fromUtf8(m_group) + u": "
            + QString::fromUtf8(rd_kafka_err2str(err));
        return std::nullopt;
    }
    QList<qint64> offsets(partitions, -1);
    for (int i = 0; i < list->cnt; ++i) {
        const rd_kafka_topic_partition_t &partition = list->elems[i];
        if (partition.partition >= 0 && partition.partition < partitions
            && partition.err == RD_KAFKA_RESP_ERR_NO_ERROR)
            offsets[partition.partition] = partition.offset >= 0 ? partition.offset : -1;
    }
    return offsets;
}

bool KafkaStage1Reader::read(const QHash<int, Range> &ranges,
    const std::function<void(const KafkaRecord &)> &take, const std::function<bool()> &giveUp, QString *error)
{
    rd_kafka_t *rk = m_rk.get();
    KafkaPartitionList assignment(rd_kafka_topic_partition_list_new(int(ranges.size())));
    QHash<int, qint64> next; // partition -> next offset wanted
    for (auto it = ranges.cbegin(); it != ranges.cend(); ++it) {
        if (it->first > it->second)
            continue;
        rd_kafka_topic_partition_list_add(assignment.get(), m_topic.constData(), it.key())->offset
            = it->first;
        next.insert(it.key(), it->first);
    }
    if (next.isEmpty())
        return true;
    if (const rd_kafka_resp_err_t err = rd_kafka_assign(rk, assignment.get());
        err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        *error = u"assign: " + QString::fromUtf8(rd_kafka_err2str(err));
        return false;
    }
    QDeadlineTimer stall(kStallTimeoutMs);
    bool ok = true;
    while (!next.isEmpty()) {
        if (giveUp()) {
            *error = QStringLiteral("stopping");
            ok = false;
            break;
        }
        if (stall.hasExpired()) {
            *error = QStringLiteral("no record for %1 s").arg(kStallTimeoutMs / 1000);
            ok = false;
            break;
        }
        const KafkaMessage message(rd_kafka_consumer_poll(rk, kPollMs));
        if (!message)
            continue;
        if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
            qCDebug(lcKafka, "stage-1 reader: %s", rd_kafka_message_errstr(message.get()));
            continue;
        }
        const auto wanted = next.find(message->partition);
        if (wanted == next.end() || message->offset < *wanted)
            continue;
        stall = QDeadlineTimer(kStallTimeoutMs);
        KafkaRecord record;
        record.topic = m_topic;
        record.partition = message->partition;
        record.offset = message->offset;
        if (message->key)
            record.key = QByteArray(static_cast<const char *>(message->key), qsizetype(message->key_len));
        if (message->payload)
            record.value = QByteArray(static_cast<const char *>(message->payload), qsizetype(message->len));
        *wanted = record.offset + 1;
        const qint64 last = ranges.value(record.partition).second;
        if (record.offset <= last)
            take(record);
        if (record.offset >= last)
            next.remove(record.partition);
    }
    rd_kafka_assign(rk, nullptr);
    return ok;
}

} // namespace sb::cluster
