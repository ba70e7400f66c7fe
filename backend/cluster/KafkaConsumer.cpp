#include "cluster/KafkaConsumer.h"

#include "cluster/KafkaLog.h"
#include "cluster/KafkaTopicEnds.h"
#include "cluster/RetiredGroupMark.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QHash>
#include <QThread>

#include <cstdlib>
#include <cstring>

namespace sb::cluster {

namespace {

constexpr int PollWaitMs = 100; // also how quickly close() is noticed while idle
constexpr int BlockingCallTimeoutMs = 5000;
constexpr int RedeliveryPauseMs = 200; // after a "not handled" batch, before seeking back
constexpr int CloseTimeoutMs = 10000; // leaving the group; beyond it we abandon the membership
// latestAsOfStart: how long start() may wait to learn where its topics end.
constexpr int EndsAtStartTimeoutMs = 2000;

using PartitionKey = std::pair<QByteArray, int>;

// Empty when the cluster answers ListGroups (it administers consumer groups); else why not.
QString groupAdministrationProblem(rd_kafka_t *rk, rd_kafka_queue_t *queue, int timeoutMs)
{
    rd_kafka_AdminOptions_t *options = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS);
    rd_kafka_AdminOptions_set_request_timeout(options, timeoutMs, nullptr, 0);
    rd_kafka_ListConsumerGroups(rk, options, queue);
    rd_kafka_AdminOptions_destroy(options);
    rd_kafka_event_t *event = rd_kafka_queue_poll(queue, timeoutMs + 500);
    if (!event)
        return QStringLiteral("no answer within %1 ms").arg(timeoutMs + 500);
    QString problem;
    if (rd_kafka_event_error(event) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        problem = QString::fromUtf8(rd_kafka_event_error_string(event));
    } else if (const rd_kafka_ListConsumerGroups_result_t *result
        = rd_kafka_event_ListConsumerGroups_result(event)) {
        size_t errors = 0;
        const rd_kafka_error_t **first = rd_kafka_ListConsumerGroups_result_errors(result, &errors);
        size_t valid = 0;
        rd_kafka_ListConsumerGroups_result_valid(result, &valid);
        // Every broker refusing and no group listed: nobody administers groups here.
        if (errors > 0 && valid == 0)
            problem = QString::fromUtf8(rd_kafka_error_string(first[0]));
    }
    rd_kafka_event_destroy(event);
    return problem;
}

// Read from the configuration rather than with rd_kafka_rebalance_protocol(), which can
// block forever when called from a rebalance callback during close (librdkafka #4041).
bool isCooperative(const rd_kafka_conf_t *conf)
{
    char value[256];
    size_t size = sizeof value;
    if (rd_kafka_conf_get(conf, "partition.assignment.strategy", value, &size) != RD_KAFKA_CONF_OK)
        return false;
    return std::strstr(value, "cooperative") != nullptr;
}

} // namespace

