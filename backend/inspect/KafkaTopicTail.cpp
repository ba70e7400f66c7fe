#include "inspect/KafkaTopicTail.h"

#include "cluster/KafkaLog.h"
#include "inspect/KafkaRecordFrame.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QThread>
#include <QTimer>
#include <QUuid>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <utility>

namespace sb::inspect {

namespace {

Q_LOGGING_CATEGORY(lcKafkaTopicTail, "sb.inspect.traffic.kafka", QtInfoMsg)

// How often a Live tail looks at its queue even without a wake-up (a safety net: a wake-up
// byte lost to a full pipe cannot stall it), and probes the brokers while they are down.
constexpr int kTailWatchMs = 1000;
// What librdkafka may hold fetched but not yet taken, across all partitions: the bound on
// a tail that takes records slower than they come (the rest waits in Kafka).
constexpr int kTailFetchQueueKBytes = 8192;
constexpr char kTailWakeByte = 'k';

QByteArray tailGroupId(const QByteArray &configured)
{
    if (!configured.isEmpty())
        return configured;
    return "switchboard-tail-" + QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
}

QString tailDelayText(qint64 delayMs)
{
    if (delayMs < 1000)
        return QString::number(delayMs) + u" ms";
    return QString::number(double(delayMs) / 1000.0, 'f', 1) + u" s";
}

QString tailPartitionName(const QString &topic, int partition)
{
    return topic + u" [" + QString::number(partition) + u']';
}

// Marks the stretches in which a librdkafka handle is in use on the stack: a stop() asked
// for from a slot there (stateChanged, framesReady) is carried out after it, not inside it.
class KafkaTailBusyScope
{
public:
    explicit KafkaTailBusyScope(int &depth)
        : m_depth(depth)
    {
        ++m_depth;
    }
    ~KafkaTailBusyScope() { --m_depth; }
    KafkaTailBusyScope(const KafkaTailBusyScope &) = delete;
    KafkaTailBusyScope &operator=(const KafkaTailBusyScope &) = delete;

private:
    int &m_depth;
};

} // namespace

KafkaTopicTail::KafkaTopicTail(KafkaTopicTailSettings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_groupId(tailGroupId(m_settings.groupId))
    , m_retryTimer(new QTimer(this))
    , m_flushTimer(new QTimer(this))
    , m_drainTimer(new QTimer(this))
    , m_watchTimer(new QTimer(this))
    , m_source(QStringLiteral("kafka"))
    , m_command(QStringLiteral("RECORD"))
{
    qRegisterMetaType<QList<sb::protocol::TrafficFrame>>();
    qRegisterMetaType<sb::inspect::KafkaTopicTail::State>();
    for (QTimer *timer : { m_retryTimer, m_flushTimer, m_drainTimer })
        timer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &KafkaTopicTail::prepare);
    connect(m_flushTimer, &QTimer::timeout, this, &KafkaTopicTail::flush);
    connect(m_drainTimer, &QTimer::timeout, this, &KafkaTopicTail::drain);
    connect(m_watchTimer, &QTimer::timeout, this, &KafkaTopicTail::watch);
}

KafkaTopicTail::~KafkaTopicTail()
{
    teardown();
}

void KafkaTopicTail::start()
{
    if (QThread::currentThread() != thread()) {
        QMetaObject::invokeMethod(this, &KafkaTopicTail::startHere, Qt::QueuedConnection);
        return;
    }
    startHere();
}

void KafkaTopicTail::stop()
{
    // Seen at once by a start-up lookup in progress, which then gives up after its call.
    m_stopping = true;
    if (QThread::currentThread() != thread()) {
        QMetaObject::invokeMethod(this, &KafkaTopicTail::stopHere, Qt::QueuedConnection);
        return;
    }
    stopHere();
}

void KafkaTopicTail::startHere()
{
    if (m_rk)
        return;
    m_stopping = false;
    if (m_settings.topics.isEmpty()) {
        setState(State::Error, QStringLiteral("no topic to tail"));
        return;
    }
    const bool fromLatest = m_settings.startFrom == KafkaTopicTailSettings::StartFrom::Latest;
    const cluster::KafkaProperties defaults {
        { "client.id", "switchboard-tail" },
        { "enable.partition.eof", "false" },
        { "fetch.wait.max.ms", "100" },
        { "queued.max.messages.kbytes", QByteArray::number(kTailFetchQueueKBytes) },
        { "reconnect.backoff.max.ms", "2000" },
    };
    const cluster::KafkaProperties required {
        { "group.id", m_groupId },
        // Read-only: nothing is ever committed for the throwaway group, nor stored to be.
        { "enable.auto.commit", "false" },
        { "enable.auto.offset.store", "false" },
        // Only when a start offset vanished under the tail (retention): where to go on.
        { "auto.offset.reset", fromLatest ? "latest" : "earliest" },
    };
    QString error;
    cluster::KafkaConf conf = m_settings.kafka.createConf(defaults, required, &error);
    if (!conf) {
        setState(State::Error, error); // a configuration does not fix itself: no retry
        return;
    }
    cluster::installKafkaLogger(conf.get());
    rd_kafka_conf_set_opaque(conf.get(), this);
    rd_kafka_conf_set_error_cb(conf.get(), &KafkaTopicTail::onError);
    char reason[512] = {};
    m_rk.reset(rd_kafka_new(RD_KAFKA_CONSUMER, conf.get(), reason, sizeof reason));
    if (!m_rk) {
        setState(State::Error, u"cannot create a Kafka consumer: " + QString::fromUtf8(reason));
        return;
    }
    conf.release(); // rd_kafka_new took it
    // Errors come through the consumer queue too, so one queue and one wake-up serve all.
    rd_kafka_poll_set_consumer(m_rk.get());
    m_queue.reset(rd_kafka_queue_get_consumer(m_rk.get()));
    if (!m_queue || ::pipe2(m_wakeFds, O_NONBLOCK | O_CLOEXEC) != 0) {
        teardown();
        setState(State::Error, QStringLiteral("cannot set up the Kafka consumer queue's wake-up"));
        return;
    }
    rd_kafka_queue_io_event_enable(m_queue.get(), m_wakeFds[1], &kTailWakeByte, 1);
    m_wakeNotifier = new QSocketNotifier(m_wakeFds[0], QSocketNotifier::Read, this);
    connect(m_wakeNotifier, &QSocketNotifier::activated, this, &KafkaTopicTail::onWake);

    m_failures = 0;
    m_assigned = 0;
    setState(State::Connecting,
        u"looking up " + m_settings.topics.join(QStringLiteral(", ")) + u" on "
            + QString::fromUtf8(m_settings.kafka.bootstrapServers()));
    // On the next turn of the event loop: a stop() queued right behind start() comes first.
    m_retryTimer->start(0);
}

void KafkaTopicTail::stopHere()
{
    if (m_busy > 0) {
        QMetaObject::invokeMethod(this, &KafkaTopicTail::stopHere, Qt::QueuedConnection);
        return;
    }
    if (!m_rk && m_state == State::Stopped)
        return;
    flush();
    teardown();
    setState(State::Stopped, QStringLiteral("stopped"));
}

void KafkaTopicTail::teardown()
{
    m_stopping = true;
    m_retryTimer->stop();
    m_flushTimer->stop();
    m_drainTimer->stop();
    m_watchTimer->stop();
    delete m_wakeNotifier;
    m_wakeNotifier = nullptr;
    if (m_queue) {
        rd_kafka_queue_io_event_enable(m_queue.get(), -1, nullptr, 0);
        m_queue.reset();
    }
    m_assigned = 0; // from here on onError ignores what destroy may still report
    if (m_rk) {
        // No consumer close: there is no membership to leave and nothing to commit, and a
        // close waits on the group coordinator, which may be the broker that is down.
        rd_kafka_destroy_flags(m_rk.release(), RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
    }
    for (int &fd : m_wakeFds) {
        if (fd >= 0)
            ::close(fd);
        fd = -1;
    }
    m_batch.clear();
    m_scanning.clear();
}

void KafkaTopicTail::prepare()
{
    if (!m_rk || m_stopping)
        return;
    const KafkaTailBusyScope busy(m_busy);
    QList<PartitionKey> partitions;
    PartitionOffsets start;
    QString error;
    const bool found = findPartitions(&partitions, &error);
    if (m_stopping)
        return;
    if (!found || !resolveOffsets(partitions, &start, &error)) {
        if (!m_stopping)
            retryLater(error);
        return;
    }
    if (m_stopping)
        return;
    // Errors librdkafka queued while the brokers were unreachable are stale now that the
    // lookups reached them; onError ignores them until partitions are assigned.
    while (rd_kafka_message_t *stale = rd_kafka_consumer_poll(m_rk.get(), 0))
        rd_kafka_message_destroy(stale);

    cluster::KafkaPartitionList list(rd_kafka_topic_partition_list_new(int(partitions.size())));
    for (const PartitionKey &key : std::as_const(partitions)) {
        const QByteArray topic = key.first.toUtf8();
        rd_kafka_topic_partition_list_add(list.get(), topic.constData(), key.second)->offset
            = start.value(key);
    }
    // assign(), not subscribe(): no group join, no rebalance, no offsets fetched or committed.
    const rd_kafka_resp_err_t assigned = rd_kafka_assign(m_rk.get(), list.get());
    if (assigned != RD_KAFKA_RESP_ERR_NO_ERROR) {
        retryLater(u"cannot assign the partitions: " + QString::fromUtf8(rd_kafka_err2str(assigned)));
        return;
    }
    m_assigned = int(partitions.size());
    m_failures = 0;
    m_health.onContact();
    m_liveReason = u"reading " + QString::number(m_assigned) + u" partition(s) of "
        + m_settings.topics.join(QStringLiteral(", ")) + u" from " + startDescription();
    if (!m_scanning.isEmpty())
        m_liveReason += QStringLiteral(" (the broker cannot look offsets up by time: reading from each "
                                       "partition's start and skipping older records)");
    qCInfo(lcKafkaTopicTail).noquote() << m_liveReason << "as group" << m_groupId << "(never joined)";
    setState(State::Live, m_liveReason);
    m_watchTimer->start(kTailWatchMs);
    drain();
}

bool KafkaTopicTail::findPartitions(QList<PartitionKey> *partitions, QString *error)
{
    const QString where = QString::fromUtf8(m_settings.kafka.bootstrapServers());
    const rd_kafka_metadata_t *raw = nullptr;
    // All topics, not just ours: asking for a topic by name lets a broker with
    // auto.create.topics.enable create it, and a read-only console creates nothing.
    const rd_kafka_resp_err_t err
        = rd_kafka_metadata(m_rk.get(), 1, nullptr, &raw, m_settings.requestTimeoutMs);
    const cluster::KafkaMetadata metadata(raw);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR || !metadata) {
        *error = u"cannot reach Kafka at " + where + u": " + QString::fromUtf8(rd_kafka_err2str(err));
        return false;
    }
    for (const QString &topic : m_settings.topics) {
        const QByteArray name = topic.toUtf8();
        const rd_kafka_metadata_topic_t *found = nullptr;
        for (int i = 0; i < metadata->topic_cnt; ++i) {
            if (name == metadata->topics[i].topic)
                found = &metadata->topics[i];
        }
        if (!found || found->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART || found->partition_cnt == 0) {
            *error = u"topic '" + topic + u"' does not exist on " + where;
            return false;
        }
        if (found->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
            *error = u"topic '" + topic + u"': " + QString::fromUtf8(rd_kafka_err2str(found->err));
            return false;
        }
        for (int p = 0; p < found->partition_cnt; ++p)
            partitions->append({ topic, int(found->partitions[p].id) });
    }
    return true;
}

bool KafkaTopicTail::resolveOffsets(
    const QList<PartitionKey> &partitions, PartitionOffsets *start, QString *error)
{
    using StartFrom = KafkaTopicTailSettings::StartFrom;
    m_scanning.clear();
    // Log-end offsets resolved now, not lazily at the first fetch: a record produced after
    // the tail says Live is never missed.
    PartitionOffsets ends;
    if (!listOffsets(partitions, RD_KAFKA_OFFSET_END, &ends, error))
        return false;
    if (m_settings.startFrom == StartFrom::Latest) {
        *start = ends;
        return true;
    }
    PartitionOffsets begins;
    if (m_stopping || !listOffsets(partitions, RD_KAFKA_OFFSET_BEGINNING, &begins, error))
        return false;
    if (m_settings.startFrom == StartFrom::Earliest) {
        *start = begins;
        return true;
    }
    if (m_settings.startFrom == StartFrom::Offset) {
        for (const PartitionKey &key : partitions)
            start->insert(key, std::clamp(m_settings.startOffset, begins.value(key), ends.value(key)));
        return true;
    }
    PartitionOffsets atTime;
    if (m_stopping || !listOffsets(partitions, m_settings.startTimeMs, &atTime, error))
        return false;
    QList<PartitionKey> unanswered; // no record at or after the time, by the broker's word
    for (const PartitionKey &key : partitions) {
        const qint64 offset = atTime.value(key, -1);
        start->insert(key, offset >= 0 ? offset : ends.value(key));
        if (offset < 0 && begins.value(key) < ends.value(key))
            unanswered.append(key);
    }
    if (unanswered.isEmpty())
        return true;
    // A broker that looks offsets up by time finds a non-empty partition's first record
    // for time 0; one that cannot (librdkafka's mock cluster: the demo) answers -1 for
    // every time. There, read from the start and skip records older than the time.
    PartitionOffsets probe;
    if (m_stopping || !listOffsets(unanswered, 0, &probe, error))
        return false;
    for (const PartitionKey &key : std::as_const(unanswered)) {
        if (probe.value(key, -1) >= 0)
            continue;
        start->insert(key, begins.value(key));
        m_scanning.insert(key);
    }
    return true;
}

bool KafkaTopicTail::listOffsets(
    const QList<PartitionKey> &partitions, qint64 timestamp, PartitionOffsets *out, QString *error)
{
    cluster::KafkaPartitionList list(
        rd_kafka_topic_partition_list_new(int(std::max<qsizetype>(1, partitions.size()))));
    for (const PartitionKey &key : partitions) {
        const QByteArray topic = key.first.toUtf8();
        rd_kafka_topic_partition_list_add(list.get(), topic.constData(), key.second)->offset = timestamp;
    }
    const rd_kafka_resp_err_t err
        = rd_kafka_offsets_for_times(m_rk.get(), list.get(), m_settings.requestTimeoutMs);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        *error = u"cannot look up offsets on " + QString::fromUtf8(m_settings.kafka.bootstrapServers())
            + u": " + QString::fromUtf8(rd_kafka_err2str(err));
        return false;
    }
    for (int i = 0; i < list->cnt; ++i) {
        const rd_kafka_topic_partition_t &p = list->elems[i];
        const QString topic = QString::fromUtf8(p.topic);
        if (p.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
            *error = u"cannot look up offsets of " + tailPartitionName(topic, int(p.partition)) + u": "
                + QString::fromUtf8(rd_kafka_err2str(p.err));
            return false;
        }
        out->insert({ topic, int(p.partition) }, p.offset);
    }
    return true;
}

