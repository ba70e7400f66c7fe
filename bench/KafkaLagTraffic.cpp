#include "KafkaLagTraffic.h"

#include <QRandomGenerator>
#include <QString>
#include <QTimer>

namespace {

sb::cluster::KafkaHandle makeClient(
    rd_kafka_type_t type, const QByteArray &bootstrap, const QByteArray &group = {})
{
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    char error[256];
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.constData(), error, sizeof error);
    if (type == RD_KAFKA_PRODUCER)
        rd_kafka_conf_set(conf, "linger.ms", "20", error, sizeof error);
    if (!group.isEmpty())
        rd_kafka_conf_set(conf, "group.id", group.constData(), error, sizeof error);
    return sb::cluster::KafkaHandle(rd_kafka_new(type, conf, error, sizeof error));
}

} // namespace

KafkaLagTraffic::KafkaLagTraffic(QByteArray bootstrap, QByteArray topic, int partitions, int groups)
    : m_bootstrap(std::move(bootstrap))
    , m_topic(std::move(topic))
    , m_partitions(partitions)
    , m_groups(groups)
    , m_ends(size_t(partitions), 0)
{ }

QString KafkaLagTraffic::groupName(int index)
{
    return QStringLiteral("bench-group-%1").arg(index);
}

void KafkaLagTraffic::start()
{
    m_producer = makeClient(RD_KAFKA_PRODUCER, m_bootstrap);
    for (int g = 0; g < m_groups; ++g)
        m_committers.push_back(makeClient(RD_KAFKA_CONSUMER, m_bootstrap, groupName(g).toUtf8()));
    m_committed.assign(size_t(m_groups), std::vector<qint64>(size_t(m_partitions), 0));
    auto *timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, [this] { step(); });
    timer->start(1000);
    step();
}

void KafkaLagTraffic::step()
{
    auto *rng = QRandomGenerator::global();
    static const char value[] = "{\"bench\":true}";
    for (int i = 0; i < 2 * m_partitions; ++i) {
        const int p = int(rng->bounded(m_partitions));
        if (rd_kafka_producev(m_producer.get(), RD_KAFKA_V_TOPIC(m_topic.constData()),
                RD_KAFKA_V_PARTITION(p), RD_KAFKA_V_VALUE(const_cast<char *>(value), sizeof value - 1),
                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END)
            == RD_KAFKA_RESP_ERR_NO_ERROR)
            ++m_ends[size_t(p)];
    }
    rd_kafka_flush(m_producer.get(), 5000);
    for (int g = 0; g < m_groups; ++g) {
        sb::cluster::KafkaPartitionList list(rd_kafka_topic_partition_list_new(m_partitions));
        for (int p = 0; p < m_partitions; ++p) {
            qint64 &committed = m_committed[size_t(g)][size_t(p)];
            const qint64 behind = m_ends[size_t(p)] - committed;
            committed += g == 0 ? behind : qint64(rng->bounded(int(behind / (g + 1)) + 1));
            rd_kafka_topic_partition_list_add(list.get(), m_topic.constData(), p)->offset = committed;
        }
        rd_kafka_commit(m_committers[size_t(g)].get(), list.get(), 0);
    }
}