KafkaConsumer::KafkaConsumer(KafkaSettings settings, KafkaConsumerOptions options, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_options(std::move(options))
{ }

KafkaConsumer::~KafkaConsumer()
{
    close();
}

bool KafkaConsumer::start(QString *error)
{
    if (m_rk)
        return true;
    if (m_options.groupId.isEmpty() || m_options.topics.isEmpty()) {
        if (error)
            *error = QStringLiteral("Kafka consumer needs a group id and at least one topic");
        return false;
    }
    const KafkaProperties defaults {
        { "client.id", m_options.clientId },
        { "session.timeout.ms", QByteArray::number(m_options.sessionTimeoutMs) },
        { "heartbeat.interval.ms", QByteArray::number(m_options.heartbeatIntervalMs) },
        { "enable.partition.eof", "false" },
        { "fetch.wait.max.ms", QByteArray::number(m_options.fetchWaitMaxMs) },
    };
    const KafkaProperties required {
        { "group.id", m_options.groupId },
        { "auto.offset.reset", m_options.autoOffsetReset },
        // At-least-once: offsets are stored and committed by us, after handling.
        { "enable.auto.commit", "false" },
        { "enable.auto.offset.store", "false" },
    };
    KafkaConf conf = m_settings.createConf(defaults, required, error);
    if (!conf)
        return false;
    installKafkaLogger(conf.get());
    m_cooperative = isCooperative(conf.get());
    rd_kafka_conf_set_opaque(conf.get(), this);
    rd_kafka_conf_set_rebalance_cb(conf.get(), &KafkaConsumer::onRebalance);
    rd_kafka_conf_set_error_cb(conf.get(), &KafkaConsumer::onError);
    rd_kafka_conf_set_offset_commit_cb(conf.get(), &KafkaConsumer::onCommit);
    char reason[512];
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf.get(), reason, sizeof reason);
    if (!rk) {
        if (error)
            *error = u"cannot create Kafka consumer: " + QString::fromUtf8(reason);
        return false;
    }
    conf.release();
    m_rk.reset(rk);
    // Errors, rebalances and commit results are all served by rd_kafka_consumer_poll().
    rd_kafka_poll_set_consumer(rk);
    if (m_options.latestAsOfStart && m_options.autoOffsetReset == "latest")
        readEndsAtStart();

    KafkaPartitionList topics(rd_kafka_topic_partition_list_new(static_cast<int>(m_options.topics.size())));
    for (const QByteArray &topic : m_options.topics)
        rd_kafka_topic_partition_list_add(topics.get(), topic.constData(), RD_KAFKA_PARTITION_UA);
    const rd_kafka_resp_err_t err = rd_kafka_subscribe(rk, topics.get());
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        if (error)
            *error = u"cannot subscribe: " + QString::fromUtf8(rd_kafka_err2str(err));
        m_rk.reset();
        return false;
    }
    m_stopping = false;
    m_closing = false;
    m_closedCleanly = false;
    m_thread = QThread::create([this] { run(); });
    m_thread->setObjectName(u"kafka-" + QString::fromUtf8(m_options.groupId).left(24));
    m_thread->start();
    qCInfo(lcKafka, "consumer %s: group %s, %lld topic(s), offset reset %s", rd_kafka_name(rk),
        m_options.groupId.constData(), static_cast<long long>(m_options.topics.size()),
        m_options.autoOffsetReset.constData());
    return true;
}

void KafkaConsumer::close()
{
    if (!m_rk)
        return;
    m_stopping = true;
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
    }
    if (m_closedCleanly) {
        m_rk.reset();
    } else {
        // rd_kafka_destroy() would try to close again and could block the same way.
        rd_kafka_destroy_flags(m_rk.release(), RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
    }
}

void KafkaConsumer::run()
{
    rd_kafka_t *rk = m_rk.get();
    while (!m_stopping.load()) {
        if (m_health.probeIfDue(rk))
            emit healthChanged(true, QString());
        applyPause();
        const QList<KafkaRecord> batch = pollBatch();
        if (batch.isEmpty())
            continue;
        const bool handled = m_handler ? m_handler(batch) : true;
        if (handled) {
            ++m_batches;
            storeAndCommit(batch);
        } else if (!m_stopping.load()) {
            seekBack(batch);
        }
    }
    // Commit what is stored, then leave the group: our partitions go to the remaining
    // members now rather than after session.timeout.ms.
    const rd_kafka_resp_err_t committed = rd_kafka_commit(rk, nullptr, 0);
    if (committed != RD_KAFKA_RESP_ERR_NO_ERROR && committed != RD_KAFKA_RESP_ERR__NO_OFFSET)
        qCWarning(
            lcKafka, "consumer %s: final commit failed: %s", rd_kafka_name(rk), rd_kafka_err2str(committed));
    if (m_options.retireGroupOnClose)
        markRetired();
    m_closedCleanly = leaveGroup();
    qCInfo(lcKafka, "consumer %s left group %s after %llu record(s)", rd_kafka_name(rk),
        m_options.groupId.constData(), static_cast<unsigned long long>(m_consumed.load()));
    // Only an empty group can go; one we could not leave expires instead.
    if (m_options.retireGroupOnClose && m_closedCleanly)
        deleteGroup();
    else if (m_options.retireGroupOnClose)
        m_retireOutcome = QStringLiteral("not deleted: the consumer could not leave the group");
}

