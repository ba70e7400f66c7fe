#include "inspect/KafkaDeadLetterRedriver.h"

#include "cluster/KafkaProducer.h"

#include <QDeadlineTimer>
#include <QMutex>
#include <QWaitCondition>

#include <memory>

namespace sb::inspect {

namespace {

constexpr int kMaxRedriveProblems = 5;

void noteRedriveProblem(KafkaDeadLetterRedriveReport *report, const QString &problem)
{
    if (report->problems.size() < kMaxRedriveProblems)
        report->problems.append(problem);
}

// The delivery reports of one redrive, shared with the producer's callbacks (they run on its
// poll thread and may outlive a redrive that gave up).
struct RedriveDeliveries
{
    QMutex mutex;
    QWaitCondition done;
    int pending = 0;
    QMap<QString, int> sentTo;
    int failed = 0;
    QStringList errors;
};

} // namespace

KafkaDeadLetterRedriver::KafkaDeadLetterRedriver(
    cluster::KafkaSettings settings, bool readOnly, int deliveryTimeoutMs)
    : m_settings(std::move(settings))
    , m_readOnly(readOnly)
    , m_deliveryTimeoutMs(deliveryTimeoutMs)
{ }

KafkaDeadLetterRedriveReport KafkaDeadLetterRedriver::redrive(const QString &dltTopic,
    const QList<KafkaDeadLetterRecord> &records, const std::function<bool()> &giveUp) const
{
    KafkaDeadLetterRedriveReport report;
    report.dltTopic = dltTopic;
    report.requested = int(records.size());
    if (m_readOnly) {
        report.refused = QStringLiteral("the profile is read-only");
        return report;
    }
    if (records.isEmpty())
        return report;
    cluster::KafkaProducerOptions options;
    options.clientId = QByteArrayLiteral("switchboard-redrive");
    options.messageTimeoutMs = m_deliveryTimeoutMs; // every record reports within this
    options.flushTimeoutMs = 1000;
    cluster::KafkaProducer producer(m_settings, options);
    QString error;
    if (!producer.start(&error)) {
        report.refused = QStringLiteral("cannot create a Kafka producer: %1").arg(error);
        return report;
    }
    const auto deliveries = std::make_shared<RedriveDeliveries>();
    const QByteArray dlt = dltTopic.toUtf8();
    for (const KafkaDeadLetterRecord &record : records) {
        const QString problem = record.redriveProblem();
        if (!problem.isEmpty()) {
            ++report.skipped;
            noteRedriveProblem(&report,
                QStringLiteral("%1 [%2] @%3: %4")
                    .arg(dltTopic)
                    .arg(record.partition)
                    .arg(record.offset)
                    .arg(problem));
            continue;
        }
        const QString target = record.origin.topic;
        {
            const QMutexLocker lock(&deliveries->mutex);
            ++deliveries->pending;
        }
        // A null key stays null: an empty one would hash every such record to one partition.
        producer.produce(target.toUtf8(), record.hasKey ? record.key : QByteArray(), record.value,
            protocol::KafkaDeadLetterHeaders::redriveHeaders(
                record.headers, dlt, record.partition, record.offset),
            [deliveries, target](const QString &why) {
                const QMutexLocker lock(&deliveries->mutex);
                --deliveries->pending;
                if (why.isEmpty()) {
                    ++deliveries->sentTo[target];
                } else {
                    ++deliveries->failed;
                    if (deliveries->errors.size() < kMaxRedriveProblems)
                        deliveries->errors.append(target + QStringLiteral(": ") + why);
                }
                deliveries->done.wakeAll();
            });
    }
    // Off the GUI thread: the worker waits for the brokers' word, a slice at a time.
    const QDeadlineTimer deadline(m_deliveryTimeoutMs + 2000);
    {
        QMutexLocker lock(&deliveries->mutex);
        while (deliveries->pending > 0 && !deadline.hasExpired() && !(giveUp && giveUp()))
            deliveries->done.wait(&deliveries->mutex, 100);
        report.sentTo = deliveries->sentTo;
        report.failed = deliveries->failed + deliveries->pending; // unanswered counts as failed
        for (const QString &e : std::as_const(deliveries->errors))
            noteRedriveProblem(&report, e);
        if (deliveries->pending > 0)
            noteRedriveProblem(
                &report, QStringLiteral("%1 record(s) without a delivery report").arg(deliveries->pending));
    }
    producer.close();
    return report;
}

} // namespace sb::inspect
