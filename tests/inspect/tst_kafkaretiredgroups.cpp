// A departed replica's consumer group (issue 11, item 3), end to end on librdkafka's mock
// cluster. Node side: a consumer that retires its group at close (a drained replica's
// per-boot broadcast group) leaves it deleted or, where the broker cannot delete groups
// (the mock), marked retired in its committed offsets. Console side: the inspector, the
// group model and the figures show that group RETIRED while its lag grows, and the Kafka
// status is not degraded; a killed replica's unmarked group is DOWN (degraded) until its
// session can have timed out, then RETIRED (not degraded).
#include "cluster/KafkaConsumer.h"
#include "cluster/KafkaHandles.h"
#include "cluster/KafkaMockCluster.h"
#include "inspect/KafkaAdminClient.h"
#include "inspect/KafkaInspector.h"
#include "models/KafkaFigures.h"
#include "models/KafkaGroupModel.h"
#include "support/TestMain.h"

#include <QDeadlineTimer>
#include <QSignalSpy>
#include <QTest>

#include <atomic>

using namespace sb::cluster;
using namespace sb::inspect;

namespace {

const QByteArray kTopic = QByteArrayLiteral("switchboard.SseBroadcast");

const KafkaGroupInfo *retiredGroupIn(const KafkaClusterSnapshot &s, const QString &id)
{
    for (const auto &g : s.groups) {
        if (g.id == id)
            return &g;
    }
    return nullptr;
}

} // namespace

class TestKafkaRetiredGroups : public QObject
{
    Q_OBJECT

private:
    KafkaMockCluster m_cluster;
    KafkaHandle m_producer;

    void produce(int perPartition)
    {
        for (int partition = 0; partition < 2; ++partition) {
            for (int i = 0; i < perPartition; ++i) {
                const QByteArray value = "broadcast " + QByteArray::number(i);
                QCOMPARE(rd_kafka_producev(m_producer.get(), RD_KAFKA_V_TOPIC(kTopic.constData()),
                             RD_KAFKA_V_PARTITION(partition),
                             RD_KAFKA_V_VALUE(const_cast<char *>(value.constData()), size_t(value.size())),
                             RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END),
                    RD_KAFKA_RESP_ERR_NO_ERROR);
            }
        }
        QCOMPARE(rd_kafka_flush(m_producer.get(), 10000), RD_KAFKA_RESP_ERR_NO_ERROR);
    }

    KafkaSettings settings() const
    {
        KafkaSettings s;
        s.setBootstrapServers(m_cluster.bootstrapServers());
        return s;
    }

