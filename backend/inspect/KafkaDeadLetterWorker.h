#pragma once

#include "cluster/KafkaSettings.h"
#include "inspect/KafkaDeadLetterRecord.h"
#include "inspect/KafkaDeadLetterRedriveReport.h"

#include <QObject>

#include <atomic>

namespace sb::inspect {

// The dead-letter side of the Kafka area, on the area's worker thread (moveToThread): lists
// the last records of a `*.DLT` topic (KafkaDeadLetterReader) and sends chosen ones back to
// their original topic (KafkaDeadLetterRedriver). Each call blocks this thread, never the
// GUI's, for at most a few request timeouts (a listing) or the delivery timeout (a redrive).
// Call list() and redrive() through a queued invocation; answers come as signals, to be
// connected queued with a GUI-side context object. stop() is thread-safe and makes a call
// in progress give up.
class KafkaDeadLetterWorker : public QObject
{
    Q_OBJECT
public:
    // `readOnly`: the profile's flag; every redrive is then refused here.
    KafkaDeadLetterWorker(cluster::KafkaSettings settings, bool readOnly, int requestTimeoutMs = 3000,
        QObject *parent = nullptr);

    void list(const QString &topic, int maxRecords);
    void redrive(const QString &dltTopic, const QList<sb::inspect::KafkaDeadLetterRecord> &records);
    void stop() { m_stopping = true; }
    bool isReadOnly() const { return m_readOnly; }

signals:
    void listed(const sb::inspect::KafkaDeadLetterListing &listing);
    void redriven(const sb::inspect::KafkaDeadLetterRedriveReport &report);

private:
    const cluster::KafkaSettings m_settings;
    const bool m_readOnly;
    const int m_requestTimeoutMs;
    std::atomic<bool> m_stopping { false };
};

} // namespace sb::inspect