void KafkaConsumer::applyPause()
{
    const bool wanted = m_pauseWanted.load();
    if (wanted == m_pauseApplied)
        return;
    rd_kafka_t *rk = m_rk.get();
    rd_kafka_topic_partition_list_t *raw = nullptr;
    if (rd_kafka_assignment(rk, &raw) != RD_KAFKA_RESP_ERR_NO_ERROR || !raw)
        return; // tried again at the next poll
    const KafkaPartitionList assignment(raw);
    const rd_kafka_resp_err_t err = wanted ? rd_kafka_pause_partitions(rk, assignment.get())
                                           : rd_kafka_resume_partitions(rk, assignment.get());
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        qCWarning(lcKafka, "consumer %s: %s failed: %s", rd_kafka_name(rk), wanted ? "pause" : "resume",
            rd_kafka_err2str(err));
        return;
    }
    m_pauseApplied = wanted;
    qCInfo(lcKafka, "consumer %s of group %s %s (%d partition(s))", rd_kafka_name(rk),
        m_options.groupId.constData(), wanted ? "paused" : "resumed", assignment->cnt);
}

// Commits every partition once more, with the retirement mark as its metadata: where it
// had committed, the same offset; where it never did (an idle per-boot group), its
// position, else the log end — nothing is left unread by a group that reads from "latest".
void KafkaConsumer::markRetired()
{
    rd_kafka_t *rk = m_rk.get();
    rd_kafka_topic_partition_list_t *raw = nullptr;
    if (rd_kafka_assignment(rk, &raw) != RD_KAFKA_RESP_ERR_NO_ERROR || !raw)
        return;
    const KafkaPartitionList partitions(raw);
    if (partitions->cnt == 0)
        return;
    if (rd_kafka_committed(rk, partitions.get(), BlockingCallTimeoutMs) != RD_KAFKA_RESP_ERR_NO_ERROR)
        return;
    const KafkaPartitionList positions(rd_kafka_topic_partition_list_copy(partitions.get()));
    rd_kafka_position(rk, positions.get());
    const RetiredGroupMark mark { QString::fromUtf8(m_options.clientId),
        QDateTime::currentMSecsSinceEpoch() };
    const QByteArray metadata = mark.encode();
    for (int i = 0; i < partitions->cnt; ++i) {
        rd_kafka_topic_partition_t &partition = partitions->elems[i];
        if (partition.offset < 0)
            partition.offset = positions->elems[i].offset;
        if (partition.offset < 0) {
            int64_t low = 0;
            int64_t high = 0;
            if (rd_kafka_query_watermark_offsets(
                    rk, partition.topic, partition.partition, &low, &high, BlockingCallTimeoutMs)
                == RD_KAFKA_RESP_ERR_NO_ERROR)
                partition.offset = high;
        }
        // Freed with the list: librdkafka allocates and frees metadata with malloc()/free().
        std::free(partition.metadata);
        partition.metadata = std::malloc(size_t(metadata.size()));
        std::memcpy(partition.metadata, metadata.constData(), size_t(metadata.size()));
        partition.metadata_size = size_t(metadata.size());
    }
    const rd_kafka_resp_err_t err = rd_kafka_commit(rk, partitions.get(), 0);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
        qCWarning(lcKafka, "consumer %s: could not mark group %s retired: %s", rd_kafka_name(rk),
            m_options.groupId.constData(), rd_kafka_err2str(err));
}

