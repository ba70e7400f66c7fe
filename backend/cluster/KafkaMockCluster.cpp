#include "cluster/KafkaMockCluster.h"

#include "cluster/KafkaLog.h"
#include "cluster/KafkaMockCommandNudge.h"

#include <librdkafka/rdkafka_mock.h>

#include <algorithm>

namespace sb::cluster {

namespace {
// "127.0.0.1:port,127.0.0.1:port,…" → the first port (0 if there is none).
quint16 firstPortOf(const QByteArray &bootstraps)
{
    const QByteArray first = bootstraps.left(bootstraps.indexOf(','));
    return first.mid(first.lastIndexOf(':') + 1).toUShort();
}
} // namespace

template<typename Command> auto KafkaMockCluster::nudged(Command command)
{
    KafkaMockCommandNudge nudge(m_firstBrokerPort);
    const auto result = command();
    m_wakeUpNudges += nudge.finish();
    return result;
}

KafkaMockCluster::~KafkaMockCluster()
{
    // The cluster must go before the handle it lives in. Its end is a command too (a
    // TERMINATE op), whose wake-up can be lost like any other's.
    if (m_cluster)
        nudged([this] {
            rd_kafka_mock_cluster_destroy(m_cluster);
            return true;
        });
    m_cluster = nullptr;
}

bool KafkaMockCluster::start(int brokers, QString *error)
{
    if (m_cluster) {
        if (error)
            *error = QStringLiteral("the mock Kafka cluster is already running");
        return false;
    }
    KafkaConf conf(rd_kafka_conf_new());
    installKafkaLogger(conf.get());
    char reason[512];
    // The owner handle never talks to a broker; it only hosts the mock cluster's thread.
    // A producer handle is the lightest kind.
    rd_kafka_conf_set(conf.get(), "client.id", "switchboard-mock-kafka", reason, sizeof reason);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf.get(), reason, sizeof reason);
    if (!rk) {
        if (error)
            *error = u"cannot create the mock Kafka owner handle: " + QString::fromUtf8(reason);
        return false;
    }
    conf.release(); // rd_kafka_new took it
    m_owner.reset(rk);
    m_cluster = rd_kafka_mock_cluster_new(rk, brokers);
    if (!m_cluster) {
        m_owner.reset();
        if (error)
            *error = QStringLiteral("librdkafka could not start the mock Kafka cluster");
        return false;
    }
    m_brokers = brokers;
    m_firstBrokerPort = firstPortOf(bootstrapServers());
    qCInfo(lcKafka, "mock Kafka cluster: %d brokers at %s (no ListGroups/DescribeGroups)", brokers,
        rd_kafka_mock_cluster_bootstraps(m_cluster));
    return true;
}

QByteArray KafkaMockCluster::bootstrapServers() const
{
    return m_cluster ? QByteArray(rd_kafka_mock_cluster_bootstraps(m_cluster)) : QByteArray();
}

bool KafkaMockCluster::createTopic(const QByteArray &topic, int partitions, QString *error)
{
    if (!m_cluster) {
        if (error)
            *error = QStringLiteral("the mock Kafka cluster is not running");
        return false;
    }
    const int replication = std::clamp(m_brokers, 1, 3);
    const rd_kafka_resp_err_t err = nudged(
        [&] { return rd_kafka_mock_topic_create(m_cluster, topic.constData(), partitions, replication); });
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        if (error)
            *error = u"cannot create topic " + QString::fromUtf8(topic) + u": "
                + QString::fromUtf8(rd_kafka_err2str(err));
        return false;
    }
    return true;
}

bool KafkaMockCluster::setBrokersDown()
{
    return m_cluster && nudged([this] {
        return rd_kafka_mock_broker_set_down(m_cluster, -1);
    }) == RD_KAFKA_RESP_ERR_NO_ERROR;
}

bool KafkaMockCluster::setBrokersUp()
{
    // Every broker is down here, so no listening socket is polled: a lost wake-up still
    // waits out the mock's poll timeout (KafkaMockCommandNudge).
    return m_cluster && nudged([this] {
        return rd_kafka_mock_broker_set_up(m_cluster, -1);
    }) == RD_KAFKA_RESP_ERR_NO_ERROR;
}

void KafkaMockCluster::pushRequestErrors(int apiKey, const QList<rd_kafka_resp_err_t> &errors)
{
    if (!m_cluster || errors.isEmpty())
        return;
    rd_kafka_mock_push_request_errors_array(
        m_cluster, static_cast<int16_t>(apiKey), static_cast<size_t>(errors.size()), errors.constData());
}

} // namespace sb::cluster
