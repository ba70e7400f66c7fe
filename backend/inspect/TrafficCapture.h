#pragma once

#include "inspect/TapEndpoint.h"
#include "inspect/TrafficBatch.h"

#include <QHash>
#include <QObject>

namespace sb::inspect {

class TapClient;
class TrafficBatcher;

// The capture worker: one TapClient per replica it is told about, all feeding one
// TrafficBatcher whose batches go to the GUI (batchReady). Lives on its own thread; the
// replica list follows the Replicas area (setEndpoints: new replicas are tapped, departed
// ones stopped). Other sources (probes, the Redis monitor, the Kafka tail) feed batcher().
class TrafficCapture : public QObject
{
    Q_OBJECT
public:
    explicit TrafficCapture(TapCredentials credentials, QObject *parent = nullptr);
    ~TrafficCapture() override;

    TrafficBatcher *batcher() const { return m_batcher; }

    // Capture thread (queue calls from elsewhere).
    void setEndpoints(const QList<sb::inspect::TapEndpoint> &endpoints);
    void stop();

signals:
    void batchReady(const sb::inspect::TrafficBatch &batch);

private:
    TapCredentials m_credentials;
    TrafficBatcher *m_batcher;
    QHash<QString, TapClient *> m_clients;
};

} // namespace sb::inspect

Q_DECLARE_METATYPE(QList<sb::inspect::TapEndpoint>)
