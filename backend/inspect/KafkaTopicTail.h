#pragma once

#include "cluster/KafkaBrokerHealth.h"
#include "cluster/KafkaHandles.h"
#include "inspect/KafkaTopicTailSettings.h"
#include "protocol/TrafficFrame.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>
#include <QSet>
#include <QString>

#include <atomic>

class QSocketNotifier;
class QTimer;

namespace sb::inspect {

// A Traffic source: reads every partition of one or more topics and turns each record into a
// TrafficFrame (transport Kafka, direction In, command RECORD, destination the topic, source
// "kafka", headers partition/offset/key and every record header, messageId the `message-id`
// header, tsMs the record timestamp), handed over in batches of at most maxBatchFrames or
// maxBatchMs.
//
// It never joins a consumer group and never commits: partitions are assign()ed with offsets
// it looked up itself (enable.auto.commit=false, no subscribe), so tailing a topic cannot
// move any group's position or trigger a rebalance. librdkafka needs a group.id for assign();
// the tail uses a throwaway one (groupId()) that no broker ever hears a commit for.
//
// Starting is a few blocking lookups on the worker thread (metadata, then ListOffsets), each
// bounded by requestTimeoutMs; a failure (unknown topic, brokers unreachable) is reported as
// Error with the reason and retried with back-off. Once Live, records are taken from
// librdkafka's queue when it signals them (rd_kafka_queue_io_event_enable on a pipe, so an
// idle tail costs no wake-ups) and never blocks the thread. Memory stays bounded: one batch,
// bodies cut at bodyLimit, librdkafka's fetch queue capped (queued.max.messages.kbytes), and
// a paced hand-over; what the tail has not taken yet waits in Kafka.
//
// Partitions added to a topic after the tail started are not picked up until it restarts.
//
// Lives on a worker thread (create it, moveToThread()); start() and stop() may be called
// from any thread. Signals are emitted on the worker thread: connect them queued to the GUI.
// Destroy it on its thread (QThread::finished -> deleteLater).
class KafkaTopicTail : public QObject
{
    Q_OBJECT

public:
    enum class State { Stopped, Connecting, Live, Error };
    Q_ENUM(State)

    explicit KafkaTopicTail(KafkaTopicTailSettings settings, QObject *parent = nullptr);
    ~KafkaTopicTail() override;

    // Thread-safe. Looks the partitions and offsets up, then tails; no-op while started.
    void start();
    // Thread-safe. Hands over the batch in hand, drops the client and reports Stopped; takes
    // effect within one blocking lookup (requestTimeoutMs) even while starting.
    void stop();

    // Thread-safe: the group.id librdkafka was given (never joined, never committed).
    QByteArray groupId() const { return m_groupId; }
    // The monitor's thread only.
    State state() const { return m_state; }
    QString stateReason() const { return m_reason; }
    const KafkaTopicTailSettings &settings() const { return m_settings; }
    // Partitions being read (0 until Live).
    int assignedPartitions() const { return m_assigned; }

Q_SIGNALS:
    void framesReady(const QList<sb::protocol::TrafficFrame> &frames);
    // Stopped, Connecting (what it is looking up), Live (what it reads, from where), Error
    // (why, and when it tries again).
    void stateChanged(sb::inspect::KafkaTopicTail::State state, const QString &reason);

private:
    using PartitionKey = QPair<QString, int>;
    using PartitionOffsets = QHash<PartitionKey, qint64>;

    static void onError(rd_kafka_t *rk, int err, const char *reason, void *opaque);

    void startHere();
    void stopHere();
    void teardown();
    void prepare();
    bool findPartitions(QList<PartitionKey> *partitions, QString *error);
    bool resolveOffsets(const QList<PartitionKey> &partitions, PartitionOffsets *start, QString *error);
    bool listOffsets(
        const QList<PartitionKey> &partitions, qint64 timestamp, PartitionOffsets *out, QString *error);
    void retryLater(const QString &reason);
    void onWake();
    void drain();
    void take(rd_kafka_message_t *message);
    void flush();
    void watch();
    QString startDescription() const;
    void setState(State state, const QString &reason);

    const KafkaTopicTailSettings m_settings;
    const QByteArray m_groupId;
    cluster::KafkaHandle m_rk;
    cluster::KafkaQueue m_queue; // the consumer queue; the main queue (errors) forwards into it
    int m_wakeFds[2] = { -1, -1 }; // librdkafka writes to [1] when the queue gets something
    QSocketNotifier *m_wakeNotifier = nullptr;
    QTimer *m_retryTimer;
    QTimer *m_flushTimer;
    QTimer *m_drainTimer; // the next drain, when the last one stopped at a bound
    QTimer *m_watchTimer; // a slow safety drain, and the broker probe while in Error
    std::atomic<bool> m_stopping { false };
    int m_failures = 0; // consecutive failed starts, for the back-off
    int m_assigned = 0;
    int m_busy = 0; // > 0 while a librdkafka call of ours is on the stack (see stopHere)
    cluster::KafkaBrokerHealth m_health;
    // Time, on a broker that cannot look offsets up by time: partitions read from their
    // start until their first record at or after startTimeMs.
    QSet<PartitionKey> m_scanning;
    QString m_liveReason;
    QList<protocol::TrafficFrame> m_batch;
    // Strings every frame repeats, shared rather than copied per frame.
    const QString m_source;
    const QString m_command;
    QHash<QByteArray, QString> m_topicNames;
    State m_state = State::Stopped;
    QString m_reason;
};

} // namespace sb::inspect