void KafkaConsumer::deleteGroup()
{
    // A short-lived admin client of its own: an admin request on the closed consumer's
    // handle made its rd_kafka_destroy() hang (librdkafka 2.0.2).
    QString confError;
    KafkaConf conf = m_settings.createConf({ { "client.id", m_options.clientId } }, {}, &confError);
    if (conf)
        installKafkaLogger(conf.get());
    char reason[512];
    rd_kafka_t *admin = conf ? rd_kafka_new(RD_KAFKA_PRODUCER, conf.get(), reason, sizeof reason) : nullptr;
    if (!admin) {
        m_retireOutcome = u"no admin client: " + (conf ? QString::fromUtf8(reason) : confError);
        return;
    }
    conf.release();
    const KafkaHandle handle(admin);
    rd_kafka_t *rk = handle.get();
    const KafkaQueue queue(rd_kafka_queue_new(rk));
    // Asked only of a broker that administers groups at all: against one that does not
    // (librdkafka's mock cluster), librdkafka 2.0.2 answers DeleteGroups "unsupported" and
    // then hangs destroying the client. ListGroups tells, and is harmless there.
    const QString unsupported = groupAdministrationProblem(rk, queue.get(), m_options.retireTimeoutMs);
    if (!unsupported.isEmpty()) {
        m_retireOutcome
            = QStringLiteral("the broker does not administer groups (ListGroups: %1)").arg(unsupported);
        qCInfo(lcKafka, "consumer %s: group %s stays, marked retired: %s", rd_kafka_name(m_rk.get()),
            m_options.groupId.constData(), qPrintable(m_retireOutcome));
        return;
    }
    rd_kafka_DeleteGroup_t *group = rd_kafka_DeleteGroup_new(m_options.groupId.constData());
    rd_kafka_AdminOptions_t *options = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_DELETEGROUPS);
    rd_kafka_AdminOptions_set_request_timeout(options, m_options.retireTimeoutMs, nullptr, 0);
    rd_kafka_DeleteGroups(rk, &group, 1, options, queue.get());
    rd_kafka_AdminOptions_destroy(options);
    rd_kafka_DeleteGroup_destroy(group);

    QString outcome = QStringLiteral("no answer within %1 ms").arg(m_options.retireTimeoutMs);
    if (rd_kafka_event_t *event = rd_kafka_queue_poll(queue.get(), m_options.retireTimeoutMs + 500)) {
        if (rd_kafka_event_error(event) != RD_KAFKA_RESP_ERR_NO_ERROR) {
            outcome = QString::fromUtf8(rd_kafka_event_error_string(event));
        } else if (const rd_kafka_DeleteGroups_result_t *result = rd_kafka_event_DeleteGroups_result(event)) {
            size_t count = 0;
            const rd_kafka_group_result_t **groups = rd_kafka_DeleteGroups_result_groups(result, &count);
            const rd_kafka_error_t *error = count > 0 ? rd_kafka_group_result_error(groups[0]) : nullptr;
            if (count > 0 && !error)
                outcome.clear();
            else if (error)
                outcome = QString::fromUtf8(rd_kafka_error_string(error));
        }
        rd_kafka_event_destroy(event);
    }
    m_retireOutcome = outcome;
    m_groupDeleted = outcome.isEmpty();
    if (outcome.isEmpty())
        qCInfo(lcKafka, "consumer %s: deleted its group %s", rd_kafka_name(m_rk.get()),
            m_options.groupId.constData());
    else
        qCInfo(lcKafka, "consumer %s: group %s stays, marked retired (the broker did not delete it: %s)",
            rd_kafka_name(m_rk.get()), m_options.groupId.constData(), qPrintable(outcome));
}

