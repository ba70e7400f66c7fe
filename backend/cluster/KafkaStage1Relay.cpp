#include "cluster/KafkaStage1Relay.h"

#include "cluster/BroadcastChannel.h"
#include "cluster/KafkaBusPayload.h"
#include "cluster/KafkaDeliveryLatch.h"
#include "cluster/KafkaLog.h"
#include "cluster/KafkaProducer.h"
#include "protocol/KafkaDeadLetterHeaders.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QHash>
#include <QMutex>
#include <QSet>
#include <QThread>
#include <QWaitCondition>

namespace sb::cluster {

namespace {
constexpr int kPauseSliceMs = 50;
} // namespace

struct KafkaStage1Relay::Item
{
    enum class Step : quint8 {
        Persist, // not stored yet
        Send, // stored (or given up on): to send once every earlier record of its partition is
        Sending, // handed to stage 2 in this pass
        Sent, // stage 2 took it
        Skipped, // poison: dead-lettered, never sent
    };
    const KafkaRecord *record;
    Step step;
    int failures = 0;
    QString error;
};

// Shared with the send callbacks, which may outlive handle() when it gives up at shutdown.
struct KafkaStage1Relay::Sends
{
    QMutex mutex;
    QWaitCondition done;
    int pending = 0;
    QHash<qsizetype, QString> results; // item index -> error, empty when taken
};

KafkaStage1Relay::KafkaStage1Relay(const KafkaEventBusOptions &options, QByteArray broadcastTopic,
    KafkaProducer *producer, EventBus::PersistHandler persist, std::function<bool()> stopping)
    : m_options(options)
    , m_broadcastTopic(std::move(broadcastTopic))
    , m_producer(producer)
    , m_channel(options.broadcastChannel)
    , m_sendToTopic(!options.broadcastChannel || options.bridgeBuses)
    , m_persist(std::move(persist))
    , m_stopping(std::move(stopping))
{ }

bool KafkaStage1Relay::handle(const QList<KafkaRecord> &batch)
{
    KafkaDeliveryLatch deadLetters;
    QList<Item> items;
    items.reserve(batch.size());
    for (const KafkaRecord &record : batch) {
        QJsonObject event;
        QString why;
        if (kafkabus::decode(record.value, &event, &why)) {
            items.append({ &record, Item::Step::Persist, 0, {} });
            continue;
        }
        ++m_poison;
        qCWarning(lcKafka).noquote() << "poison record" << record.topic << record.partition << record.offset
                                     << why;
        deadLetter(record, why, deadLetters);
        items.append({ &record, Item::Step::Skipped, 0, {} });
    }

    int sendBackoffMs = m_options.retryBackoffMs;
    QElapsedTimer outage; // running while stage 2 keeps records of this batch waiting
    QSet<int> gaveUp; // partitions with a record given up on in this batch
    for (;;) {
        persistPending(items, deadLetters, gaveUp);
        auto sends = std::make_shared<Sends>();
        sendInOrder(items, sends);
        if (!collectSends(items, sends))
            return false; // stopping: uncommitted, the partition's next owner does it again
        qsizetype waiting = 0;
        bool persisting = false;
        for (const Item &item : std::as_const(items)) {
            waiting += item.step == Item::Step::Sent || item.step == Item::Step::Skipped ? 0 : 1;
            persisting = persisting || item.step == Item::Step::Persist;
        }
        if (waiting == 0)
            break;
        const bool writable = stage2Writable();
        if (!writable && !outage.isValid()) {
            outage.start();
            qCWarning(lcKafka,
                "stage 2 unreachable: holding %lld record(s) of this batch, uncommitted, until it returns "
                "(an outage dead-letters nothing)",
                static_cast<long long>(waiting));
        }
        if (!writable) {
            if (!pause(m_options.broadcastRetryMaxMs, true))
                return false;
        } else if (persisting) {
            if (!pause(m_options.retryBackoffMs, false))
                return false;
        } else {
            // Reachable but refusing (e.g. Redis answering with an error): back off.
            if (!pause(sendBackoffMs, false))
                return false;
            sendBackoffMs = std::min(sendBackoffMs * 2, m_options.broadcastRetryMaxMs);
        }
    }
    if (outage.isValid())
        qCInfo(lcKafka, "stage 2 reachable again: the held batch went through after %lld ms",
            static_cast<long long>(outage.elapsed()));
    // Commit only once the dead-letter copies are in Kafka too.
    if (!deadLetters.wait(m_stopping))
        return false;
    if (deadLetters.failures() > 0) {
        // None of them landed (the idempotent producer gave up on it): doing the batch again
        // dead-letters it again, which is the first copy that arrives.
        qCWarning(lcKafka).noquote() << deadLetters.failures() << "dead-letter record(s) not delivered ("
                                     << deadLetters.firstError() << "); redoing the batch";
        return false;
    }
    return true;
}

// Persists, per partition in offset order, what is not stored yet: a record is not tried
// before the earlier ones of its partition are stored (or given up on), so the replay
// stores get a channel's messages in stage-1 order too.
void KafkaStage1Relay::persistPending(QList<Item> &items, KafkaDeliveryLatch &deadLetters, QSet<int> &gaveUp)
{
    QSet<int> blocked; // partitions with an earlier record not stored yet
    for (Item &item : items) {
        const int partition = item.record->partition;
        if (item.step != Item::Step::Persist || blocked.contains(partition) || m_stopping())
            continue;
        if (item.failures > 0)
            ++m_persistRetries;
        QString error;
        if (persistOnce(*item.record, &error)) {
            item.step = Item::Step::Send;
            continue;
        }
        item.error = error;
        // While stage 2 is down too, a failure is the outage's (one Redis for both), not the
        // record's: it neither counts nor dead-letters anything; the record waits.
        if (!stage2Writable()) {
            item.failures = std::max(item.failures, 1);
            blocked.insert(partition);
            continue;
        }
        ++item.failures;
        // After one record of the batch was given up on, the store is evidently down: the
        // next ones of its partition are given up on at their first failure, so a store
        // outage costs a batch persistRetries pauses, not that many per record.
        if (item.failures <= m_options.persistRetries && !gaveUp.contains(partition)) {
            blocked.insert(partition);
            continue;
        }
        const KafkaRecord &record = *item.record;
        qCWarning(lcKafka).noquote() << "persist failed" << item.failures << "time(s) for" << record.topic
                                     << record.partition << record.offset
                                     << "- dead-lettering it, and delivering it live anyway:" << item.error;
        // The store is down, not the message: the clients online now still get it; only its
        // replay entry is missing, and the DLT record lets operators store it.
        deadLetter(record, item.error, deadLetters);
        item.step = Item::Step::Send;
        gaveUp.insert(partition);
    }
}

void KafkaStage1Relay::sendInOrder(QList<Item> &items, const std::shared_ptr<Sends> &sends)
{
    QHash<int, bool> blocked; // partition -> an earlier record is not stored yet
    QList<qsizetype> toSend;
    for (qsizetype i = 0; i < items.size(); ++i) {
        Item &item = items[i];
        const int partition = item.record->partition;
        if (blocked.value(partition))
            continue;
        if (item.step == Item::Step::Persist) {
            blocked.insert(partition, true);
        } else if (item.step == Item::Step::Send) {
            item.step = Item::Step::Sending;
            toSend.append(i);
        }
    }
    if (toSend.isEmpty())
        return;
    {
        const QMutexLocker lock(&sends->mutex);
        sends->pending += (m_channel ? 1 : 0) + (m_sendToTopic ? int(toSend.size()) : 0);
    }
    // Bridged, a record has two verdicts (the channel's, the topic's): it was taken only if
    // both took it, so an error is never overwritten by the other bus's success.
    auto report = [sends](const QList<qsizetype> &indexes, const QString &error) {
        const QMutexLocker lock(&sends->mutex);
        for (qsizetype index : indexes) {
            const auto it = sends->results.find(index);
            if (it == sends->results.end())
                sends->results.insert(index, error);
            else if (it->isEmpty())
                *it = error;
        }
        --sends->pending;
        sends->done.wakeAll();
    };
    if (m_channel) {
        QList<BroadcastMessage> messages;
        messages.reserve(toSend.size());
        for (qsizetype i : std::as_const(toSend)) {
            const KafkaRecord &record = *items.at(i).record;
            messages.append(
                { record.value, BroadcastOrigin { .partition = record.partition, .offset = record.offset } });
        }
        m_channel->send(messages, [report, toSend](const QString &error) { report(toSend, error); });
    }
    if (!m_sendToTopic)
        return;
    for (qsizetype i : std::as_const(toSend)) {
        const KafkaRecord &record = *items.at(i).record;
        // The record's stage-1 origin rides along, so a replica hearing both buses during a
        // switch drops the second copy (BusBridgeFilter).
        KafkaHeaders headers = record.headers;
        headers.append({ BroadcastOrigin::kKafkaHeader.toByteArray(),
            BroadcastOrigin { .partition = record.partition, .offset = record.offset }.headerValue() });
        m_producer->produce(m_broadcastTopic, record.key, record.value, headers,
            [report, i](const QString &error) { report({ i }, error); });
    }
}

bool KafkaStage1Relay::collectSends(QList<Item> &items, const std::shared_ptr<Sends> &sends)
{
    {
        QMutexLocker lock(&sends->mutex);
        while (sends->pending > 0) {
            if (m_stopping())
                return false;
            sends->done.wait(&sends->mutex, 100);
        }
    }
    // From the first record of a partition stage 2 did not take, send again all that
    // followed it too, so stage 2 never sees that partition out of order (a receiver drops
    // the repeats of those that did arrive).
    QHash<int, QString> failed;
    for (qsizetype i = 0; i < items.size(); ++i) {
        Item &item = items[i];
        if (item.step != Item::Step::Sending)
            continue;
        const int partition = item.record->partition;
        const QString error = sends->results.value(i);
        if (!error.isEmpty() && !failed.contains(partition)) {
            failed.insert(partition, error);
            qCDebug(lcKafka).noquote() << "stage 2 did not take" << item.record->topic << partition
                                       << item.record->offset << ":" << error;
        }
        if (failed.contains(partition)) {
            item.step = Item::Step::Send;
            ++m_sendRetries;
        } else {
            item.step = Item::Step::Sent;
        }
    }
    return !m_stopping();
}

bool KafkaStage1Relay::persistOnce(const KafkaRecord &record, QString *error)
{
    if (!m_persist) {
        ++m_persisted;
        return true;
    }
    bool ok = false;
    try {
        ok = m_persist(record.value, kafkabus::hopOf(record), error);
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

void KafkaStage1Relay::deadLetter(const KafkaRecord &record, const QString &error, KafkaDeliveryLatch &latch)
{
    KafkaHeaders headers = record.headers;
    // The names the console's reader decodes (and a redrive strips): one definition for both.
    using Names = protocol::KafkaDeadLetterHeaders;
    headers.append({ Names::OriginalTopic, record.topic });
    headers.append({ Names::OriginalPartition, QByteArray::number(record.partition) });
    headers.append({ Names::OriginalOffset, QByteArray::number(record.offset) });
    headers.append({ Names::Error, Names::errorValue(error) });
    ++m_deadLettered;
    m_producer->produce(record.topic + ".DLT", record.key, record.value, headers, latch.track());
}

bool KafkaStage1Relay::stage2Writable() const
{
    return !m_channel || m_channel->isWritable();
}

// Sleeps up to `ms` in slices, so a stop is noticed at once; with untilWritable, also
// returns as soon as stage 2 is reachable again. False when stopping.
bool KafkaStage1Relay::pause(int ms, bool untilWritable) const
{
    const QDeadlineTimer deadline(ms);
    while (!deadline.hasExpired()) {
        if (m_stopping())
            return false;
        if (untilWritable && stage2Writable())
            return true;
        QThread::msleep(static_cast<unsigned long>(
            std::min<qint64>(kPauseSliceMs, std::max<qint64>(1, deadline.remainingTime()))));
    }
    return !m_stopping();
}

} // namespace sb::cluster