void KafkaTopicTail::retryLater(const QString &reason)
{
    using std::chrono::milliseconds;
    const milliseconds minDelay = std::max(m_settings.retryMin, milliseconds(1));
    const milliseconds delay
        = std::min<milliseconds>(minDelay * (qint64(1) << std::min(m_failures, 20)), m_settings.retryMax);
    ++m_failures;
    setState(State::Error, reason + u"; retrying in " + tailDelayText(delay.count()));
    m_retryTimer->start(delay);
}

void KafkaTopicTail::onWake()
{
    char bytes[64];
    while (::read(m_wakeFds[0], bytes, sizeof bytes) > 0) { }
    drain();
}

void KafkaTopicTail::drain()
{
    if (!m_rk || m_assigned == 0)
        return;
    const KafkaTailBusyScope busy(m_busy);
    m_drainTimer->stop();
    QElapsedTimer budget;
    budget.start();
    bool more = false;
    while (!m_stopping) {
        if (m_batch.size() >= m_settings.maxBatchFrames || budget.elapsed() >= m_settings.maxBatchMs) {
            more = true;
            break;
        }
        // Never waits: the wake-up pipe says when there is something.
        rd_kafka_message_t *message = rd_kafka_consumer_poll(m_rk.get(), 0);
        if (!message)
            break;
        take(message);
    }
    if (m_stopping)
        return;
    if (m_batch.size() >= m_settings.maxBatchFrames) {
        flush();
        // Paced: what the console has not taken yet stays in Kafka, not in memory.
        m_drainTimer->start(m_settings.maxBatchMs);
    } else if (more) {
        m_drainTimer->start(0);
    }
}

