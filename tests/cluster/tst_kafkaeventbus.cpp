#include "BusTestWorld.h"
#include "TestReplicaBus.h"
#include "support/TestMain.h"

#include "cluster/KafkaConsumer.h"
#include "cluster/KafkaEventBus.h"
#include "cluster/KafkaMockCluster.h"
#include "cluster/KafkaProducer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace sb::cluster;

using namespace sb::testing;

namespace {
const QByteArray EventBusPrefix = QByteArrayLiteral("sbtest");
} // namespace

// Two KafkaEventBus "replicas" on one mock cluster: the two-stage fan-out, idempotent
// persistence of redelivered records, retries and the dead-letter topic.
class TestKafkaEventBus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_cluster.start(3, &error), qPrintable(error));
        for (const QByteArray &topic : KafkaEventBus::topics(EventBusPrefix))
            QVERIFY2(m_cluster.createTopic(topic, 3, &error), qPrintable(error));

        m_a = makeReplica("a");
        m_b = makeReplica("b");
        QVERIFY2(m_a->start(&error), qPrintable(error));
        QVERIFY2(m_b->start(&error), qPrintable(error));

        m_deadLetters = std::make_shared<DeadLetters>();
        KafkaConsumerOptions dlt;
        dlt.groupId = "dlt-reader";
        dlt.topics = { KafkaEventBus::deadLetterTopic(EventBusPrefix + ".MessageCreatedEvent") };
        dlt.sessionTimeoutMs = 6000;
        dlt.heartbeatIntervalMs = 300;
        m_dltReader = std::make_unique<KafkaConsumer>(settings(), dlt);
        m_dltReader->setBatchHandler([letters = m_deadLetters](const QList<KafkaRecord> &batch) {
            const QMutexLocker lock(&letters->mutex);
            letters->records.append(batch);
            return true;
        });
        QVERIFY(m_dltReader->start(&error));

        // Stage 1 split between the two replicas, stage 2 complete on each: from here on
        // every broadcast reaches both.
        QTRY_VERIFY_WITH_TIMEOUT(m_a->persistPartitions() + m_b->persistPartitions() == 3
                && m_a->persistPartitions() > 0 && m_b->persistPartitions() > 0,
            20000);
        QTRY_COMPARE_WITH_TIMEOUT(m_a->broadcastPartitions(), 3, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(m_b->broadcastPartitions(), 3, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(m_a->isHealthy() && m_b->isHealthy(), 10000);
    }

    void cleanupTestCase()
    {
        m_dltReader.reset();
        m_a.reset();
        m_b.reset();
    }

    void publishIsPersistedOnceAndDeliveredOnEveryReplica()
    {
        const QList<QByteArray> ids { "m-1", "m-2", "m-3", "m-4", "m-5", "m-6" };
        for (const QByteArray &id : ids)
            m_a->publish("channel-" + id, messagePayload(id, "channel-" + id));
        for (const QByteArray &id : ids) {
            QTRY_COMPARE_WITH_TIMEOUT(m_world.deliveredCount("a", id), 1, 15000);
            QTRY_COMPARE_WITH_TIMEOUT(m_world.deliveredCount("b", id), 1, 15000);
            QCOMPARE(m_world.calls(id), 1);
            QCOMPARE(m_world.stored(id), 1);
        }
        QCOMPARE(m_a->publishRefused(), quint64(0));
        QCOMPARE(m_a->persisted() + m_b->persisted(), quint64(ids.size()));
        // Nothing extra shows up on either replica a little later.
        QTest::qWait(300);
        for (const QByteArray &id : ids) {
            QCOMPARE(m_world.deliveredCount("a", id), 1);
            QCOMPARE(m_world.deliveredCount("b", id), 1);
            QCOMPARE(m_world.calls(id), 1);
        }
    }

    void handlersSeeWhereEachRecordCameFrom()
    {
        // The node's tap shows each hop (STAGE1, BROADCAST) from these: topic, partition,
        // offset and key of the record the handler runs for.
        m_a->publish("hops", messagePayload("hop-1", "hops"));
        QTRY_COMPARE_WITH_TIMEOUT(m_world.deliveredCount("a", "hop-1"), 1, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(m_world.deliveredCount("b", "hop-1"), 1, 15000);
        const QMutexLocker lock(&m_world.mutex);
        const SeenHop persisted = m_world.persistHops.value("hop-1");
        QCOMPARE(int(persisted.medium), int(BusHop::Medium::Kafka));
        QCOMPARE(persisted.topic, EventBusPrefix + ".MessageCreatedEvent");
        QCOMPARE(persisted.key, QByteArray("hops"));
        QVERIFY2(persisted.partition >= 0 && persisted.partition < 3,
            QByteArray::number(persisted.partition).constData());
        QVERIFY(persisted.offset >= 0);
        for (const QByteArray replica : { "a", "b" }) {
            const SeenHop delivered = m_world.deliveryHops.value(replica + "/hop-1");
            QCOMPARE(int(delivered.medium), int(BusHop::Medium::Kafka));
            QCOMPARE(delivered.topic, EventBusPrefix + ".SseBroadcast");
            QCOMPARE(delivered.key, QByteArray("hops"));
            QVERIFY(delivered.partition >= 0 && delivered.partition < 3);
            QVERIFY(delivered.offset >= 0);
        }
    }

    void redeliveredRecordIsStoredOnce()
    {
        // A redelivery (a replica crashed after persisting, before committing) is the same
        // record read again; producing it twice is the same thing seen from stage 1.
        KafkaProducer producer(settings());
        QVERIFY(producer.start());
        const QByteArray payload = messagePayload("dup-1");
        QVERIFY(producer.produce(
            EventBusPrefix + ".MessageCreatedEvent", "general", payload, { { "message-id", "dup-1" } }));
        QVERIFY(producer.produce(
            EventBusPrefix + ".MessageCreatedEvent", "general", payload, { { "message-id", "dup-1" } }));
        QTRY_COMPARE_WITH_TIMEOUT(m_world.calls("dup-1"), 2, 15000);
        QCOMPARE(m_world.stored("dup-1"), 1);
        const QMutexLocker lock(&m_world.mutex);
        QCOMPARE(m_world.store.value("dup-1"), payload);
    }

    void failingPersistIsRetriedThenDeadLettered()
    {
        const quint64 retriesBefore = m_a->persistRetries() + m_b->persistRetries();
        const QByteArray failing = messagePayload("fail-1", "ops");
        m_a->publish("ops", failing);
        m_a->publish("ops", messagePayload("after-fail-1", "ops"));

        QTRY_VERIFY_WITH_TIMEOUT(m_deadLetters->find(failing).has_value(), 15000);
        // Tried once, then retried twice (1 s apart).
        QCOMPARE(m_world.calls("fail-1"), 3);
        QCOMPARE(m_a->persistRetries() + m_b->persistRetries() - retriesBefore, quint64(2));
        QCOMPARE(m_world.stored("fail-1"), 0);
        const KafkaRecord letter = *m_deadLetters->find(failing);
        QCOMPARE(letter.key, QByteArray("ops"));
        QCOMPARE(letter.header("message-id"), QByteArray("fail-1"));
        QCOMPARE(letter.header("dlt-original-topic"), EventBusPrefix + ".MessageCreatedEvent");
        bool ok = false;
        QVERIFY(letter.header("dlt-original-partition").toInt(&ok) >= 0 && ok);
        QVERIFY(letter.header("dlt-original-offset").toLongLong(&ok) >= 0 && ok);
        QCOMPARE(letter.header("dlt-error"), QByteArray("database says no"));

        // The partition kept flowing: the next record of the same channel got through.
        QTRY_COMPARE_WITH_TIMEOUT(m_world.deliveredCount("a", "after-fail-1"), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_world.deliveredCount("b", "after-fail-1"), 1, 10000);
        QCOMPARE(m_world.stored("after-fail-1"), 1);
        // Not stored, but delivered live to every replica (a store outage must not stop
        // delivery), once.
        QTRY_COMPARE_WITH_TIMEOUT(m_world.deliveredCount("a", "fail-1"), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_world.deliveredCount("b", "fail-1"), 1, 10000);
    }

    void poisonRecordGoesStraightToTheDeadLetterTopic()
    {
        const QByteArray poison = QByteArrayLiteral("this is {not json");
        const quint64 poisonBefore = m_a->poison() + m_b->poison();
        m_b->publish("ops", poison);
        m_b->publish("ops", "[1,2,3]"); // JSON, but not an object
        m_b->publish("ops", messagePayload("after-poison", "ops"));

        QTRY_VERIFY_WITH_TIMEOUT(m_deadLetters->find(poison).has_value(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(m_deadLetters->find("[1,2,3]").has_value(), 10000);
        QCOMPARE(m_a->poison() + m_b->poison() - poisonBefore, quint64(2));
        const KafkaRecord letter = *m_deadLetters->find(poison);
        QVERIFY2(letter.header("dlt-error").startsWith("undecodable record"),
            letter.header("dlt-error").constData());
        QCOMPARE(letter.header("dlt-original-topic"), EventBusPrefix + ".MessageCreatedEvent");
        QVERIFY(!letter.header("dlt-original-offset").isEmpty());
        QVERIFY(!letter.header("dlt-original-partition").isEmpty());
        QCOMPARE(m_world.calls(QByteArray()), 0); // the persist handler never saw them

        QTRY_COMPARE_WITH_TIMEOUT(m_world.deliveredCount("a", "after-poison"), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_world.deliveredCount("b", "after-poison"), 1, 10000);
    }

    void channelOrderIsStage1OrderOnEveryReplica()
    {
        // One chat channel is one stage-1 key, so one partition: messages published through
        // either replica reach every replica in their stage-1 offset order, the same order
        // everywhere (docs/protocol.md, "Order"). One of them fails its first persist, which
        // used to send it after the records behind it in its batch.
        QList<QByteArray> ids;
        for (int i = 0; i < 30; ++i) {
            const QByteArray id = "ord-" + QByteArray::number(i) + (i == 5 ? "-flaky" : "");
            ids.append(id);
            (i % 2 ? m_a : m_b)->publish("ordered", messagePayload(id, "ordered"));
        }
        for (const QByteArray replica : { "a", "b" })
            QTRY_COMPARE_WITH_TIMEOUT(m_world.deliveredWithPrefix(replica, "ord-").size(), ids.size(), 20000);
        const QList<QByteArray> seenByA = m_world.deliveredWithPrefix("a", "ord-");
        QCOMPARE(m_world.deliveredWithPrefix("b", "ord-"), seenByA);
        qint64 previous = -1;
        for (const QByteArray &id : seenByA) {
            const qint64 offset = m_world.stage1Offset(id);
            QVERIFY2(offset > previous,
                qPrintable(
                    QStringLiteral("%1 (stage-1 offset %2) delivered after offset %3")
                        .arg(QString::fromUtf8(id), QString::number(offset), QString::number(previous))));
            previous = offset;
        }
    }

    void names()
    {
        QCOMPARE(m_a->messageCreatedTopic(), EventBusPrefix + ".MessageCreatedEvent");
        QCOMPARE(m_a->broadcastTopic(), EventBusPrefix + ".SseBroadcast");
        QCOMPARE(m_a->persistGroup(), EventBusPrefix + "-notifications");
        QVERIFY(m_a->broadcastGroup().startsWith(QByteArray(EventBusPrefix + "-broadcast-a-")));
        QVERIFY(m_a->broadcastGroup() != m_b->broadcastGroup());
        KafkaEventBusOptions incomplete;
        incomplete.settings = settings();
        KafkaEventBus bus(incomplete);
        QString error;
        QVERIFY(!bus.start(&error));
        QVERIFY2(error.contains(u"node id"), qPrintable(error));
    }

private:
    KafkaSettings settings() const { return KafkaSettings(m_cluster.bootstrapServers()); }

    std::unique_ptr<KafkaEventBus> makeReplica(const QByteArray &name)
    {
        return makeTestReplicaBus(testReplicaBusOptions(settings(), EventBusPrefix, name), m_world);
    }

    KafkaMockCluster m_cluster;
    BusTestWorld m_world;
    std::unique_ptr<KafkaEventBus> m_a;
    std::unique_ptr<KafkaEventBus> m_b;
    std::unique_ptr<KafkaConsumer> m_dltReader;
    std::shared_ptr<DeadLetters> m_deadLetters;
};

SB_TEST_GUILESS_MAIN(TestKafkaEventBus)
#include "tst_kafkaeventbus.moc"
