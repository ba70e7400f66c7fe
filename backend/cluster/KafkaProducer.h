#pragma once

#include "cluster/KafkaBrokerHealth.h"
#include "cluster/KafkaHandles.h"
#include "cluster/KafkaProducerOptions.h"
#include "cluster/KafkaRecord.h"
#include "cluster/KafkaSettings.h"

#include <QObject>
#include <QReadWriteLock>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

class QThread;

namespace sb::cluster {

// An idempotent Kafka producer (enable.idempotence=true, acks=all, linger.ms=5) whose
// delivery reports are served on its own poll thread, never on the caller's (so the GUI
// thread and node workers never wait on Kafka).
//
// produce() is thread-safe and never blocks: it hands the record to librdkafka's bounded
// queue. While brokers are unreachable records wait there (up to messageTimeoutMs) and
// are delivered on recovery; when the queue is full the record is refused, counted in
// queueFull() and logged. Every accepted record ends in exactly one delivery report,
// counted in delivered() or failed() (with the reason logged).
//
// Signals are emitted from the poll thread; connect with a context object (they arrive
// queued on its thread). start()/close() from the owner's thread.
class KafkaProducer : public QObject
{
    Q_OBJECT

public:
    // Called exactly once per produce(): on the poll thread with the broker's verdict, or
    // synchronously inside produce() when librdkafka refused the record. `error` is empty
    // on success.
    using DeliveryCallback = std::function<void(const QString &error)>;

    explicit KafkaProducer(
        KafkaSettings settings, KafkaProducerOptions options = {}, QObject *parent = nullptr);
    ~KafkaProducer() override;

    // Creates the librdkafka handle and the poll thread. False with *error on a bad
    // configuration (e.g. an unknown --kafka-property).
    bool start(QString *error = nullptr);
    // Stops polling, then flushes for up to flushTimeoutMs; records still queued after
    // that are reported as lost (logged with their count). Idempotent.
    void close();
    bool isRunning() const { return m_rk != nullptr; }

    // Thread-safe, non-blocking. False when the record was refused (not started, queue
    // full, unknown topic, too large); `onDelivery` has then already been called.
    bool produce(const QByteArray &topic, const QByteArray &key, const QByteArray &value,
        const KafkaHeaders &headers = {}, DeliveryCallback onDelivery = {});
    // produce() for a caller that answers a refusal itself: says why a record was refused
    // (the queue full is the one a client should retry soon) and calls `onDelivery` only
    // for an accepted record, on the poll thread.
    enum class Admission { Accepted, QueueFull, Refused };
    Admission offer(const QByteArray &topic, const QByteArray &key, const QByteArray &value,
        const KafkaHeaders &headers, DeliveryCallback onDelivery);

    // Thread-safe counters (monotonic).
    quint64 produced() const { return m_produced.load(); } // accepted into the queue
    quint64 delivered() const { return m_delivered.load(); }
    quint64 failed() const { return m_failed.load(); } // delivery failed after acceptance
    quint64 queueFull() const { return m_queueFull.load(); } // refused: local queue full
    quint64 refused() const { return m_refused.load(); } // refused for any reason, queue full included
    // Records in librdkafka's queue or in flight right now.
    int outstanding() const;

    bool isHealthy() const { return m_health.isHealthy(); }
    QString healthReason() const { return m_health.reason(); }

Q_SIGNALS:
    void healthChanged(bool healthy, const QString &reason);
    // One per failed delivery (after acceptance). Rate of these is bounded by the queue.
    void deliveryFailed(const QByteArray &topic, const QString &reason);

private:
    static void onDeliveryReport(rd_kafka_t *rk, const rd_kafka_message_t *message, void *opaque);
    static void onError(rd_kafka_t *rk, int err, const char *reason, void *opaque);
    void pollLoop();
    // Hands the record to librdkafka; `onDelivery` is moved from only when it was accepted.
    rd_kafka_resp_err_t enqueue(const QByteArray &topic, const QByteArray &key, const QByteArray &value,
        const KafkaHeaders &headers, DeliveryCallback &onDelivery);
    void refuse(const QByteArray &topic, rd_kafka_resp_err_t err, const DeliveryCallback &onDelivery);

    const KafkaSettings m_settings;
    const KafkaProducerOptions m_options;
    KafkaHandle m_rk;
    QThread *m_thread = nullptr;
    std::atomic<bool> m_stopping { false };
    KafkaBrokerHealth m_health;
    std::atomic<quint64> m_produced { 0 };
    std::atomic<quint64> m_delivered { 0 };
    std::atomic<quint64> m_failed { 0 };
    std::atomic<quint64> m_queueFull { 0 };
    std::atomic<quint64> m_refused { 0 };
    std::atomic<int> m_queueMaxMessages { m_options.queueMaxMessages }; // as librdkafka has it
    std::atomic<qint64> m_lastQueueFullLogMs { 0 };
    std::atomic<qint64> m_lastFailureLogMs { 0 };
    // produce() may run on any thread while close() runs: it holds this for reading while
    // it touches the handle, close() for writing while it destroys it.
    mutable QReadWriteLock m_handleLock;
};

} // namespace sb::cluster
