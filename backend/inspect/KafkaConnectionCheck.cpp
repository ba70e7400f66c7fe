#include "inspect/KafkaConnectionCheck.h"

#include "inspect/KafkaAdminClient.h"

#include <QThread>

#include <memory>

namespace sb::inspect {

namespace {
struct KafkaCheckResult
{
    bool ok = false;
    QString detail;
};
} // namespace

KafkaConnectionCheck::KafkaConnectionCheck(
    cluster::KafkaSettings settings, int requestTimeoutMs, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_requestTimeoutMs(requestTimeoutMs)
{ }

void KafkaConnectionCheck::start()
{
    auto result = std::make_shared<KafkaCheckResult>();
    QThread *worker = QThread::create([settings = m_settings, timeoutMs = m_requestTimeoutMs, result] {
        KafkaAdminClient client(timeoutMs);
        KafkaAdminClient::Metadata metadata;
        QString error;
        if (!client.open(settings, &error) || !client.metadata(&metadata, &error)) {
            result->detail = error;
            return;
        }
        result->ok = true;
        result->detail
            = QStringLiteral("%1 broker(s), %2 topic(s)").arg(metadata.brokers).arg(metadata.topics.size());
    });
    worker->setObjectName(QStringLiteral("kafka-check"));
    // The thread outlives this object if it must (a closed dialog does not wait for it):
    // it deletes itself when done, and the answer reaches this object only if it still is.
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    connect(worker, &QThread::finished, this, [this, result] { emit finished(result->ok, result->detail); });
    worker->start();
}

} // namespace sb::inspect
