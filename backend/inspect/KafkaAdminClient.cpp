#include "inspect/KafkaAdminClient.h"

#include "cluster/KafkaLog.h"

#include <QDateTime>

#include <utility>

#include <memory>

namespace sb::inspect {

namespace {

struct AdminOptionsDeleter
{
    void operator()(rd_kafka_AdminOptions_t *options) const { rd_kafka_AdminOptions_destroy(options); }
};
struct EventDeleter
{
    void operator()(rd_kafka_event_t *event) const { rd_kafka_event_destroy(event); }
};
using AdminOptions = std::unique_ptr<rd_kafka_AdminOptions_t, AdminOptionsDeleter>;
using Event = std::unique_ptr<rd_kafka_event_t, EventDeleter>;

// The next answer of `type` on `queue` before `deadlineMs` (epoch ms), or null. Answers of
// other types are late ones of earlier calls that timed out: dropped, never read as this one.
Event nextResult(rd_kafka_queue_t *queue, rd_kafka_event_type_t type, qint64 deadlineMs)
{
    for (;;) {
        const int left = int(deadlineMs - QDateTime::currentMSecsSinceEpoch());
        if (left <= 0)
            return nullptr;
        Event event(rd_kafka_queue_poll(queue, left));
        if (!event || rd_kafka_event_type(event.get()) == type)
            return event;
    }
}

QString errorText(const rd_kafka_error_t *error)
{
    return QString::fromUtf8(rd_kafka_error_string(error));
}

cluster::KafkaPartitionList partitionList(
    const QList<KafkaAdminClient::TopicPartitions> &topics, qint64 offset)
{
    int count = 0;
    for (const auto &t : topics)
        count += t.partitions;
    cluster::KafkaPartitionList list(rd_kafka_topic_partition_list_new(qMax(1, count)));
    for (const auto &t : topics) {
        const QByteArray name = t.topic.toUtf8();
        for (int p = 0; p < t.partitions; ++p)
            rd_kafka_topic_partition_list_add(list.get(), name.constData(), p)->offset = offset;
    }
    return list;
}

} // namespace

KafkaAdminClient::KafkaAdminClient(int requestTimeoutMs)
    : m_timeoutMs(requestTimeoutMs)
{ }

bool KafkaAdminClient::open(const cluster::KafkaSettings &settings, QString *error)
{
    // A producer handle: it has no group membership at all, so nothing it does can
    // rebalance or commit for the groups it watches.
    const cluster::KafkaProperties defaults { { "client.id", "switchboard-console" },
        { "socket.timeout.ms", QByteArray::number(m_timeoutMs) }, { "reconnect.backoff.max.ms", "2000" } };
    cluster::KafkaConf conf = settings.createConf(defaults, {}, error);
    if (!conf)
        return false;
    cluster::installKafkaLogger(conf.get());
    char reason[512] = {};
    m_handle.reset(rd_kafka_new(RD_KAFKA_PRODUCER, conf.get(), reason, sizeof reason));
    if (!m_handle) {
        *error = QString::fromUtf8(reason);
        return false;
    }
    conf.release(); // rd_kafka_new took it
    m_queue.reset(rd_kafka_queue_new(m_handle.get()));
    m_offsetQueue.reset(rd_kafka_queue_new(m_handle.get()));
    return true;
}

bool KafkaAdminClient::metadata(Metadata *out, QString *error)
{
    const rd_kafka_metadata_t *raw = nullptr;
    const rd_kafka_resp_err_t err = rd_kafka_metadata(m_handle.get(), 1, nullptr, &raw, m_timeoutMs);
    const cluster::KafkaMetadata metadata(raw);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        *error = QStringLiteral("metadata: %1").arg(QString::fromUtf8(rd_kafka_err2str(err)));
        return false;
    }
    out->brokers = metadata->broker_cnt;
    out->topics.clear();
    for (int i = 0; i < metadata->topic_cnt; ++i) {
        const rd_kafka_metadata_topic_t &topic = metadata->topics[i];
        const QString name = QString::fromUtf8(topic.topic);
        if (name.startsWith(u"__") || topic.err != RD_KAFKA_RESP_ERR_NO_ERROR)
            continue;
        out->topics.append({ name, topic.partition_cnt });
    }
    std::sort(out->topics.begin(), out->topics.end(),
        [](const TopicPartitions &a, const TopicPartitions &b) { return a.topic < b.topic; });
    return true;
}

bool KafkaAdminClient::endOffsets(const QList<TopicPartitions> &topics, PartitionOffsets *out, QString *error)
{
    return listOffsets(topics, RD_KAFKA_OFFSET_END, QStringLiteral("log-end offsets"), out, error);
}

bool KafkaAdminClient::startOffsets(
    const QList<TopicPartitions> &topics, PartitionOffsets *out, QString *error)
{
    return listOffsets(topics, RD_KAFKA_OFFSET_BEGINNING, QStringLiteral("log-start offsets"), out, error);
}

