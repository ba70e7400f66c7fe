#include "cluster/KafkaBrokerHealth.h"

#include "cluster/KafkaHandles.h"
#include "cluster/KafkaLog.h"

namespace sb::cluster {

namespace {
constexpr qint64 ProbeIntervalMs = 1000;
constexpr int ProbeTimeoutMs = 1000;
} // namespace

bool KafkaBrokerHealth::onError(int error, const QString &reason)
{
    if (error == RD_KAFKA_RESP_ERR__FATAL) {
        // A fatal error (e.g. the idempotent producer lost its sequence) is not cured by
        // a reachable broker: the client must be recreated, so it stays unhealthy.
        m_fatal = true;
        return set(false, u"fatal: " + reason);
    }
    if (error == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN || error == RD_KAFKA_RESP_ERR__AUTHENTICATION
        || error == RD_KAFKA_RESP_ERR__SSL)
        return set(false, reason);
    return false; // transient (one broker, one request): librdkafka retries on its own
}

bool KafkaBrokerHealth::onContact()
{
    return set(true, QString());
}

bool KafkaBrokerHealth::probeIfDue(rd_kafka_t *rk)
{
    if (m_healthy.load() || m_fatal.load())
        return false;
    if (m_lastProbe.isValid() && m_lastProbe.elapsed() < ProbeIntervalMs)
        return false;
    m_lastProbe.start();
    const rd_kafka_metadata_t *raw = nullptr;
    // all_topics=0, only_rkt=NULL: just the broker list, the cheapest round trip.
    const rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, nullptr, &raw, ProbeTimeoutMs);
    const KafkaMetadata metadata(raw);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR || !metadata || metadata->broker_cnt <= 0) {
        qCDebug(lcKafka, "%s: broker probe failed: %s", rd_kafka_name(rk), rd_kafka_err2str(err));
        return false;
    }
    return onContact();
}

QString KafkaBrokerHealth::reason() const
{
    const QMutexLocker lock(&m_mutex);
    return m_reason;
}

bool KafkaBrokerHealth::set(bool healthy, const QString &reason)
{
    if (healthy && m_fatal.load())
        return false;
    {
        const QMutexLocker lock(&m_mutex);
        m_reason = reason;
    }
    return m_healthy.exchange(healthy) != healthy;
}

} // namespace sb::cluster
