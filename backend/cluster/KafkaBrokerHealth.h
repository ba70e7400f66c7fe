#pragma once

#include <QElapsedTimer>
#include <QMutex>
#include <QString>

#include <atomic>

typedef struct rd_kafka_s rd_kafka_t;

namespace sb::cluster {

// Whether one librdkafka client can reach its brokers, for readiness (DESIGN §1: readiness
// reflects Kafka reachability).
//
// librdkafka reports "all brokers down" through error_cb but has no "brokers back"
// callback, so while unhealthy the owner's poll thread calls probeIfDue(), which sends a
// metadata request at most once a second; any success (a probe, a delivery, a fetched
// record) marks the client healthy again. A client starts unhealthy until its first
// contact, so readiness never claims a cluster it has not reached.
//
// onError/onContact/probeIfDue run on the owner's poll thread; isHealthy/reason anywhere.
// Each returns true when the state changed, so the owner emits its signal once.
class KafkaBrokerHealth
{
public:
    bool onError(int error, const QString &reason);
    bool onContact();
    bool probeIfDue(rd_kafka_t *rk);

    bool isHealthy() const { return m_healthy.load(); }
    QString reason() const;

private:
    bool set(bool healthy, const QString &reason);

    std::atomic<bool> m_healthy { false };
    std::atomic<bool> m_fatal { false };
    mutable QMutex m_mutex;
    QString m_reason = QStringLiteral("not connected yet");
    QElapsedTimer m_lastProbe;
};

} // namespace sb::cluster
