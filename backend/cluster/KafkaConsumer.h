#pragma once

#include "cluster/KafkaBrokerHealth.h"
#include "cluster/KafkaConsumerOptions.h"
#include "cluster/KafkaHandles.h"
#include "cluster/KafkaRecord.h"
#include "cluster/KafkaSettings.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <utility>

class QThread;

namespace sb::cluster {

// A Kafka group consumer with its own thread, handing records over in batches (at most
// maxBatchRecords, closed at most maxBatchMs after its first record) and committing
// after each batch is handled: at-least-once. A record is committed only once the
// handler returned for its batch, so a crash mid-batch redelivers the batch to the next
// owner of the partition; handlers must be idempotent.
//
// Offsets are stored explicitly (enable.auto.commit=false, enable.auto.offset.store=false)
// and committed asynchronously after each batch, synchronously when partitions are revoked
// and at close(), so a rebalance hands the next owner exactly what was handled.
//
// With autoOffsetReset "latest", partitions with no committed offset are positioned at
// their high watermark *during* the assignment (not lazily at first fetch as librdkafka
// would), so once assignmentChanged() reported them, every record produced afterwards is
// received — a precise readiness point for a per-boot broadcast group.
//
// close() leaves the group (rd_kafka_consumer_close), so a stopped member's partitions
// move on at once instead of after session.timeout.ms, and an emptied group expires. With
// retireGroupOnClose it also marks the group retired and deletes it (KafkaConsumerOptions).
//
// The handler and the signals run on the consumer thread. start()/close() from the
// owner's thread.
class KafkaConsumer : public QObject
{
    Q_OBJECT

public:
    // Returns true when the batch is handled (its offsets get committed). false means
    // "not handled": the consumer seeks back to the batch's first record of each
    // partition and delivers it again after a short pause (or, when closing, leaves it
    // uncommitted for the partition's next owner).
    using BatchHandler = std::function<bool(const QList<KafkaRecord> &batch)>;

    KafkaConsumer(KafkaSettings settings, KafkaConsumerOptions options, QObject *parent = nullptr);
    ~KafkaConsumer() override;

    // Before start().
    void setBatchHandler(BatchHandler handler) { m_handler = std::move(handler); }

    // Creates the client, subscribes and starts the thread. False with *error on a bad
    // configuration.
    bool start(QString *error = nullptr);
    // Stops after the batch in hand, commits, leaves the group and joins the thread.
    // Idempotent.
    void close();

    // Thread-safe. Handlers that wait (retries) poll this to give up early at shutdown.
    bool isStopping() const { return m_stopping.load(); }
    bool isHealthy() const { return m_health.isHealthy(); }
    QString healthReason() const { return m_health.reason(); }
    int assignedPartitions() const { return m_assigned.load(); }
    // True once the group gave this member an assignment (possibly empty): from then on
    // every partition has an owner among the members that joined so far.
    bool hasJoinedGroup() const { return m_joined.load(); }
    quint64 recordsConsumed() const { return m_consumed.load(); }
    quint64 batchesHandled() const { return m_batches.load(); }
    // After close() with retireGroupOnClose: whether the broker deleted the group, and if
    // not, why (e.g. the mock cluster does not do DeleteGroups).
    bool groupDeleted() const { return m_groupDeleted.load(); }
    QString retireOutcome() const { return m_retireOutcome; }
    const KafkaConsumerOptions &options() const { return m_options; }
    // Thread-safe. Paused, the consumer stays in its group (it polls, so it keeps its
    // partitions and heart-beats) but fetches nothing: its lag grows until resumed. Partitions
    // assigned while paused are paused as they come. Takes effect at the next poll (≤ 100 ms).
    void setPaused(bool paused) { m_pauseWanted = paused; }
    bool isPaused() const { return m_pauseWanted.load(); }
    // Whether the consumer thread has applied the last setPaused() to its assignment.
    bool isPauseInEffect() const { return m_pauseApplied.load() == m_pauseWanted.load(); }
    // Whether its assignment is paused now (the last setPaused() once applied).
    bool isPauseApplied() const { return m_pauseApplied.load(); }

Q_SIGNALS:
    // After every rebalance, with the partitions now owned (0 when revoked).
    void assignmentChanged(int partitions);
    void healthChanged(bool healthy, const QString &reason);

private:
    static void onRebalance(
        rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *partitions, void *opaque);
    static void onError(rd_kafka_t *rk, int err, const char *reason, void *opaque);
    static void onCommit(
        rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *offsets, void *opaque);

    void run();
    QList<KafkaRecord> pollBatch();
    bool take(rd_kafka_message_t *message, QList<KafkaRecord> &batch);
    void storeAndCommit(const QList<KafkaRecord> &batch);
    void seekBack(const QList<KafkaRecord> &batch);
    void resolveLatest(rd_kafka_topic_partition_list_t *partitions);
    void readEndsAtStart(); // latestAsOfStart
    void contact();
    bool leaveGroup();
    void markRetired();
    void deleteGroup();
    void applyPause(); // consumer thread: pause or resume the assignment as asked

    const KafkaSettings m_settings;
    const KafkaConsumerOptions m_options;
    BatchHandler m_handler;
    KafkaHandle m_rk;
    QThread *m_thread = nullptr;
    std::atomic<bool> m_stopping { false };
    bool m_closing = false; // consumer thread only: inside leaveGroup()
    bool m_closedCleanly = false;
    bool m_cooperative = false; // from partition.assignment.strategy, read once at start
    std::atomic<int> m_assigned { 0 };
    std::atomic<bool> m_joined { false };
    std::atomic<quint64> m_consumed { 0 };
    std::atomic<quint64> m_batches { 0 };
    std::atomic<bool> m_groupDeleted { false };
    std::atomic<bool> m_pauseWanted { false };
    std::atomic<bool> m_pauseApplied { false }; // written by the consumer thread only
    QString m_retireOutcome; // written by the consumer thread before close() joins it
    KafkaBrokerHealth m_health;
    // latestAsOfStart: (topic, partition) -> its end when start() ran. Written by start()
    // before the thread starts; then the consumer thread's, each taken at its first assignment.
    QHash<std::pair<QByteArray, int>, qint64> m_endsAtStart;
};

} // namespace sb::cluster
