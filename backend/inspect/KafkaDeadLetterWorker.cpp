#include "inspect/KafkaDeadLetterWorker.h"

#include "inspect/KafkaDeadLetterReader.h"
#include "inspect/KafkaDeadLetterRedriver.h"

#include <QLoggingCategory>

namespace sb::inspect {

namespace {
Q_LOGGING_CATEGORY(lcDeadLetters, "sb.inspect.kafka.deadletters", QtInfoMsg)
}

KafkaDeadLetterWorker::KafkaDeadLetterWorker(
    cluster::KafkaSettings settings, bool readOnly, int requestTimeoutMs, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_readOnly(readOnly)
    , m_requestTimeoutMs(requestTimeoutMs)
{
    qRegisterMetaType<sb::inspect::KafkaDeadLetterListing>();
    qRegisterMetaType<sb::inspect::KafkaDeadLetterRedriveReport>();
    qRegisterMetaType<QList<sb::inspect::KafkaDeadLetterRecord>>();
}

void KafkaDeadLetterWorker::list(const QString &topic, int maxRecords)
{
    const KafkaDeadLetterReader reader(m_settings, m_requestTimeoutMs, 3 * m_requestTimeoutMs);
    const KafkaDeadLetterListing listing
        = reader.read(topic, maxRecords, [this] { return m_stopping.load(); });
    if (m_stopping)
        return;
    if (!listing.error.isEmpty())
        qCInfo(lcDeadLetters).noquote() << "listing" << topic << ":" << listing.error;
    emit listed(listing);
}

void KafkaDeadLetterWorker::redrive(const QString &dltTopic, const QList<KafkaDeadLetterRecord> &records)
{
    const KafkaDeadLetterRedriver redriver(m_settings, m_readOnly);
    const KafkaDeadLetterRedriveReport report
        = redriver.redrive(dltTopic, records, [this] { return m_stopping.load(); });
    // Logged whatever happens next: records went to a live topic.
    qCInfo(lcDeadLetters).noquote() << "redrive from" << dltTopic << ":" << report.summary();
    if (!m_stopping)
        emit redriven(report);
}

} // namespace sb::inspect
