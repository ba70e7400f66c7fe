#include "cluster/KafkaHandles.h"
#include "cluster/KafkaMockCluster.h"
#include "inspect/KafkaInspector.h"
#include "support/TestMain.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace sb::cluster;
using namespace sb::inspect;
using namespace Qt::StringLiterals;

namespace {

KafkaHandle client(rd_kafka_type_t type, const QByteArray &bootstrap, const QByteArray &group = {})
{
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    char error[256];
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.constData(), error, sizeof error);
    if (!group.isEmpty()) {
        rd_kafka_conf_set(conf, "group.id", group.constData(), error, sizeof error);
        rd_kafka_conf_set(conf, "enable.auto.commit", "false", error, sizeof error);
    }
    return KafkaHandle(rd_kafka_new(type, conf, error, sizeof error));
}

// Commits offsets for a group without joining it (a "simple consumer" commit), the way an
// external tool would move a group.
bool commit(const QByteArray &bootstrap, const QByteArray &group, const QByteArray &topic,
    const QList<qint64> &offsets)
{
    const KafkaHandle consumer = client(RD_KAFKA_CONSUMER, bootstrap, group);
    KafkaPartitionList list(rd_kafka_topic_partition_list_new(int(offsets.size())));
    for (int p = 0; p < offsets.size(); ++p)
        rd_kafka_topic_partition_list_add(list.get(), topic.constData(), p)->offset = offsets.at(p);
    const rd_kafka_resp_err_t err = rd_kafka_commit(consumer.get(), list.get(), 0);
    rd_kafka_consumer_close(consumer.get());
    return err == RD_KAFKA_RESP_ERR_NO_ERROR;
}

const KafkaTopicInfo *topicIn(const KafkaClusterSnapshot &s, const QString &name)
{
    for (const auto &t : s.topics) {
        if (t.name == name)
            return &t;
    }
    return nullptr;
}

const KafkaGroupInfo *groupIn(const KafkaClusterSnapshot &s, const QString &id)
{
    for (const auto &g : s.groups) {
        if (g.id == id)
            return &g;
    }
    return nullptr;
}

} // namespace

// The Kafka inspector against librdkafka's mock cluster: topics and log-end offsets (equal
// to what kcat reports), the ListGroups fallback with its note, committed offsets, lag,
// produce rate, DLT topics, and Burrow verdicts for a group made to lag and rewind.
class TestKafkaInspector : public QObject
{
    Q_OBJECT

private:
    KafkaMockCluster m_cluster;
    KafkaHandle m_producer;

    void produce(const QByteArray &topic, int partition, int count)
    {
        for (int i = 0; i < count; ++i) {
            const QByteArray value = "message " + QByteArray::number(i);
            QCOMPARE(rd_kafka_producev(m_producer.get(), RD_KAFKA_V_TOPIC(topic.constData()),
                         RD_KAFKA_V_PARTITION(partition),
                         RD_KAFKA_V_VALUE(const_cast<char *>(value.constData()), size_t(value.size())),
                         RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END),
                RD_KAFKA_RESP_ERR_NO_ERROR);
        }
        QCOMPARE(rd_kafka_flush(m_producer.get(), 10000), RD_KAFKA_RESP_ERR_NO_ERROR);
    }

    // An inspector's settings for the mock cluster, polling every `pollIntervalMs`.
    KafkaInspectorConfig mockClusterConfig(int pollIntervalMs) const
    {
        KafkaInspectorConfig config;
        config.settings.setBootstrapServers(m_cluster.bootstrapServers());
        config.pollIntervalMs = pollIntervalMs;
        return config;
    }

    // Runs an inspector until `until` holds for a snapshot (or 15 s pass).
    KafkaClusterSnapshot pollUntil(
        KafkaInspector &inspector, const std::function<bool(const KafkaClusterSnapshot &)> &until)
    {
        QSignalSpy spy(&inspector, &KafkaInspector::snapshotReady);
        QDeadlineTimer deadline(15000);
        while (!deadline.hasExpired()) {
            if (spy.isEmpty() && !spy.wait(2000))
                continue;
            const auto snapshot = spy.takeFirst().at(0).value<KafkaClusterSnapshot>();
            if (until(snapshot))
                return snapshot;
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_cluster.start(3, &error), qPrintable(error));
        QVERIFY2(m_cluster.createTopic("orders", 2, &error), qPrintable(error));
        QVERIFY2(m_cluster.createTopic("orders.DLT", 1, &error), qPrintable(error));
        m_producer = client(RD_KAFKA_PRODUCER, m_cluster.bootstrapServers());
        QVERIFY(m_producer);
        produce("orders", 0, 50);
        produce("orders", 1, 30);
        produce("orders.DLT", 0, 3);
    }

