// The status bar's Kafka health with groups of departed replicas (issue 11, item 3): the
// Kafka area assembled as the console does (KafkaAreaAssembly, the inspector on its worker
// thread, the models, the view) on librdkafka's mock cluster. A drained replica's group,
// marked retired in its offsets, does not make Kafka "degraded" although its lag grows; a
// killed replica's group does while it is DOWN, then no longer once it is RETIRED.
#include "app/KafkaAreaAssembly.h"
#include "cluster/KafkaHandles.h"
#include "cluster/KafkaMockCluster.h"
#include "cluster/RetiredGroupMark.h"
#include "models/AttachmentState.h"
#include "models/KafkaGroupModel.h"
#include "support/TestMain.h"

#include <QDateTime>
#include <QTest>

#include <cstdlib>
#include <cstring>

using namespace sb;
using State = models::ConnectionHealth::State;

namespace {

const QByteArray kTopic = QByteArrayLiteral("switchboard.SseBroadcast");

cluster::KafkaHandle client(rd_kafka_type_t type, const QByteArray &bootstrap, const QByteArray &group = {})
{
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    char error[256];
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.constData(), error, sizeof error);
    if (!group.isEmpty()) {
        rd_kafka_conf_set(conf, "group.id", group.constData(), error, sizeof error);
        rd_kafka_conf_set(conf, "enable.auto.commit", "false", error, sizeof error);
    }
    return cluster::KafkaHandle(rd_kafka_new(type, conf, error, sizeof error));
}

// Commits offset 2 on both partitions for `group` without joining it, with `metadata`
// (a replica's retirement mark, or nothing: a replica killed -9 leaves none).
bool commit(const QByteArray &bootstrap, const QByteArray &group, const QByteArray &metadata)
{
    const cluster::KafkaHandle consumer = client(RD_KAFKA_CONSUMER, bootstrap, group);
    cluster::KafkaPartitionList list(rd_kafka_topic_partition_list_new(2));
    for (int p = 0; p < 2; ++p) {
        rd_kafka_topic_partition_t *partition
            = rd_kafka_topic_partition_list_add(list.get(), kTopic.constData(), p);
        partition->offset = 2;
        if (!metadata.isEmpty()) {
            partition->metadata = std::malloc(size_t(metadata.size())); // freed with the list
            std::memcpy(partition->metadata, metadata.constData(), size_t(metadata.size()));
            partition->metadata_size = size_t(metadata.size());
        }
    }
    const rd_kafka_resp_err_t err = rd_kafka_commit(consumer.get(), list.get(), 0);
    rd_kafka_consumer_close(consumer.get());
    return err == RD_KAFKA_RESP_ERR_NO_ERROR;
}

} // namespace

class TestKafkaAreaStatus : public QObject
{
    Q_OBJECT
    cluster::KafkaMockCluster m_cluster;

    inspect::KafkaInspectorConfig config(int sessionTimeoutMs) const
    {
        inspect::KafkaInspectorConfig c;
        c.settings.setBootstrapServers(m_cluster.bootstrapServers());
        c.pollIntervalMs = 200;
        c.consumerSessionTimeoutMs = sessionTimeoutMs;
        return c;
    }

    static QString statusOf(const app::KafkaAreaAssembly &area, const QString &group)
    {
        const int row = area.groups()->rowOf(group);
        return row < 0 ? QString()
                       : area.groups()->index(row, models::KafkaGroupModel::Status).data().toString();
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_cluster.start(1, &error), qPrintable(error));
        QVERIFY2(m_cluster.createTopic(kTopic, 2, &error), qPrintable(error));
        const cluster::KafkaHandle producer = client(RD_KAFKA_PRODUCER, m_cluster.bootstrapServers());
        for (int p = 0; p < 2; ++p) {
            for (int i = 0; i < 10; ++i) { // the group committed 2 of 10: a lag of 8 per partition
                QCOMPARE(rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC(kTopic.constData()),
                             RD_KAFKA_V_PARTITION(p), RD_KAFKA_V_VALUE(const_cast<char *>("x"), size_t(1)),
                             RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END),
                    RD_KAFKA_RESP_ERR_NO_ERROR);
            }
        }
        QCOMPARE(rd_kafka_flush(producer.get(), 10000), RD_KAFKA_RESP_ERR_NO_ERROR);
    }

    void drainedReplicasGroupLeavesKafkaHealthy()
    {
        const QString group = QStringLiteral("switchboard-broadcast-node-2-0a0a0a0a");
        const cluster::RetiredGroupMark mark { QStringLiteral("switchboard-node-2"),
            QDateTime::currentMSecsSinceEpoch() };
        QVERIFY(commit(m_cluster.bootstrapServers(), group.toUtf8(), mark.encode()));
        models::AttachmentState attachment;
        app::KafkaAreaAssembly area(nullptr, config(10000), &attachment);
        area.setGroupOwners({ { group, QStringLiteral("node-2"), true, QDateTime::currentDateTimeUtc() } });
        area.start();
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(area, group), QStringLiteral("RETIRED"), 15000);
        const models::ConnectionHealth health = attachment.health(models::AttachmentState::Service::Kafka);
        QCOMPARE(models::ConnectionHealth::stateName(health.state),
            models::ConnectionHealth::stateName(State::Up));
        QVERIFY2(health.detail.contains(u"1 retired"), qPrintable(health.detail));
        QCOMPARE(area.figures().totalLag, 0);
    }

    void killedReplicasGroupDegradesKafkaUntilRetired()
    {
        const QString group = QStringLiteral("switchboard-broadcast-node-3-0b0b0b0b");
        QVERIFY(commit(m_cluster.bootstrapServers(), group.toUtf8(), {}));
        models::AttachmentState attachment;
        app::KafkaAreaAssembly area(nullptr, config(3000), &attachment);
        area.setGroupOwners({ { group, QStringLiteral("node-3"), true, QDateTime::currentDateTimeUtc() } });
        area.start();
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(area, group), QStringLiteral("DOWN"), 15000);
        const models::ConnectionHealth down = attachment.health(models::AttachmentState::Service::Kafka);
        QCOMPARE(models::ConnectionHealth::stateName(down.state),
            models::ConnectionHealth::stateName(State::Degraded));
        QVERIFY2(down.detail.contains(u"replica that died"), qPrintable(down.detail));
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(area, group), QStringLiteral("RETIRED"), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(
            attachment.health(models::AttachmentState::Service::Kafka).state, State::Up, 5000);
    }
};

SB_TEST_MAIN(TestKafkaAreaStatus)
#include "tst_kafkaareastatus.moc"
