#include "cluster/KafkaEventBus.h"

#include "cluster/BroadcastChannel.h"
#include "cluster/KafkaConsumer.h"
#include "cluster/KafkaDeliveryLatch.h"
#include "cluster/KafkaLog.h"
#include "cluster/KafkaProducer.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

namespace sb::cluster {

namespace {

const QByteArray MessageIdHeader = QByteArrayLiteral("message-id");
constexpr qsizetype MaxDltErrorBytes = 1024;

// The bus carries JSON objects ({"type":"message","message":{"id":…}} or
// {"type":"presence",…}); anything else cannot be handled by any replica, ever.
bool decode(const QByteArray &payload, QJsonObject *object, QString *why)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(payload, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *why = u"undecodable record: " + parseError.errorString() + u" at byte "
            + QString::number(parseError.offset);
        return false;
    }
    if (!document.isObject()) {
        *why = QStringLiteral("undecodable record: not a JSON object");
        return false;
    }
    *object = document.object();
    return true;
}

BusHop hopOf(const KafkaRecord &record)
{
    return BusHop{.medium = BusHop::Medium::Kafka,
                  .topic = record.topic,
                  .partition = record.partition,
                  .offset = record.offset,
                  .key = record.key};
}

QByteArray messageId(const QJsonObject &event)
{
    const QJsonValue id = event.value(u"message").toObject().value(u"id");
    if (id.isString())
        return id.toString().toUtf8();
    if (id.isDouble())
        return QByteArray::number(static_cast<qint64>(id.toDouble()));
    return {};
}

} // namespace