    void readsTopicsLikeKcat()
    {
        const KafkaInspectorConfig config = mockClusterConfig(300);
        KafkaInspector inspector(config);
        inspector.start();
        const auto snapshot = pollUntil(inspector, [](const KafkaClusterSnapshot &s) { return s.reachable; });
        QVERIFY2(snapshot.reachable, qPrintable(snapshot.error));
        QCOMPARE(snapshot.brokers, 3);
        const KafkaTopicInfo *orders = topicIn(snapshot, QStringLiteral("orders"));
        QVERIFY(orders);
        QCOMPARE(orders->partitions, 2);
        QCOMPARE(orders->endOffsets, 80);
        QVERIFY(!orders->deadLetter);
        const KafkaTopicInfo *dlt = topicIn(snapshot, QStringLiteral("orders.DLT"));
        QVERIFY(dlt);
        QVERIFY(dlt->deadLetter);
        QCOMPARE(dlt->endOffsets, 3);

        // kcat -Q with timestamp -1 asks the broker for each partition's log-end offset.
        const QString kcat = QStandardPaths::findExecutable(QStringLiteral("kcat"));
        QVERIFY2(!kcat.isEmpty(), "kcat is not installed (scripts/setup.sh installs it)");
        QProcess process;
        process.start(kcat,
            { QStringLiteral("-b"), QString::fromUtf8(m_cluster.bootstrapServers()), QStringLiteral("-Q"),
                QStringLiteral("-t"), QStringLiteral("orders:0:-1"), QStringLiteral("-t"),
                QStringLiteral("orders:1:-1") });
        QVERIFY(process.waitForFinished(15000));
        const QString out = QString::fromUtf8(process.readAllStandardOutput());
        QVERIFY2(out.contains(u"orders [0] offset 50"), qPrintable(out));
        QVERIFY2(out.contains(u"orders [1] offset 30"), qPrintable(out));

        // The produce rate follows new records.
        produce("orders", 0, 40);
        const auto later = pollUntil(inspector, [](const KafkaClusterSnapshot &s) {
            const KafkaTopicInfo *t = topicIn(s, QStringLiteral("orders"));
            return t && t->endOffsets == 120;
        });
        const KafkaTopicInfo *grown = topicIn(later, QStringLiteral("orders"));
        QVERIFY(grown);
        QVERIFY(grown->producedPerSecond.has_value());
        QVERIFY2(*grown->producedPerSecond > 0, qPrintable(QString::number(*grown->producedPerSecond)));
        inspector.stop();
    }

    // A group a replica announces is read at once, not a poll interval (here a minute) later.
    void announcedGroupsAreReadAtOnce()
    {
        const KafkaInspectorConfig config = mockClusterConfig(60000);
        KafkaInspector inspector(config);
        inspector.start();
        QVERIFY(pollUntil(inspector, [](const KafkaClusterSnapshot &s) { return s.reachable; }).reachable);
        QElapsedTimer clock;
        clock.start();
        inspector.setAnnouncedGroups({ QStringLiteral("announced-late") });
        const auto snapshot = pollUntil(inspector, [](const KafkaClusterSnapshot &s) {
            return groupIn(s, QStringLiteral("announced-late")) != nullptr;
        });
        QVERIFY(groupIn(snapshot, QStringLiteral("announced-late")));
        QVERIFY2(clock.elapsed() < 10000, QByteArray::number(clock.elapsed()).constData());
        inspector.stop();
    }