// rd_kafka_consumer_close() has no timeout, and librdkafka 2.0 can hang in it when a
// rebalance is in flight (e.g. another member just left: librdkafka #4884). So: the
// queue-based close, serving its events ourselves, bounded by CloseTimeoutMs. On timeout
// the membership is abandoned and expires on the coordinator after session.timeout.ms.
bool KafkaConsumer::leaveGroup()
{
    rd_kafka_t *rk = m_rk.get();
    m_closing = true;
    const KafkaQueue queue(rd_kafka_queue_new(rk));
    if (rd_kafka_error_t *error = rd_kafka_consumer_close_queue(rk, queue.get())) {
        qCWarning(lcKafka, "consumer %s: close: %s", rd_kafka_name(rk), rd_kafka_error_string(error));
        rd_kafka_error_destroy(error);
        return false;
    }
    const QDeadlineTimer deadline(CloseTimeoutMs);
    while (!rd_kafka_consumer_closed(rk)) {
        if (deadline.hasExpired()) {
            qCWarning(lcKafka,
                "consumer %s: could not leave group %s within %d ms; abandoning the membership",
                rd_kafka_name(rk), m_options.groupId.constData(), CloseTimeoutMs);
            return false;
        }
        rd_kafka_event_t *event = rd_kafka_queue_poll(queue.get(), 100);
        if (!event)
            continue;
        if (rd_kafka_event_type(event) == RD_KAFKA_EVENT_REBALANCE)
            onRebalance(rk, rd_kafka_event_error(event), rd_kafka_event_topic_partition_list(event), this);
        rd_kafka_event_destroy(event);
    }
    return true;
}

QList<KafkaRecord> KafkaConsumer::pollBatch()
{
    QList<KafkaRecord> batch;
    rd_kafka_t *rk = m_rk.get();
    if (!take(rd_kafka_consumer_poll(rk, PollWaitMs), batch))
        return batch;
    // Drain what is already here, without waiting: under load batches fill up to the
    // count bound, when idle a record is handed over at once instead of after maxBatchMs.
    QElapsedTimer sinceFirst;
    sinceFirst.start();
    while (batch.size() < m_options.maxBatchRecords && sinceFirst.elapsed() < m_options.maxBatchMs
        && !m_stopping.load()) {
        if (!take(rd_kafka_consumer_poll(rk, 0), batch))
            break;
    }
    return batch;
}

// Appends the record (and owns/destroys the message). False when there was nothing.
bool KafkaConsumer::take(rd_kafka_message_t *raw, QList<KafkaRecord> &batch)
{
    if (!raw)
        return false;
    const KafkaMessage message(raw);
    if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        // Consumer errors (unknown topic, fetch failures) are informational: librdkafka
        // keeps retrying. Broker-wide outages come through error_cb.
        qCWarning(
            lcKafka, "consumer %s: %s", rd_kafka_name(m_rk.get()), rd_kafka_message_errstr(message.get()));
        return true; // not a record, but keep draining
    }
    contact();
    KafkaRecord record;
    record.topic = QByteArray(rd_kafka_topic_name(message->rkt));
    record.partition = message->partition;
    record.offset = message->offset;
    record.timestampMs = rd_kafka_message_timestamp(message.get(), nullptr);
    if (message->key)
        record.key
            = QByteArray(static_cast<const char *>(message->key), static_cast<qsizetype>(message->key_len));
    if (message->payload)
        record.value
            = QByteArray(static_cast<const char *>(message->payload), static_cast<qsizetype>(message->len));
    rd_kafka_headers_t *headers = nullptr;
    if (rd_kafka_message_headers(message.get(), &headers) == RD_KAFKA_RESP_ERR_NO_ERROR && headers) {
        const char *name = nullptr;
        const void *value = nullptr;
        size_t size = 0;
        for (size_t i = 0;
             rd_kafka_header_get_all(headers, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i) {
            record.headers.append({ QByteArray(name),
                value ? QByteArray(static_cast<const char *>(value), static_cast<qsizetype>(size))
                      : QByteArray() });
        }
    }
    batch.append(std::move(record));
    ++m_consumed;
    return true;
}