KafkaEventBus::KafkaEventBus(KafkaEventBusOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{ }

KafkaEventBus::~KafkaEventBus()
{
    stop();
}

QList<QByteArray> KafkaEventBus::topics(const QByteArray &prefix)
{
    const QByteArray created = prefix + ".MessageCreatedEvent";
    return { created, prefix + ".SseBroadcast", deadLetterTopic(created) };
}

bool KafkaEventBus::start(QString *error)
{
    if (m_producer) {
        if (error)
            *error = QStringLiteral("a Kafka event bus starts once; create a new one (with a new boot id)");
        return false;
    }
    if (m_options.nodeId.isEmpty() || m_options.bootId.isEmpty() || m_options.topicPrefix.isEmpty()) {
        if (error)
            *error = QStringLiteral("Kafka event bus needs a topic prefix, a node id and a boot id");
        return false;
    }
    const QByteArray clientId = "switchboard-" + m_options.nodeId;
    KafkaProducerOptions producerOptions = m_options.producer;
    producerOptions.clientId = clientId;
    m_producer = std::make_unique<KafkaProducer>(m_options.settings, producerOptions);

    KafkaConsumerOptions persist;
    persist.groupId = persistGroup();
    persist.topics = { messageCreatedTopic() };
    persist.clientId = clientId;
    persist.autoOffsetReset = "earliest"; // a new cluster handles what was published before any replica ran
    persist.sessionTimeoutMs = m_options.sessionTimeoutMs;
    persist.heartbeatIntervalMs = m_options.heartbeatIntervalMs;
    m_persistConsumer = std::make_unique<KafkaConsumer>(m_options.settings, persist);
    m_persistConsumer->setBatchHandler(
        [this](const QList<KafkaRecord> &batch) { return handleCreated(batch); });

    if (BroadcastChannel *channel = m_options.broadcastChannel) {
        channel->setHandler([this](const QByteArray &payload, const BusHop &hop) {
            if (m_deliver)
                m_deliver(payload, hop);
            ++m_delivered;
        });
    } else {
        KafkaConsumerOptions deliver = persist;
        deliver.groupId = broadcastGroup();
        deliver.topics = { broadcastTopic() };
        deliver.autoOffsetReset = "latest"; // a new boot never replays old broadcasts
        m_broadcastConsumer = std::make_unique<KafkaConsumer>(m_options.settings, deliver);
        m_broadcastConsumer->setBatchHandler(
            [this](const QList<KafkaRecord> &batch) { return handleBroadcast(batch); });
    }

    // Queued: the clients emit on their own threads.
    connect(m_producer.get(), &KafkaProducer::healthChanged, this, &KafkaEventBus::updateHealth,
        Qt::QueuedConnection);
    for (KafkaConsumer *consumer : { m_persistConsumer.get(), m_broadcastConsumer.get() }) {
        if (!consumer)
            continue;
        connect(consumer, &KafkaConsumer::healthChanged, this, &KafkaEventBus::updateHealth,
            Qt::QueuedConnection);
        connect(consumer, &KafkaConsumer::assignmentChanged, this, &KafkaEventBus::assignmentChanged,
            Qt::QueuedConnection);
    }
    const bool stage2Started = m_broadcastConsumer ? m_broadcastConsumer->start(error)
                                                   : m_options.broadcastChannel->start(error);
    if (!m_producer->start(error) || !m_persistConsumer->start(error) || !stage2Started) {
        stop();
        m_persistConsumer.reset();
        m_broadcastConsumer.reset();
        m_producer.reset();
        return false;
    }
    qCInfo(lcKafka, "event bus on %s: publish %s, persist group %s, broadcast group %s",
        m_options.settings.bootstrapServers().constData(), messageCreatedTopic().constData(),
        persistGroup().constData(), broadcastGroup().constData());
    return true;
}

void KafkaEventBus::stop()
{
    // Consumers first: their last batches may still produce broadcasts and DLT records,
    // which the producer's flush then delivers.
    if (m_persistConsumer)
        m_persistConsumer->close();
    if (m_broadcastConsumer)
        m_broadcastConsumer->close();
    if (m_options.broadcastChannel)
        m_options.broadcastChannel->stop();
    // The objects stay until the destructor: publish() may still race with stop() on
    // another thread, and a closed producer refuses (and counts) safely.
    if (m_producer)
        m_producer->close();
}

bool KafkaEventBus::publish(const QByteArray &key, const QByteArray &payload)
{
    KafkaHeaders headers;
    QJsonObject event;
    QString why;
    if (decode(payload, &event, &why)) {
        if (const QByteArray id = messageId(event); !id.isEmpty())
            headers.append({ MessageIdHeader, id });
    } else {
        // Published anyway: stage 1 dead-letters it, where it can be inspected.
        qCWarning(lcKafka).noquote() << "publishing a record stage 1 will dead-letter:" << why;
    }
    if (!m_producer) {
        ++m_publishRefused;
        qCWarning(
            lcKafka, "publish before the Kafka event bus started: record for %s dropped", key.constData());
        return false;
    }
    if (m_producer->produce(messageCreatedTopic(), key, payload, headers)) {
        ++m_published;
        return true;
    }
    ++m_publishRefused; // the producer logged why
    return false;
}

bool KafkaEventBus::handleCreated(const QList<KafkaRecord> &batch)
{
    KafkaDeliveryLatch latch;
    bool unsent = false; // a broadcast the channel could not take: redo the batch
    QList<std::pair<const KafkaRecord *, QString>> failing;
    for (const KafkaRecord &record : batch) {
        QJsonObject event;
        QString why;
        if (!decode(record.value, &event, &why)) {
            ++m_poison;
            qCWarning(lcKafka).noquote()
                << "poison record" << record.topic << record.partition << record.offset << why;
            deadLetter(record, why, latch);
            continue;
        }
        QString error;
        if (!persistOnce(record, &error))
            failing.append({ &record, error });
        else if (!broadcast(record, latch))
            unsent = true;
    }
    for (int attempt = 1; attempt <= m_options.persistRetries && !failing.isEmpty(); ++attempt) {
        if (!pauseUnlessStopping(m_options.retryBackoffMs))
            return false; // shutting down: uncommitted, the partition's next owner redoes it
        QList<std::pair<const KafkaRecord *, QString>> stillFailing;
        for (const auto &[record, previous] : failing) {
            ++m_persistRetries;
            QString error;
            if (!persistOnce(*record, &error))
                stillFailing.append({ record, error });
            else if (!broadcast(*record, latch))
                unsent = true;
        }
        failing = std::move(stillFailing);
    }
    for (const auto &[record, error] : failing) {
        qCWarning(lcKafka).noquote() << "persist failed" << (m_options.persistRetries + 1) << "times for"
                                     << record->topic << record->partition << record->offset
                                     << "- dead-lettering it, and delivering it live anyway:" << error;
        deadLetter(*record, error, latch);
        // The store is down (e.g. Redis), not the message: the clients online now still get
        // it; only its replay entry is missing, and the DLT record lets operators store it.
        if (!broadcast(*record, latch))
            unsent = true;
    }
    // Commit only once the batch's output is in Kafka; else redo the batch (persist is
    // idempotent), which may broadcast some records twice but never loses one.
    if (!latch.wait([this] { return m_persistConsumer->isStopping(); }))
        return false;
    if (unsent) {
        qCWarning(lcKafka) << "the broadcast channel refused a message (Redis down?); redoing the batch";
        pauseUnlessStopping(m_options.retryBackoffMs);
        return false;
    }
    if (latch.failures() > 0) {
        qCWarning(lcKafka).noquote() << latch.failures() << "broadcast/dead-letter record(s) not delivered ("
                                     << latch.firstError() << "); redoing the batch";
        return false;
    }
    return true;
}

bool KafkaEventBus::persistOnce(const KafkaRecord &record, QString *error)
{
    if (!m_persist) {
        ++m_persisted;
        return true;
    }
    bool ok = false;
    try {
        ok = m_persist(record.value, hopOf(record), error);
    } catch (const std::exception &e) {
        *error = u"persist handler threw: " + QString::fromUtf8(e.what());
    } catch (...) {
        *error = QStringLiteral("persist handler threw");
    }
    if (ok)
        ++m_persisted;
    else if (error->isEmpty())
        *error = QStringLiteral("persist handler failed");
    return ok;
}

bool KafkaEventBus::broadcast(const KafkaRecord &record, KafkaDeliveryLatch &latch)
{
    if (m_options.broadcastChannel)
        return m_options.broadcastChannel->send(record.value);
    m_producer->produce(broadcastTopic(), record.key, record.value, record.headers, latch.track());
    return true;
}

void KafkaEventBus::deadLetter(const KafkaRecord &record, const QString &error, KafkaDeliveryLatch &latch)
{
    KafkaHeaders headers = record.headers;
    headers.append({ "dlt-original-topic", record.topic });
    headers.append({ "dlt-original-partition", QByteArray::number(record.partition) });
    headers.append({ "dlt-original-offset", QByteArray::number(record.offset) });
    headers.append({ "dlt-error", error.toUtf8().left(MaxDltErrorBytes) });
    ++m_deadLettered;
    m_producer->produce(deadLetterTopic(record.topic), record.key, record.value, headers, latch.track());
}

bool KafkaEventBus::handleBroadcast(const QList<KafkaRecord> &batch)
{
    for (const KafkaRecord &record : batch) {
        if (m_deliver)
            m_deliver(record.value, hopOf(record));
        ++m_delivered;
    }
    return true;
}

bool KafkaEventBus::pauseUnlessStopping(int ms) const
{
    const QDeadlineTimer deadline(ms);
    while (!deadline.hasExpired()) {
        if (m_persistConsumer->isStopping())
            return false;
        QThread::msleep(
            static_cast<unsigned long>(std::min<qint64>(50, std::max<qint64>(1, deadline.remainingTime()))));
    }
    return !m_persistConsumer->isStopping();
}

bool KafkaEventBus::isHealthy() const
{
    return m_producer && m_producer->isHealthy() && m_persistConsumer->isHealthy()
        && (!m_broadcastConsumer || m_broadcastConsumer->isHealthy());
}

QString KafkaEventBus::healthReason() const
{
    if (!m_producer)
        return QStringLiteral("Kafka event bus not started");
    if (!m_producer->isHealthy())
        return u"producer: " + m_producer->healthReason();
    if (!m_persistConsumer->isHealthy())
        return u"stage-1 consumer: " + m_persistConsumer->healthReason();
    if (m_broadcastConsumer && !m_broadcastConsumer->isHealthy())
        return u"stage-2 consumer: " + m_broadcastConsumer->healthReason();
    return {};
}

int KafkaEventBus::persistPartitions() const
{
    return m_persistConsumer ? m_persistConsumer->assignedPartitions() : 0;
}

int KafkaEventBus::broadcastPartitions() const
{
    return m_broadcastConsumer ? m_broadcastConsumer->assignedPartitions() : 0;
}

bool KafkaEventBus::hasJoinedPersistGroup() const
{
    return m_persistConsumer && m_persistConsumer->hasJoinedGroup();
}

bool KafkaEventBus::isBroadcastReady() const
{
    return m_options.broadcastChannel ? m_options.broadcastChannel->isReady() : broadcastPartitions() > 0;
}

void KafkaEventBus::updateHealth()
{
    const bool healthy = isHealthy();
    if (healthy == m_lastHealthy)
        return;
    m_lastHealthy = healthy;
    const QString reason = healthReason();
    if (healthy)
        qCInfo(lcKafka, "event bus: Kafka reachable");
    else
        qCWarning(lcKafka).noquote() << "event bus: Kafka unreachable:" << reason;
    Q_EMIT healthChanged(healthy, reason);
}

} // namespace sb::cluster