    // A consumer like a replica's stage 2, run until it handled `records`, then closed.
    void consumeAndClose(const QByteArray &group, bool retire, int records, KafkaConsumer **kept = nullptr)
    {
        KafkaConsumerOptions options;
        options.groupId = group;
        options.topics = { kTopic };
        options.clientId = "switchboard-node-2";
        options.sessionTimeoutMs = 6000;
        options.heartbeatIntervalMs = 500;
        options.retireGroupOnClose = retire;
        options.retireTimeoutMs = 2000;
        auto *consumer = new KafkaConsumer(settings(), options, this);
        std::atomic<int> handled { 0 };
        consumer->setBatchHandler([&handled](const QList<KafkaRecord> &batch) {
            handled += int(batch.size());
            return true;
        });
        QString error;
        QVERIFY2(consumer->start(&error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(handled.load(), records, 30000);
        consumer->close();
        if (kept)
            *kept = consumer;
        else
            delete consumer;
    }

    KafkaClusterSnapshot pollUntil(KafkaInspector &inspector,
        const std::function<bool(const KafkaClusterSnapshot &)> &until, int timeoutMs = 15000)
    {
        QSignalSpy spy(&inspector, &KafkaInspector::snapshotReady);
        QDeadlineTimer deadline(timeoutMs);
        KafkaClusterSnapshot last;
        while (!deadline.hasExpired()) {
            if (spy.isEmpty() && !spy.wait(2000))
                continue;
            last = spy.takeFirst().at(0).value<KafkaClusterSnapshot>();
            if (until(last))
                return last;
        }
        return last;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_cluster.start(1, &error), qPrintable(error));
        QVERIFY2(m_cluster.createTopic(kTopic, 2, &error), qPrintable(error));
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        char reason[256];
        rd_kafka_conf_set(
            conf, "bootstrap.servers", m_cluster.bootstrapServers().constData(), reason, sizeof reason);
        m_producer = KafkaHandle(rd_kafka_new(RD_KAFKA_PRODUCER, conf, reason, sizeof reason));
        QVERIFY(m_producer);
        produce(5);
    }

    void drainedReplicasGroupIsMarkedAndShownRetired()
    {
        const QByteArray group = QByteArrayLiteral("switchboard-broadcast-node-2-a1b2c3d4");
        KafkaConsumer *consumer = nullptr;
        consumeAndClose(group, true, 10, &consumer);
        QVERIFY(consumer);
        const bool deleted = consumer->groupDeleted();
        qInfo("group deletion: %s", deleted ? "deleted" : qPrintable(consumer->retireOutcome()));

        // What the group itself says afterwards, as any admin client reads it.
        KafkaAdminClient admin(3000);
        QString error;
        QVERIFY2(admin.open(settings(), &error), qPrintable(error));
        admin.requestCommittedOffsets({ QString::fromUtf8(group) }, { { QString::fromUtf8(kTopic), 2 } });
        const KafkaAdminClient::GroupOffsets offsets
            = admin.collectCommittedOffsets().value(QString::fromUtf8(group));
        if (deleted) {
            QVERIFY(offsets.committed.isEmpty());
        } else {
            QVERIFY2(offsets.retired.has_value(), "the group stays, but is not marked retired");
            QCOMPARE(offsets.retired->by, QStringLiteral("switchboard-node-2"));
            QVERIFY(qAbs(offsets.retired->atMs - QDateTime::currentMSecsSinceEpoch()) < 60000);
            // The mark keeps what was handled: the offsets are those the replica reached.
            QCOMPARE(offsets.committed.value({ QString::fromUtf8(kTopic), 0 }), 5);
            QCOMPARE(offsets.committed.value({ QString::fromUtf8(kTopic), 1 }), 5);
        }
        delete consumer;

        // Broadcasts go on (the other replicas'), so this group's lag only grows.
        produce(7);
        KafkaInspectorConfig config;
        config.settings = settings();
        config.pollIntervalMs = 200;
        KafkaInspector inspector(config);
        // The Replicas area saw node-2 drain and go; the console's Kafka view gets that with
        // the group it announced.
        inspector.setGroupOwners({ { QString::fromUtf8(group), QStringLiteral("node-2"), true,
            QDateTime::currentDateTimeUtc() } });
        inspector.start();
        const KafkaClusterSnapshot snapshot = pollUntil(inspector, [&](const KafkaClusterSnapshot &s) {
            const KafkaGroupInfo *g = retiredGroupIn(s, QString::fromUtf8(group));
            return g && g->verdict.status == BurrowStatus::Retired;
        });
        const KafkaGroupInfo *row = retiredGroupIn(snapshot, QString::fromUtf8(group));
        QVERIFY2(row, qPrintable(snapshot.error));
        QCOMPARE(burrowStatusName(row->verdict.status), QStringLiteral("RETIRED"));
        if (!deleted) {
            QVERIFY2(row->verdict.reason.contains(u"left on purpose by switchboard-node-2"),
                qPrintable(row->verdict.reason));
            QCOMPARE(row->totalLag, 14);
            for (const KafkaPartitionLag &p : row->partitions)
                QCOMPARE(p.verdict.status, BurrowStatus::Retired);
        }

        // The model shows it so, and the status bar is not degraded by it.
        sb::models::KafkaGroupModel model;
        model.apply(snapshot.groups);
        const int r = model.rowOf(QString::fromUtf8(group));
        QVERIFY(r >= 0);
        QCOMPARE(
            model.index(r, sb::models::KafkaGroupModel::Status).data().toString(), QStringLiteral("RETIRED"));
        const sb::models::KafkaFigures figures = sb::models::KafkaFigures::from(snapshot);
        QCOMPARE(figures.groupsRetired, 1);
        QCOMPARE(figures.groupsInError, 0);
        QCOMPARE(figures.groupsDown, 0);
        QCOMPARE(figures.totalLag, 0); // nothing will ever consume a retired group's lag
        QVERIFY(!figures.isDegraded());
        inspector.stop();
    }

    void killedReplicasGroupIsDownThenRetired()
    {
        // A replica killed -9 leaves no mark: its group is as it last committed.
        const QByteArray group = QByteArrayLiteral("switchboard-broadcast-node-3-deadbeef");
        consumeAndClose(group, false, 24);
        produce(3);
        KafkaInspectorConfig config;
        config.settings = settings();
        config.pollIntervalMs = 200;
        config.consumerSessionTimeoutMs = 3000;
        KafkaInspector inspector(config);
        const QDateTime lastSeen = QDateTime::currentDateTimeUtc();
        inspector.setGroupOwners({ { QString::fromUtf8(group), QStringLiteral("node-3"), true, lastSeen } });
        inspector.start();

        const KafkaClusterSnapshot down = pollUntil(inspector, [&](const KafkaClusterSnapshot &s) {
            return retiredGroupIn(s, QString::fromUtf8(group)) != nullptr;
        });
        const KafkaGroupInfo *row = retiredGroupIn(down, QString::fromUtf8(group));
        QVERIFY2(row, qPrintable(down.error));
        QCOMPARE(row->verdict.status, BurrowStatus::Down);
        QVERIFY2(row->verdict.reason.contains(u"node-3 is down"), qPrintable(row->verdict.reason));
        QVERIFY(sb::models::KafkaFigures::from(down).isDegraded());

        const KafkaClusterSnapshot retired = pollUntil(inspector, [&](const KafkaClusterSnapshot &s) {
            const KafkaGroupInfo *g = retiredGroupIn(s, QString::fromUtf8(group));
            return g && g->verdict.status == BurrowStatus::Retired;
        });
        row = retiredGroupIn(retired, QString::fromUtf8(group));
        QVERIFY(row);
        QCOMPARE(row->verdict.status, BurrowStatus::Retired);
        QVERIFY2(row->verdict.reason.contains(u"session timed out"), qPrintable(row->verdict.reason));
        QVERIFY2(
            retired.at.toMSecsSinceEpoch() >= lastSeen.toMSecsSinceEpoch() + config.consumerSessionTimeoutMs,
            "retired before the session could have timed out");
        const sb::models::KafkaFigures figures = sb::models::KafkaFigures::from(retired);
        QVERIFY(!figures.isDegraded());
        QCOMPARE(figures.groupsRetired, 1);
        inspector.stop();
    }
};

SB_TEST_GUILESS_MAIN(TestKafkaRetiredGroups)
#include "tst_kafkaretiredgroups.moc"
