#include "cluster/KafkaProducer.h"

#include "cluster/KafkaLog.h"

#include <QDeadlineTimer>
#include <QThread>

#include <chrono>

namespace sb::cluster {

namespace {

qint64 steadyMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

// Outages produce failures in bursts (a whole queue times out at once): log the first
// and then at most one line a second, each carrying the running total.
bool logDue(std::atomic<qint64> &lastMs)
{
    const qint64 now = steadyMs();
    qint64 last = lastMs.load();
    return (last == 0 || now - last >= 1000) && lastMs.compare_exchange_strong(last, now);
}

} // namespace

KafkaProducer::KafkaProducer(KafkaSettings settings, KafkaProducerOptions options, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_options(std::move(options))
{ }

KafkaProducer::~KafkaProducer()
{
    close();
}

bool KafkaProducer::start(QString *error)
{
    if (m_rk)
        return true;
    const KafkaProperties defaults {
        { "client.id", m_options.clientId },
        { "linger.ms", QByteArray::number(m_options.lingerMs) },
        { "queue.buffering.max.messages", QByteArray::number(m_options.queueMaxMessages) },
        { "message.timeout.ms", QByteArray::number(m_options.messageTimeoutMs) },
    };
    // Not overridable: the bus's exactly-once persistence and "no loss on a broker
    // failover" rest on these (idempotence implies retries and max.in.flight <= 5).
    const KafkaProperties required {
        { "enable.idempotence", "true" },
        { "acks", "all" },
    };
    KafkaConf conf = m_settings.createConf(defaults, required, error);
    if (!conf)
        return false;
    installKafkaLogger(conf.get());
    rd_kafka_conf_set_opaque(conf.get(), this);
    rd_kafka_conf_set_dr_msg_cb(conf.get(), &KafkaProducer::onDeliveryReport);
    rd_kafka_conf_set_error_cb(conf.get(), &KafkaProducer::onError);
    char reason[512];
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf.get(), reason, sizeof reason);
    if (!rk) {
        if (error)
            *error = u"cannot create Kafka producer: " + QString::fromUtf8(reason);
        return false;
    }
    conf.release(); // owned by rk now
    // The queue's real bound (an operator's --kafka-property may have changed it), for the
    // refusal's message.
    char bound[32];
    size_t boundSize = sizeof bound;
    if (rd_kafka_conf_get(rd_kafka_conf(rk), "queue.buffering.max.messages", bound, &boundSize)
        == RD_KAFKA_CONF_OK)
        m_queueMaxMessages = QByteArray(bound).toInt();
    m_rk.reset(rk);
    m_stopping = false;
    m_thread = QThread::create([this] { pollLoop(); });
    m_thread->setObjectName(QStringLiteral("kafka-producer"));
    m_thread->start();
    qCInfo(lcKafka, "producer %s started (bootstrap %s)", rd_kafka_name(rk),
        m_settings.bootstrapServers().constData());
    return true;
}

void KafkaProducer::pollLoop()
{
    while (!m_stopping.load()) {
        // Serves delivery reports and error_cb on this thread.
        rd_kafka_poll(m_rk.get(), 100);
        if (m_health.probeIfDue(m_rk.get()))
            emit healthChanged(true, QString());
    }
}

void KafkaProducer::close()
{
    if (!m_rk)
        return;
    m_stopping = true;
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
    }
    // Flushing here (the poll thread is gone) serves the last delivery reports on the
    // closing thread; shutdown may wait up to flushTimeoutMs for the brokers.
    const rd_kafka_resp_err_t flushed = rd_kafka_flush(m_rk.get(), m_options.flushTimeoutMs);
    if (flushed != RD_KAFKA_RESP_ERR_NO_ERROR) {
        const int left = rd_kafka_outq_len(m_rk.get());
        qCWarning(lcKafka, "producer %s: %d record(s) not delivered within %d ms at shutdown; dropping them",
            rd_kafka_name(m_rk.get()), left, m_options.flushTimeoutMs);
        // Purged records still get a (failed) delivery report, which releases their
        // callbacks; serve those before the handle goes.
        rd_kafka_purge(m_rk.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
        const QDeadlineTimer deadline(1000);
        while (rd_kafka_outq_len(m_rk.get()) > 0 && !deadline.hasExpired())
            rd_kafka_poll(m_rk.get(), 50);
    }
    qCInfo(lcKafka, "producer %s closed: %llu delivered, %llu failed, %llu refused (%llu queue full)",
        rd_kafka_name(m_rk.get()), static_cast<unsigned long long>(delivered()),
        static_cast<unsigned long long>(failed()), static_cast<unsigned long long>(refused()),
        static_cast<unsigned long long>(queueFull()));
    const QWriteLocker lock(&m_handleLock);
    m_rk.reset();
}

bool KafkaProducer::produce(const QByteArray &topic, const QByteArray &key, const QByteArray &value,
    const KafkaHeaders &headers, DeliveryCallback onDelivery)
{
    const rd_kafka_resp_err_t err = enqueue(topic, key, value, headers, onDelivery);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
        return true;
    refuse(topic, err, onDelivery);
    return false;
}

KafkaProducer::Admission KafkaProducer::offer(const QByteArray &topic, const QByteArray &key,
    const QByteArray &value, const KafkaHeaders &headers, DeliveryCallback onDelivery)
{
    const rd_kafka_resp_err_t err = enqueue(topic, key, value, headers, onDelivery);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
        return Admission::Accepted;
    refuse(topic, err, {});
    return err == RD_KAFKA_RESP_ERR__QUEUE_FULL ? Admission::QueueFull : Admission::Refused;
}

rd_kafka_resp_err_t KafkaProducer::enqueue(const QByteArray &topic, const QByteArray &key,
    const QByteArray &value, const KafkaHeaders &headers, DeliveryCallback &onDelivery)
{
    const QReadLocker lock(&m_handleLock);
    rd_kafka_t *rk = m_rk.get();
    if (!rk || m_stopping.load())
        return RD_KAFKA_RESP_ERR__STATE;
    KafkaHeadersHandle kafkaHeaders(rd_kafka_headers_new(static_cast<size_t>(headers.size())));
    for (const auto &[name, headerValue] : headers) {
        rd_kafka_header_add(
            kafkaHeaders.get(), name.constData(), name.size(), headerValue.constData(), headerValue.size());
    }
    std::unique_ptr<DeliveryCallback> callback(
        onDelivery ? new DeliveryCallback(std::move(onDelivery)) : nullptr);
    // An empty key is sent as a null key (partitioned round-robin), not a zero-length one.
    const rd_kafka_resp_err_t err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic.constData()),
        RD_KAFKA_V_KEY(key.isEmpty() ? nullptr : key.constData(), static_cast<size_t>(key.size())),
        RD_KAFKA_V_VALUE(const_cast<char *>(value.constData()), static_cast<size_t>(value.size())),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(kafkaHeaders.get()),
        RD_KAFKA_V_OPAQUE(callback.get()), RD_KAFKA_V_END);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        if (callback)
            onDelivery = std::move(*callback); // the caller still owns it
        return err;
    }
    callback.release(); // the delivery report owns it now
    kafkaHeaders.release(); // the message owns them now
    ++m_produced;
    return RD_KAFKA_RESP_ERR_NO_ERROR;
}