bool KafkaAdminClient::listOffsets(const QList<TopicPartitions> &topics, qint64 timestamp,
    const QString &what, PartitionOffsets *out, QString *error)
{
    out->clear();
    if (topics.isEmpty())
        return true;
    // ListOffsets with timestamp -1 ("latest") or -2 ("earliest") answers every partition
    // in one request per leader, instead of one watermark query per partition.
    cluster::KafkaPartitionList list = partitionList(topics, timestamp);
    const rd_kafka_resp_err_t err = rd_kafka_offsets_for_times(m_handle.get(), list.get(), m_timeoutMs);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        *error = QStringLiteral("%1: %2").arg(what, QString::fromUtf8(rd_kafka_err2str(err)));
        return false;
    }
    for (int i = 0; i < list->cnt; ++i) {
        const rd_kafka_topic_partition_t &p = list->elems[i];
        out->insert({ QString::fromUtf8(p.topic), int(p.partition) },
            p.err == RD_KAFKA_RESP_ERR_NO_ERROR && p.offset >= 0 ? p.offset : -1);
    }
    return true;
}

KafkaAdminClient::GroupListing KafkaAdminClient::listGroups()
{
    GroupListing listing;
    AdminOptions options(rd_kafka_AdminOptions_new(m_handle.get(), RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS));
    rd_kafka_AdminOptions_set_request_timeout(options.get(), m_timeoutMs, nullptr, 0);
    rd_kafka_ListConsumerGroups(m_handle.get(), options.get(), m_queue.get());
    const Event event = nextResult(m_queue.get(), RD_KAFKA_EVENT_LISTCONSUMERGROUPS_RESULT,
        QDateTime::currentMSecsSinceEpoch() + m_timeoutMs + 1000);
    if (!event) {
        listing.error = QStringLiteral("ListGroups got no answer within %1 ms").arg(m_timeoutMs + 1000);
        return listing;
    }
    if (rd_kafka_event_error(event.get())) {
        listing.error = QString::fromUtf8(rd_kafka_event_error_string(event.get()));
        return listing;
    }
    const rd_kafka_ListConsumerGroups_result_t *result
        = rd_kafka_event_ListConsumerGroups_result(event.get());
    size_t errorCount = 0;
    const rd_kafka_error_t **errors = rd_kafka_ListConsumerGroups_result_errors(result, &errorCount);
    size_t count = 0;
    const rd_kafka_ConsumerGroupListing_t **groups = rd_kafka_ListConsumerGroups_result_valid(result, &count);
    for (size_t i = 0; i < count; ++i)
        listing.groups.append(QString::fromUtf8(rd_kafka_ConsumerGroupListing_group_id(groups[i])));
    // Each broker answers for the groups it coordinates; errors from every broker and no
    // group at all means the cluster does not do ListGroups (librdkafka's mock cluster).
    if (errorCount > 0 && count == 0) {
        listing.error = errorText(errors[0]);
        return listing;
    }
    listing.supported = true;
    if (errorCount > 0)
        listing.error = QStringLiteral("%1 broker(s) could not list their groups: %2")
                            .arg(errorCount)
                            .arg(errorText(errors[0]));
    listing.groups.sort();
    return listing;
}

QHash<QString, KafkaAdminClient::GroupDescription> KafkaAdminClient::describeGroups(
    const QStringList &groups, QString *error)
{
    QHash<QString, GroupDescription> out;
    if (groups.isEmpty())
        return out;
    QList<QByteArray> names;
    QList<const char *> pointers;
    for (const QString &g : groups)
        names.append(g.toUtf8());
    for (const QByteArray &n : names)
        pointers.append(n.constData());
    AdminOptions options(rd_kafka_AdminOptions_new(m_handle.get(), RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS));
    rd_kafka_AdminOptions_set_request_timeout(options.get(), m_timeoutMs, nullptr, 0);
    rd_kafka_DescribeConsumerGroups(
        m_handle.get(), pointers.data(), size_t(pointers.size()), options.get(), m_queue.get());
    const Event event = nextResult(m_queue.get(), RD_KAFKA_EVENT_DESCRIBECONSUMERGROUPS_RESULT,
        QDateTime::currentMSecsSinceEpoch() + m_timeoutMs + 1000);
    if (!event) {
        *error = QStringLiteral("DescribeGroups got no answer");
        return out;
    }
    if (rd_kafka_event_error(event.get())) {
        *error = QString::fromUtf8(rd_kafka_event_error_string(event.get()));
        return out;
    }
    size_t count = 0;
    const rd_kafka_ConsumerGroupDescription_t **descriptions = rd_kafka_DescribeConsumerGroups_result_groups(
        rd_kafka_event_DescribeConsumerGroups_result(event.get()), &count);
    for (size_t i = 0; i < count; ++i) {
        GroupDescription d;
        if (const rd_kafka_error_t *e = rd_kafka_ConsumerGroupDescription_error(descriptions[i])) {
            d.error = errorText(e);
        } else {
            d.state = QString::fromUtf8(
                rd_kafka_consumer_group_state_name(rd_kafka_ConsumerGroupDescription_state(descriptions[i])));
            d.members = int(rd_kafka_ConsumerGroupDescription_member_count(descriptions[i]));
        }
        out.insert(QString::fromUtf8(rd_kafka_ConsumerGroupDescription_group_id(descriptions[i])), d);
    }
    return out;
}