void KafkaConsumer::storeAndCommit(const QList<KafkaRecord> &batch)
{
    QHash<PartitionKey, qint64> next;
    for (const KafkaRecord &record : batch) {
        qint64 &offset = next[{ record.topic, record.partition }];
        offset = std::max(offset, record.offset + 1);
    }
    KafkaPartitionList offsets(rd_kafka_topic_partition_list_new(static_cast<int>(next.size())));
    for (auto it = next.cbegin(); it != next.cend(); ++it)
        rd_kafka_topic_partition_list_add(offsets.get(), it.key().first.constData(), it.key().second)->offset
            = it.value();
    rd_kafka_t *rk = m_rk.get();
    // Fails only for partitions revoked meanwhile; their next owner redelivers them.
    rd_kafka_offsets_store(rk, offsets.get());
    const rd_kafka_resp_err_t err = rd_kafka_commit(rk, nullptr, 1);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET)
        qCWarning(lcKafka, "consumer %s: commit failed: %s", rd_kafka_name(rk), rd_kafka_err2str(err));
}

void KafkaConsumer::seekBack(const QList<KafkaRecord> &batch)
{
    QHash<PartitionKey, qint64> first;
    for (const KafkaRecord &record : batch) {
        auto it = first.find({ record.topic, record.partition });
        if (it == first.end())
            first.insert({ record.topic, record.partition }, record.offset);
        else
            *it = std::min(*it, record.offset);
    }
    KafkaPartitionList positions(rd_kafka_topic_partition_list_new(static_cast<int>(first.size())));
    for (auto it = first.cbegin(); it != first.cend(); ++it)
        rd_kafka_topic_partition_list_add(positions.get(), it.key().first.constData(), it.key().second)
            ->offset
            = it.value();
    QThread::msleep(RedeliveryPauseMs); // a handler that refuses everything must not spin
    if (rd_kafka_error_t *error
        = rd_kafka_seek_partitions(m_rk.get(), positions.get(), BlockingCallTimeoutMs)) {
        qCWarning(lcKafka, "consumer %s: seek back failed: %s", rd_kafka_name(m_rk.get()),
            rd_kafka_error_string(error));
        rd_kafka_error_destroy(error);
    }
}

void KafkaConsumer::resolveLatest(rd_kafka_topic_partition_list_t *partitions)
{
    rd_kafka_t *rk = m_rk.get();
    // Committed offsets win (a rejoin within the same boot resumes where it was).
    const rd_kafka_resp_err_t err = rd_kafka_committed(rk, partitions, BlockingCallTimeoutMs);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        qCWarning(lcKafka,
            "consumer %s: cannot read committed offsets (%s); falling back to auto.offset.reset",
            rd_kafka_name(rk), rd_kafka_err2str(err));
        return;
    }
    for (int i = 0; i < partitions->cnt; ++i) {
        rd_kafka_topic_partition_t &partition = partitions->elems[i];
        if (partition.offset >= 0)
            continue;
        // Where it ended when start() ran, the first time it is assigned (latestAsOfStart).
        if (const auto atStart = m_endsAtStart.constFind(PartitionKey(partition.topic, partition.partition));
            atStart != m_endsAtStart.cend()) {
            partition.offset = *atStart;
            m_endsAtStart.erase(atStart);
            continue;
        }
        int64_t low = 0;
        int64_t high = 0;
        const rd_kafka_resp_err_t queried = rd_kafka_query_watermark_offsets(
            rk, partition.topic, partition.partition, &low, &high, BlockingCallTimeoutMs);
        partition.offset = queried == RD_KAFKA_RESP_ERR_NO_ERROR ? high : RD_KAFKA_OFFSET_END;
    }
}

void KafkaConsumer::readEndsAtStart()
{
    QStringList errors;
    m_endsAtStart = readTopicsEnds(m_rk.get(), m_options.topics, EndsAtStartTimeoutMs, &errors);
    for (const QString &error : std::as_const(errors))
        qCWarning(lcKafka,
            "consumer %s: cannot read where a topic ends (%s): it starts at the end when the group "
            "assigns it, and misses what comes before",
            rd_kafka_name(m_rk.get()), qPrintable(error));
}

