#pragma once

#include "inspect/TapEndpoint.h"
#include "inspect/TrafficBatch.h"

#include <QHash>
#include <QObject>

class QThread;

namespace sb::inspect {

class KafkaTopicTail;
class SseProbeClient;
class StompProbeClient;
struct SseProbeSettings;
struct StompProbeSettings;
class RedisPubSubMonitor;
class TapClient;
class TrafficBatcher;
struct KafkaTopicTailSettings;
struct RedisPubSubMonitorSettings;

// The capture worker: one TapClient per replica it is told about, all feeding one
// TrafficBatcher whose batches go to the GUI (batchReady). Lives on its own thread; the
// replica list follows the Replicas area (setEndpoints: new replicas are tapped, departed
// ones stopped). The Redis pub/sub monitor (source "redis") runs on this thread too; the
// Kafka tail (source "kafka") on a thread of its own, because its start-up lookups block.
class TrafficCapture : public QObject
{
    Q_OBJECT
public:
    explicit TrafficCapture(TapCredentials credentials, QObject *parent = nullptr);
    ~TrafficCapture() override;

    TrafficBatcher *batcher() const { return m_batcher; }

    // Capture thread (queue calls from elsewhere).
    void setEndpoints(const QList<sb::inspect::TapEndpoint> &endpoints);
    // One monitor and one tail at a time: starting another replaces the running one.
    void startRedisMonitor(const sb::inspect::RedisPubSubMonitorSettings &settings);
    void stopRedisMonitor();
    void startKafkaTail(const sb::inspect::KafkaTopicTailSettings &settings);
    void stopKafkaTail();
    // One probe client at a time (source "probe"); starting another replaces it.
    void startStompProbe(const sb::inspect::StompProbeSettings &settings);
    void startSseProbe(const sb::inspect::SseProbeSettings &settings);
    void sendWithProbe(const QString &destination, const QByteArray &body); // STOMP probes only
    void stopProbe();
    void stop();

signals:
    void batchReady(const sb::inspect::TrafficBatch &batch);

private:
    void addFrames(const QList<protocol::TrafficFrame> &frames);

    TapCredentials m_credentials;
    TrafficBatcher *m_batcher;
    QHash<QString, TapClient *> m_clients;
    RedisPubSubMonitor *m_redis = nullptr;
    KafkaTopicTail *m_kafka = nullptr; // lives on m_kafkaThread
    QThread *m_kafkaThread = nullptr;
    StompProbeClient *m_stompProbe = nullptr;
    SseProbeClient *m_sseProbe = nullptr;
    QString m_probeSource;
};

} // namespace sb::inspect

Q_DECLARE_METATYPE(QList<sb::inspect::TapEndpoint>)