    void lagAndBurrowVerdictsForAGroupMadeToLag()
    {
        // orders: p0 has 90 records, p1 30 (after the test above).
        QVERIFY(commit(m_cluster.bootstrapServers(), "billing", "orders", { 60, 30 }));
        KafkaInspectorConfig config = mockClusterConfig(300);
        config.groups = QStringList { QStringLiteral("billing") };
        KafkaInspector inspector(config);
        inspector.setAnnouncedGroups({ QStringLiteral("switchboard-notifications") });
        inspector.start();
        auto snapshot = pollUntil(
            inspector, [](const KafkaClusterSnapshot &s) { return groupIn(s, QStringLiteral("billing")); });
        const KafkaGroupInfo *billing = groupIn(snapshot, QStringLiteral("billing"));
        QVERIFY2(billing, qPrintable(snapshot.error));
        // The mock cluster cannot list groups: the view must say so, and use the named ones.
        QVERIFY2(snapshot.groupsNote.contains(u"ListGroups"), qPrintable(snapshot.groupsNote));
        QCOMPARE(billing->discoveredBy, QStringLiteral("profile"));
        const KafkaGroupInfo *announced = groupIn(snapshot, QStringLiteral("switchboard-notifications"));
        QVERIFY(announced);
        QCOMPARE(announced->discoveredBy, QStringLiteral("registry"));
        QCOMPARE(announced->partitions.size(), 0); // never committed: no partitions, no verdict
        QCOMPARE(announced->verdict.status, BurrowStatus::NotFound);

        QCOMPARE(billing->partitions.size(), 2);
        const KafkaPartitionLag &p0 = billing->partitions.at(0);
        QCOMPARE(p0.topic, QStringLiteral("orders"));
        QCOMPARE(p0.committed, 60);
        QCOMPARE(p0.logEnd, 90);
        QCOMPARE(p0.lag, 30);
        QCOMPARE(billing->partitions.at(1).lag, 0);
        QCOMPARE(billing->totalLag, 30);
        QCOMPARE(billing->partitions.at(1).verdict.status, BurrowStatus::Ok);

        // An operator resets the group backwards: REWIND, and the group is in error.
        QVERIFY(commit(m_cluster.bootstrapServers(), "billing", "orders", { 20, 30 }));
        snapshot = pollUntil(inspector, [](const KafkaClusterSnapshot &s) {
            const KafkaGroupInfo *g = groupIn(s, QStringLiteral("billing"));
            return g && !g->partitions.isEmpty() && g->partitions.at(0).committed == 20;
        });
        billing = groupIn(snapshot, QStringLiteral("billing"));
        QVERIFY(billing);
        QCOMPARE(billing->partitions.at(0).verdict.status, BurrowStatus::Rewind);
        QVERIFY2(billing->partitions.at(0).verdict.reason.contains(u"from 60 to 20"),
            qPrintable(billing->partitions.at(0).verdict.reason));
        QCOMPARE(billing->verdict.status, BurrowStatus::Err);
        QCOMPARE(billing->totalLag, 70);

        // Nobody commits any more while records arrive: once the quiet time exceeds the
        // window's span, p0 is STOP.
        snapshot = pollUntil(inspector, [](const KafkaClusterSnapshot &s) {
            const KafkaGroupInfo *g = groupIn(s, QStringLiteral("billing"));
            return g && !g->partitions.isEmpty() && g->partitions.at(0).verdict.status == BurrowStatus::Stop;
        });
        billing = groupIn(snapshot, QStringLiteral("billing"));
        QVERIFY2(billing, "p0 never became STOP");
        QVERIFY2(billing->partitions.at(0).verdict.reason.contains(u"no commit for"),
            qPrintable(billing->partitions.at(0).verdict.reason));
        inspector.stop();
    }