void KafkaTopicTail::take(rd_kafka_message_t *raw)
{
    const cluster::KafkaMessage message(raw);
    const QString topic = [&] {
        const QByteArray name(message->rkt ? rd_kafka_topic_name(message->rkt) : "");
        auto it = m_topicNames.constFind(name);
        if (it == m_topicNames.cend())
            it = m_topicNames.insert(name, QString::fromUtf8(name)); // our few topics: bounded
        return it.value();
    }();
    if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF)
            return;
        const QString where
            = topic.isEmpty() ? QString() : tailPartitionName(topic, message->partition) + u": ";
        const QString text = where + QString::fromUtf8(rd_kafka_message_errstr(message.get()));
        qCWarning(lcKafkaTopicTail).noquote() << text;
        setState(State::Error, text);
        return;
    }
    if ((!m_health.isHealthy() && m_health.onContact()) || m_state != State::Live)
        setState(State::Live, m_liveReason);

    rd_kafka_timestamp_type_t timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
    const qint64 timestamp = rd_kafka_message_timestamp(message.get(), &timestampType);
    if (!m_scanning.isEmpty()) {
        const PartitionKey key { topic, int(message->partition) };
        if (m_scanning.contains(key)) {
            if (timestamp < m_settings.startTimeMs)
                return; // before the start time; the broker could not skip it for us
            m_scanning.remove(key);
        }
    }

    KafkaRecordBytes record;
    record.topic = topic;
    record.partition = int(message->partition);
    record.offset = message->offset;
    record.timestampMs = timestamp >= 0 ? timestamp : QDateTime::currentMSecsSinceEpoch();
    record.hasKey = message->key != nullptr;
    if (record.hasKey)
        record.key = QByteArrayView(static_cast<const char *>(message->key), qsizetype(message->key_len));
    rd_kafka_headers_t *recordHeaders = nullptr;
    if (rd_kafka_message_headers(message.get(), &recordHeaders) == RD_KAFKA_RESP_ERR_NO_ERROR
        && recordHeaders) {
        const char *name = nullptr;
        const void *value = nullptr;
        size_t size = 0;
        for (size_t i = 0;
             rd_kafka_header_get_all(recordHeaders, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR;
             ++i)
            record.headers.append({ QByteArrayView(name),
                value ? QByteArrayView(static_cast<const char *>(value), qsizetype(size))
                      : QByteArrayView() });
    }
    if (message->payload)
        record.value = QByteArrayView(static_cast<const char *>(message->payload), qsizetype(message->len));
    protocol::TrafficFrame frame = KafkaRecordFrame::build(record, m_settings.bodyLimit);
    frame.source = m_source;
    frame.command = m_command;
    m_batch.append(std::move(frame));
    if (m_batch.size() == 1)
        m_flushTimer->start(m_settings.maxBatchMs);
}

