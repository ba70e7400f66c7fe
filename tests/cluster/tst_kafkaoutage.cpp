#include "cluster/KafkaEventBus.h"
#include "cluster/KafkaMockCluster.h"
#include "support/TestMain.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QSignalSpy>
#include <QTest>

using namespace sb::cluster;

namespace {

const QByteArray OutagePrefix = QByteArrayLiteral("outage");

QByteArray outagePayload(const QByteArray &id)
{
    const QJsonObject message { { u"id"_qs, QString::fromUtf8(id) }, { u"body"_qs, u"hi"_qs } };
    return QJsonDocument(QJsonObject { { u"type"_qs, u"message"_qs }, { u"message"_qs, message } })
        .toJson(QJsonDocument::Compact);
}

} // namespace

// Kafka down under a running bus (issue 4, "Outages"): readiness goes false, what is
// published meanwhile waits in the producer's bounded queue, and is persisted and
// delivered once the brokers are back, without restarting anything.
class TestKafkaOutage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_cluster.start(3, &error), qPrintable(error));
        for (const QByteArray &topic : KafkaEventBus::topics(OutagePrefix))
            QVERIFY2(m_cluster.createTopic(topic, 3, &error), qPrintable(error));
    }

    void publishedDuringOutageIsDeliveredAfterRecovery()
    {
        KafkaEventBusOptions options;
        options.settings = KafkaSettings(m_cluster.bootstrapServers());
        options.topicPrefix = OutagePrefix;
        options.nodeId = "solo";
        options.bootId = "boot1";
        options.sessionTimeoutMs = 6000;
        options.heartbeatIntervalMs = 300;
        options.producer.flushTimeoutMs = 3000;
        KafkaEventBus bus(options);
        QMutex mutex;
        QList<QByteArray> persisted;
        QList<QByteArray> delivered;
        bus.setPersistHandler([&](const QByteArray &payload, const BusHop &, QString *) {
            const QMutexLocker lock(&mutex);
            persisted.append(payload);
            return true;
        });
        bus.setHandler([&](const QByteArray &payload, const BusHop &) {
            const QMutexLocker lock(&mutex);
            delivered.append(payload);
        });
        auto count = [&](const QList<QByteArray> &list, const QByteArray &payload) {
            const QMutexLocker lock(&mutex);
            return static_cast<int>(list.count(payload));
        };
        QSignalSpy health(&bus, &KafkaEventBus::healthChanged);
        QString error;
        QVERIFY2(bus.start(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(bus.isHealthy(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(bus.persistPartitions(), 3, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(bus.broadcastPartitions(), 3, 20000);

        const QByteArray before = outagePayload("before");
        bus.publish("c", before);
        QTRY_COMPARE_WITH_TIMEOUT(count(delivered, before), 1, 10000);

        QVERIFY(m_cluster.setBrokersDown());
        QTRY_VERIFY_WITH_TIMEOUT(!bus.isHealthy(), 15000);
        QVERIFY(!bus.healthReason().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!health.isEmpty() && !health.constLast().at(0).toBool(), 5000);

        const QByteArray during = outagePayload("during");
        bus.publish("c", during);
        QCOMPARE(bus.publishRefused(), quint64(0)); // queued, not refused
        QTest::qWait(500);
        QCOMPARE(count(delivered, during), 0);

        QVERIFY(m_cluster.setBrokersUp());
        QTRY_VERIFY_WITH_TIMEOUT(bus.isHealthy(), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(health.constLast().at(0).toBool(), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(count(delivered, during), 1, 20000);
        QCOMPARE(count(persisted, during), 1);
        QCOMPARE(count(persisted, before), 1);
        QCOMPARE(count(delivered, before), 1);
    }

private:
    KafkaMockCluster m_cluster;
};

SB_TEST_GUILESS_MAIN(TestKafkaOutage)
#include "tst_kafkaoutage.moc"