    // A group its replicas announce as reading from the log start (the stage-1 group) counts
    // a partition of a topic it consumes but never committed as all of that partition to go;
    // the same group not so announced shows only its committed partitions, as Burrow and
    // kafka-consumer-groups do. Each group's own topics and announcement count: beside it, a
    // group not so announced and another from-start group on another topic.
    void neverCommittedPartitionOfAFromStartGroupIsLag()
    {
        QString error;
        QVERIFY2(m_cluster.createTopic("created", 3, &error), qPrintable(error));
        QVERIFY2(m_cluster.createTopic("replayed", 2, &error), qPrintable(error));
        produce("created", 0, 5);
        produce("created", 1, 7);
        produce("replayed", 0, 2);
        produce("replayed", 1, 4);
        QVERIFY(commit(m_cluster.bootstrapServers(), "persist", "created", { 5 })); // p0 only
        QVERIFY(commit(m_cluster.bootstrapServers(), "audit", "created", { 5 }));
        QVERIFY(commit(m_cluster.bootstrapServers(), "fresh", "replayed", { 2 }));
        KafkaInspector inspector(mockClusterConfig(300));
        inspector.setGroupOwners({ { u"persist"_s, u"n1"_s, false, {}, false } });
        inspector.start();
        auto snapshot = pollUntil(inspector, [](const KafkaClusterSnapshot &s) {
            const KafkaGroupInfo *g = groupIn(s, u"persist"_s);
            return g && !g->partitions.isEmpty();
        });
        const KafkaGroupInfo *persist = groupIn(snapshot, u"persist"_s);
        QVERIFY2(persist, qPrintable(snapshot.error));
        QCOMPARE(persist->partitions.size(), 1);
        QCOMPARE(persist->totalLag, 0);

        inspector.setGroupOwners({ { u"persist"_s, u"n1"_s, false, {}, true },
            { u"audit"_s, u"n2"_s, false, {}, false }, { u"fresh"_s, u"n3"_s, false, {}, true } });
        snapshot = pollUntil(inspector, [](const KafkaClusterSnapshot &s) {
            const KafkaGroupInfo *g = groupIn(s, u"persist"_s);
            return g && g->partitions.size() > 1;
        });
        persist = groupIn(snapshot, u"persist"_s);
        QVERIFY(persist);
        // p1 holds 7 records from offset 0, p2 none: both still to read, nothing guessed.
        QCOMPARE(persist->partitions.size(), 3);
        const KafkaPartitionLag &p1 = persist->partitions.at(1);
        QCOMPARE(p1.partition, 1);
        QCOMPARE(p1.committed, -1);
        QCOMPARE(p1.logEnd, 7);
        QCOMPARE(p1.lag, 7);
        QCOMPARE(p1.verdict.status, BurrowStatus::NotFound);
        QVERIFY2(p1.verdict.reason.contains(u"never committed"), qPrintable(p1.verdict.reason));
        QCOMPARE(persist->partitions.at(2).lag, 0);
        QCOMPARE(persist->totalLag, 7);
        // The never-committed rows are work to do, not a fault: the group's verdict is still
        // the one its committed partitions give.
        QCOMPARE(persist->verdict.status, BurrowStatus::Ok);
        // Only its own topic: "replayed", which another from-start group consumes, is not its.
        for (const KafkaPartitionLag &lag : persist->partitions)
            QCOMPARE(lag.topic, u"created"_s);
        // The group on the same topic that is not announced so: its committed row alone.
        const KafkaGroupInfo *audit = groupIn(snapshot, u"audit"_s);
        QVERIFY(audit);
        QCOMPARE(audit->partitions.size(), 1);
        QCOMPARE(audit->totalLag, 0);
        // The other from-start group: its never-committed partition, on its own topic.
        const KafkaGroupInfo *fresh = groupIn(snapshot, u"fresh"_s);
        QVERIFY(fresh);
        QCOMPARE(fresh->partitions.size(), 2);
        QCOMPARE(fresh->partitions.at(1).topic, u"replayed"_s);
        QCOMPARE(fresh->partitions.at(1).committed, -1);
        QCOMPARE(fresh->partitions.at(1).lag, 4);
        QCOMPARE(fresh->totalLag, 4);
        inspector.stop();
    }

    void unreachableClusterIsReportedNotHung()
    {
        KafkaInspectorConfig config;
        config.settings.setBootstrapServers("127.0.0.1:1");
        config.pollIntervalMs = 300;
        config.requestTimeoutMs = 800;
        KafkaInspector inspector(config);
        inspector.start();
        QSignalSpy spy(&inspector, &KafkaInspector::snapshotReady);
        QVERIFY(spy.wait(10000));
        const auto snapshot = spy.takeFirst().at(0).value<KafkaClusterSnapshot>();
        QVERIFY(!snapshot.reachable);
        QVERIFY(!snapshot.error.isEmpty());
        QVERIFY2(snapshot.pollMs < 5000, qPrintable(QString::number(snapshot.pollMs)));
        // Retried with a growing back-off, not hammered at the poll interval.
        QCOMPARE(snapshot.retryInMs, 600);
        QVERIFY(spy.wait(10000));
        QCOMPARE(spy.takeFirst().at(0).value<KafkaClusterSnapshot>().retryInMs, 1200);
        inspector.stop();
    }
};

SB_TEST_GUILESS_MAIN(TestKafkaInspector)
#include "tst_kafkainspector.moc"