void KafkaProducer::refuse(
    const QByteArray &topic, rd_kafka_resp_err_t err, const DeliveryCallback &onDelivery)
{
    ++m_refused;
    QString reason;
    if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        const quint64 total = ++m_queueFull;
        reason = u"local Kafka queue full (" + QString::number(m_queueMaxMessages.load())
            + u" records waiting for the brokers)";
        if (logDue(m_lastQueueFullLogMs))
            qCWarning(lcKafka).noquote()
                << "producer: record for" << QString::fromUtf8(topic) << "refused:" << reason
                << "- total refused for a full queue:" << total;
    } else {
        reason = err == RD_KAFKA_RESP_ERR__STATE ? QStringLiteral("producer not running")
                                                 : QString::fromUtf8(rd_kafka_err2str(err));
        qCWarning(lcKafka).noquote() << "producer: record for" << QString::fromUtf8(topic)
                                     << "refused:" << reason;
    }
    if (onDelivery)
        onDelivery(reason);
}

void KafkaProducer::onDeliveryReport(rd_kafka_t *, const rd_kafka_message_t *message, void *opaque)
{
    auto *self = static_cast<KafkaProducer *>(opaque);
    std::unique_ptr<DeliveryCallback> callback(static_cast<DeliveryCallback *>(message->_private));
    QString error;
    if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        ++self->m_delivered;
        if (self->m_health.onContact())
            emit self->healthChanged(true, QString());
    } else {
        const quint64 total = ++self->m_failed;
        error = QString::fromUtf8(rd_kafka_err2str(message->err));
        const QByteArray topic = message->rkt ? QByteArray(rd_kafka_topic_name(message->rkt)) : QByteArray();
        if (logDue(self->m_lastFailureLogMs))
            qCWarning(lcKafka).noquote() << "producer: delivery to" << QString::fromUtf8(topic)
                                         << "failed:" << error << "- total failed deliveries:" << total;
        emit self->deliveryFailed(topic, error);
    }
    if (callback && *callback)
        (*callback)(error);
}

void KafkaProducer::onError(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
    auto *self = static_cast<KafkaProducer *>(opaque);
    QString text = QString::fromUtf8(reason);
    if (err == RD_KAFKA_RESP_ERR__FATAL) {
        char fatal[512];
        const rd_kafka_resp_err_t original = rd_kafka_fatal_error(rk, fatal, sizeof fatal);
        text = QString::fromUtf8(rd_kafka_err2name(original)) + u": " + QString::fromUtf8(fatal);
        qCCritical(lcKafka).noquote()
            << "producer" << rd_kafka_name(rk) << "fatal error, it must be restarted:" << text;
    }
    if (self->m_health.onError(err, text)) {
        qCWarning(lcKafka).noquote() << "producer" << rd_kafka_name(rk) << "unhealthy:" << text;
        emit self->healthChanged(false, text);
    } else {
        // Per-broker transport errors: librdkafka reconnects by itself, and its log
        // line (sb.kafka.rdkafka) already says it.
        qCDebug(lcKafka).noquote() << "producer" << rd_kafka_name(rk)
                                   << "error:" << rd_kafka_err2name(static_cast<rd_kafka_resp_err_t>(err))
                                   << text;
    }
}

int KafkaProducer::outstanding() const
{
    const QReadLocker lock(&m_handleLock);
    return m_rk ? rd_kafka_outq_len(m_rk.get()) : 0;
}

} // namespace sb::cluster