void KafkaConsumer::onRebalance(
    rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *partitions, void *opaque)
{
    auto *self = static_cast<KafkaConsumer *>(opaque);
    const bool cooperative = self->m_cooperative;
    if (self->m_closing) {
        // Leaving: take nothing new (assigning partitions now is what hangs in #4884),
        // give back what we hold.
        if (cooperative) {
            if (err != RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
                if (rd_kafka_error_t *error = rd_kafka_incremental_unassign(rk, partitions))
                    rd_kafka_error_destroy(error);
            }
        } else {
            rd_kafka_assign(rk, nullptr);
        }
        self->m_assigned = 0;
        emit self->assignmentChanged(0);
        return;
    }
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        self->contact();
        if (self->m_options.autoOffsetReset == "latest")
            self->resolveLatest(partitions);
        rd_kafka_error_t *error = nullptr;
        if (cooperative)
            error = rd_kafka_incremental_assign(rk, partitions);
        else if (const rd_kafka_resp_err_t assigned = rd_kafka_assign(rk, partitions);
                 assigned != RD_KAFKA_RESP_ERR_NO_ERROR)
            qCWarning(
                lcKafka, "consumer %s: assign failed: %s", rd_kafka_name(rk), rd_kafka_err2str(assigned));
        if (error) {
            qCWarning(
                lcKafka, "consumer %s: assign failed: %s", rd_kafka_name(rk), rd_kafka_error_string(error));
            rd_kafka_error_destroy(error);
        }
        self->m_assigned = cooperative ? self->m_assigned.load() + partitions->cnt : partitions->cnt;
        self->m_joined = true;
        // Paused: what the group hands over now stays paused too (a new assignment fetches).
        if (self->m_pauseApplied)
            rd_kafka_pause_partitions(rk, partitions);
    } else {
        // Revoked: hand the next owner exactly what we handled.
        const rd_kafka_resp_err_t committed = rd_kafka_commit(rk, nullptr, 0);
        if (committed != RD_KAFKA_RESP_ERR_NO_ERROR && committed != RD_KAFKA_RESP_ERR__NO_OFFSET)
            qCInfo(
                lcKafka, "consumer %s: commit on revoke: %s", rd_kafka_name(rk), rd_kafka_err2str(committed));
        if (cooperative) {
            if (rd_kafka_error_t *error = rd_kafka_incremental_unassign(rk, partitions))
                rd_kafka_error_destroy(error);
            self->m_assigned = std::max(0, self->m_assigned.load() - partitions->cnt);
        } else {
            rd_kafka_assign(rk, nullptr);
            self->m_assigned = 0;
        }
    }
    qCDebug(lcKafka, "consumer %s (group %s): %d partition(s) assigned", rd_kafka_name(rk),
        self->m_options.groupId.constData(), self->m_assigned.load());
    emit self->assignmentChanged(self->m_assigned.load());
}

void KafkaConsumer::onError(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
    auto *self = static_cast<KafkaConsumer *>(opaque);
    const QString text = QString::fromUtf8(reason);
    if (self->m_health.onError(err, text)) {
        qCWarning(lcKafka).noquote() << "consumer" << rd_kafka_name(rk) << "unhealthy:" << text;
        emit self->healthChanged(false, text);
    } else {
        qCDebug(lcKafka).noquote() << "consumer" << rd_kafka_name(rk)
                                   << "error:" << rd_kafka_err2name(static_cast<rd_kafka_resp_err_t>(err))
                                   << text;
    }
}

void KafkaConsumer::onCommit(
    rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *, void *)
{
    // __NO_OFFSET: nothing new since the last commit.
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET)
        qCWarning(lcKafka, "consumer %s: offset commit failed: %s", rd_kafka_name(rk), rd_kafka_err2str(err));
}

void KafkaConsumer::contact()
{
    if (m_health.onContact())
        emit healthChanged(true, QString());
}

} // namespace sb::cluster