void KafkaTopicTail::flush()
{
    m_flushTimer->stop();
    if (m_batch.isEmpty())
        return;
    QList<protocol::TrafficFrame> batch = std::exchange(m_batch, {});
    emit framesReady(batch);
}

void KafkaTopicTail::watch()
{
    if (!m_rk || m_assigned == 0)
        return;
    {
        const KafkaTailBusyScope busy(m_busy);
        // While unhealthy: a metadata round trip at most once a second (bounded by a second),
        // since librdkafka says when all brokers are down but never when one is back.
        if (m_health.probeIfDue(m_rk.get()))
            setState(State::Live, m_liveReason);
    }
    drain();
}

void KafkaTopicTail::onError(rd_kafka_t *, int err, const char *reason, void *opaque)
{
    auto *self = static_cast<KafkaTopicTail *>(opaque);
    const QString text = QString::fromUtf8(reason);
    // Before partitions are assigned the start-up lookups report for themselves.
    if (self->m_assigned == 0 || !self->m_health.onError(err, text)) {
        qCDebug(lcKafkaTopicTail).noquote()
            << "librdkafka:" << rd_kafka_err2name(static_cast<rd_kafka_resp_err_t>(err)) << text;
        return;
    }
    self->setState(State::Error,
        u"Kafka unreachable (" + QString::fromUtf8(self->m_settings.kafka.bootstrapServers()) + u"): " + text
            + u"; reconnecting");
}

QString KafkaTopicTail::startDescription() const
{
    using StartFrom = KafkaTopicTailSettings::StartFrom;
    switch (m_settings.startFrom) {
    case StartFrom::Latest:
        return QStringLiteral("the latest record");
    case StartFrom::Earliest:
        return QStringLiteral("the earliest record");
    case StartFrom::Offset:
        return u"offset " + QString::number(m_settings.startOffset);
    case StartFrom::Time:
        return QDateTime::fromMSecsSinceEpoch(m_settings.startTimeMs).toUTC().toString(Qt::ISODateWithMs);
    }
    return {};
}

void KafkaTopicTail::setState(State state, const QString &reason)
{
    if (state == m_state && reason == m_reason)
        return;
    m_state = state;
    m_reason = reason;
    if (state == State::Error)
        qCInfo(lcKafkaTopicTail).noquote() << reason;
    emit stateChanged(state, reason);
}

} // namespace sb::inspect