void KafkaAdminClient::requestCommittedOffsets(
    const QStringList &groups, const QList<TopicPartitions> &topics)
{
    m_offsetGroups = groups.mid(0, kMaxGroupsPerRequest);
    m_offsetsSentMs = QDateTime::currentMSecsSinceEpoch();
    ++m_offsetGeneration;
    if (groups.isEmpty())
        return;
    // Every partition of every topic: a group without DescribeGroups does not tell which
    // topics it consumes, and OffsetFetch answers "no offset" for the others.
    const cluster::KafkaPartitionList partitions = partitionList(topics, RD_KAFKA_OFFSET_INVALID);
    for (qsizetype i = 0; i < m_offsetGroups.size(); ++i) {
        const QByteArray name = m_offsetGroups.at(i).toUtf8();
        rd_kafka_ListConsumerGroupOffsets_t *request
            = rd_kafka_ListConsumerGroupOffsets_new(name.constData(), partitions.get());
        AdminOptions options(
            rd_kafka_AdminOptions_new(m_handle.get(), RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS));
        rd_kafka_AdminOptions_set_request_timeout(options.get(), m_timeoutMs, nullptr, 0);
        // The poll's generation and the group's index: a late answer to an earlier poll
        // (one that timed out) is recognised and dropped, never taken for another group.
        const quintptr tag = (quintptr(m_offsetGeneration) << 16) | quintptr(i + 1);
        rd_kafka_AdminOptions_set_opaque(options.get(), reinterpret_cast<void *>(tag));
        rd_kafka_ListConsumerGroupOffsets(m_handle.get(), &request, 1, options.get(), m_offsetQueue.get());
        rd_kafka_ListConsumerGroupOffsets_destroy(request);
    }
}

QHash<QString, KafkaAdminClient::GroupOffsets> KafkaAdminClient::collectCommittedOffsets()
{
    QHash<QString, GroupOffsets> out;
    const QStringList groups = std::exchange(m_offsetGroups, {});
    for (const QString &group : groups)
        out.insert(group,
            GroupOffsets {
                QStringLiteral("no answer within %1 ms").arg(m_timeoutMs + 1000), {}, std::nullopt });
    int pending = int(groups.size());
    while (pending > 0) {
        const Event event = nextResult(m_offsetQueue.get(), RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT,
            m_offsetsSentMs + m_timeoutMs + 1000);
        if (!event)
            break;
        const auto tag = reinterpret_cast<quintptr>(rd_kafka_event_opaque(event.get()));
        const auto index = qsizetype(tag & 0xffff) - 1;
        if ((tag >> 16) != quintptr(m_offsetGeneration) || index < 0 || index >= groups.size())
            continue;
        --pending;
        GroupOffsets &group = out[groups.at(index)];
        group.error.clear();
        if (rd_kafka_event_error(event.get())) {
            group.error = QString::fromUtf8(rd_kafka_event_error_string(event.get()));
            continue;
        }
        size_t count = 0;
        const rd_kafka_group_result_t **results = rd_kafka_ListConsumerGroupOffsets_result_groups(
            rd_kafka_event_ListConsumerGroupOffsets_result(event.get()), &count);
        for (size_t r = 0; r < count; ++r) {
            if (const rd_kafka_error_t *e = rd_kafka_group_result_error(results[r])) {
                group.error = errorText(e);
                continue;
            }
            const rd_kafka_topic_partition_list_t *list = rd_kafka_group_result_partitions(results[r]);
            for (int p = 0; list && p < list->cnt; ++p) {
                const rd_kafka_topic_partition_t &tp = list->elems[p];
                if (tp.err == RD_KAFKA_RESP_ERR_NO_ERROR && tp.offset >= 0)
                    group.committed.insert({ QString::fromUtf8(tp.topic), int(tp.partition) }, tp.offset);
                if (tp.err == RD_KAFKA_RESP_ERR_NO_ERROR && tp.metadata && tp.metadata_size > 0
                    && !group.retired)
                    group.retired = cluster::RetiredGroupMark::parse(
                        QByteArray(static_cast<const char *>(tp.metadata), qsizetype(tp.metadata_size)));
            }
        }
    }
    return out;
}

} // namespace sb::inspect
