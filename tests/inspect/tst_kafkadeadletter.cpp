#include "cluster/KafkaConsumer.h"
#include "cluster/KafkaMockCluster.h"
#include "cluster/KafkaProducer.h"
#include "inspect/KafkaDeadLetterReader.h"
#include "inspect/KafkaDeadLetterWorker.h"
#include "support/TestMain.h"

#include <QMutex>
#include <QTest>
#include <QThread>

#include <memory>
#include <optional>

using namespace sb::cluster;
using namespace sb::inspect;
using sb::protocol::KafkaDeadLetterHeaders;

namespace {
const QByteArray Original = QByteArrayLiteral("dlttest.MessageCreatedEvent");
const QByteArray DeadLetters = Original + ".DLT";
} // namespace

// The Kafka area's dead-letter side against librdkafka's mock cluster: records dead-lettered
// with the node's headers are listed with them (the last N, across partitions), a redrive
// puts them back on their original topic (read back by an independent consumer group), and a
// read-only profile's worker refuses to.
class TestKafkaDeadLetter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_cluster.start(3, &error), qPrintable(error));
        QVERIFY2(m_cluster.createTopic(Original, 2, &error), qPrintable(error));
        QVERIFY2(m_cluster.createTopic(DeadLetters, 2, &error), qPrintable(error));
        KafkaProducer producer(settings());
        QVERIFY(producer.start(&error));
        // As KafkaStage1Relay::deadLetter writes them: the record's own headers, then the dlt-* ones.
        auto letter = [](const QByteArray &id, int partition, qint64 offset) {
            return KafkaHeaders { { "message-id", id }, { "dlt-original-topic", Original },
                { "dlt-original-partition", QByteArray::number(partition) },
                { "dlt-original-offset", QByteArray::number(offset) }, { "dlt-error", "database says no" } };
        };
        int delivered = 0;
        auto count = [&delivered](const QString &why) {
            if (why.isEmpty())
                ++delivered;
        };
        QVERIFY(producer.produce(
            DeadLetters, "ops", R"({"id":"dl-1","body":"hello"})", letter("dl-1", 1, 41), count));
        QVERIFY(producer.produce(DeadLetters, "general", "not json \x01", letter("dl-2", 0, 7), count));
        // A record whose origin cannot be told: listed, never redriven.
        QVERIFY(producer.produce(DeadLetters, "ops", "{}", { { "dlt-error", "poison" } }, count));
        QTRY_COMPARE_WITH_TIMEOUT(delivered, 3, 10000);
        producer.close();

        m_thread.start();
        m_worker = makeWorker(false);
        m_readOnlyWorker = makeWorker(true);
    }

    void cleanupTestCase()
    {
        for (KafkaDeadLetterWorker *worker : { m_worker, m_readOnlyWorker }) {
            if (worker) {
                worker->stop();
                QMetaObject::invokeMethod(worker, &QObject::deleteLater);
            }
        }
        m_thread.quit();
        m_thread.wait();
    }

    void listsTheRecordsWithTheirHeaders()
    {
        const KafkaDeadLetterListing listing = list(m_worker, 1000);
        QVERIFY2(listing.error.isEmpty(), qPrintable(listing.error));
        QCOMPARE(listing.topic, QString::fromUtf8(DeadLetters));
        QCOMPARE(listing.records.size(), 3);
        QCOMPARE(listing.recordsInTopic, qint64(3));
        const KafkaDeadLetterRecord *first = find(listing, "dl-1");
        QVERIFY(first);
        QCOMPARE(first->key, QByteArray("ops"));
        QVERIFY(first->hasKey);
        QCOMPARE(first->value, QByteArray(R"({"id":"dl-1","body":"hello"})"));
        QCOMPARE(first->origin.topic, QString::fromUtf8(Original));
        QCOMPARE(first->origin.partition, 1);
        QCOMPARE(first->origin.offset, qint64(41));
        QCOMPARE(first->origin.error, QStringLiteral("database says no"));
        QCOMPARE(first->headers.size(), 5);
        QVERIFY(first->redriveProblem().isEmpty());
        QVERIFY(first->partition >= 0 && first->offset >= 0 && first->timestampMs > 0);
        int unknownOrigin = 0;
        for (const KafkaDeadLetterRecord &record : listing.records)
            unknownOrigin += record.origin.isRedrivable() ? 0 : 1;
        QCOMPARE(unknownOrigin, 1);
        // Newest first.
        for (qsizetype i = 1; i < listing.records.size(); ++i)
            QVERIFY(listing.records[i - 1].timestampMs >= listing.records[i].timestampMs);
    }

    void listsOnlyTheLastN()
    {
        const KafkaDeadLetterListing listing = list(m_worker, 2);
        QVERIFY2(listing.error.isEmpty(), qPrintable(listing.error));
        QCOMPARE(listing.records.size(), 2);
        QCOMPARE(listing.recordsInTopic, qint64(3));
    }

    void unknownTopicSaysSo()
    {
        const KafkaDeadLetterListing listing = list(m_worker, 10, QStringLiteral("no.such.DLT"));
        QVERIFY2(listing.error.contains(u"does not exist"), qPrintable(listing.error));
    }

    void readOnlyProfileRefusesRedrive()
    {
        const KafkaDeadLetterListing listing = list(m_readOnlyWorker, 1000);
        QCOMPARE(listing.records.size(), 3); // listing is reading: allowed
        const qint64 before = recordsIn(Original);
        const KafkaDeadLetterRedriveReport report = redrive(m_readOnlyWorker, listing.records);
        QVERIFY2(report.refused.contains(u"read-only"), qPrintable(report.summary()));
        QCOMPARE(report.sent(), 0);
        QCOMPARE(recordsIn(Original), before);
    }

    void redrivenRecordsReappearOnTheirOriginalTopic()
    {
        const KafkaDeadLetterListing listing = list(m_worker, 1000);
        QCOMPARE(listing.records.size(), 3);
        const KafkaDeadLetterRecord redrivable = *find(listing, "dl-1");
        const KafkaDeadLetterRedriveReport report = redrive(m_worker, listing.records);
        QVERIFY2(report.refused.isEmpty(), qPrintable(report.refused));
        QCOMPARE(report.requested, 3);
        QCOMPARE(report.sentTo.value(QString::fromUtf8(Original)), 2);
        QCOMPARE(report.sent(), 2);
        QCOMPARE(report.skipped, 1);
        QCOMPARE(report.failed, 0);
        QVERIFY2(report.summary().contains(u"2 of 3 records sent (2 to dlttest.MessageCreatedEvent)"),
            qPrintable(report.summary()));

        // Read back by a consumer group of its own, as any service on that topic would.
        KafkaConsumerOptions options;
        options.groupId = "dlt-readback";
        options.topics = { Original };
        options.sessionTimeoutMs = 6000;
        options.heartbeatIntervalMs = 300;
        auto seen = std::make_shared<std::pair<QMutex, QList<KafkaRecord>>>();
        KafkaConsumer consumer(settings(), options);
        consumer.setBatchHandler([seen](const QList<KafkaRecord> &batch) {
            const QMutexLocker lock(&seen->first);
            seen->second.append(batch);
            return true;
        });
        QString error;
        QVERIFY2(consumer.start(&error), qPrintable(error));
        auto seenCount = [seen] {
            const QMutexLocker lock(&seen->first);
            return seen->second.size();
        };
        QTRY_COMPARE_WITH_TIMEOUT(seenCount(), 2, 15000);
        const QMutexLocker lock(&seen->first);
        const KafkaRecord *back = nullptr;
        for (const KafkaRecord &record : seen->second) {
            if (record.header("message-id") == "dl-1")
                back = &record;
        }
        QVERIFY(back);
        QCOMPARE(back->key, redrivable.key);
        QCOMPARE(back->value, redrivable.value);
        QCOMPARE(back->header(KafkaDeadLetterHeaders::RedrivenFrom),
            DeadLetters + '/' + QByteArray::number(redrivable.partition) + '/'
                + QByteArray::number(redrivable.offset));
        QVERIFY(back->header("dlt-original-topic").isNull()); // no longer a dead letter
        QVERIFY(back->header("dlt-error").isNull());
    }

private:
    KafkaSettings settings() const { return KafkaSettings(m_cluster.bootstrapServers()); }

    KafkaDeadLetterWorker *makeWorker(bool readOnly)
    {
        auto *worker = new KafkaDeadLetterWorker(settings(), readOnly, 3000);
        worker->moveToThread(&m_thread);
        return worker;
    }

    // Answers are collected on this thread through a queued connection, and waited for by
    // condition: a QSignalSpy::wait() started after a fast answer (the read-only refusal
    // is immediate) would miss it and wait out its timeout.
    template<typename Answer, typename Signal, typename Ask>
    static Answer ask(KafkaDeadLetterWorker *worker, Signal signal, Ask askIt, int timeoutMs)
    {
        QObject context;
        std::optional<Answer> answer;
        QObject::connect(
            worker, signal, &context, [&answer](const Answer &a) { answer = a; }, Qt::QueuedConnection);
        QMetaObject::invokeMethod(worker, askIt);
        if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, timeoutMs))
            qWarning("no answer within %d ms", timeoutMs);
        return answer.value_or(Answer {});
    }

    KafkaDeadLetterListing list(
        KafkaDeadLetterWorker *worker, int max, const QString &topic = QString::fromUtf8(DeadLetters))
    {
        return ask<KafkaDeadLetterListing>(
            worker, &KafkaDeadLetterWorker::listed, [worker, max, topic] { worker->list(topic, max); },
            15000);
    }

    KafkaDeadLetterRedriveReport redrive(
        KafkaDeadLetterWorker *worker, const QList<KafkaDeadLetterRecord> &records)
    {
        return ask<KafkaDeadLetterRedriveReport>(
            worker, &KafkaDeadLetterWorker::redriven,
            [worker, records] { worker->redrive(QString::fromUtf8(DeadLetters), records); }, 20000);
    }

    qint64 recordsIn(const QByteArray &topic) const
    {
        const KafkaDeadLetterReader reader(settings());
        return reader.read(QString::fromUtf8(topic), 1, {}).recordsInTopic;
    }

    static const KafkaDeadLetterRecord *find(
        const KafkaDeadLetterListing &listing, const QByteArray &messageId)
    {
        for (const KafkaDeadLetterRecord &record : listing.records) {
            if (record.origin.isRedrivable() && headerOf(record.headers, "message-id") == messageId)
                return &record;
        }
        return nullptr;
    }

    static QByteArray headerOf(const KafkaHeaders &headers, const QByteArray &name)
    {
        KafkaRecord record;
        record.headers = headers;
        return record.header(name);
    }

    KafkaMockCluster m_cluster;
    QThread m_thread;
    KafkaDeadLetterWorker *m_worker = nullptr;
    KafkaDeadLetterWorker *m_readOnlyWorker = nullptr;
};

SB_TEST_GUILESS_MAIN(TestKafkaDeadLetter)
#include "tst_kafkadeadletter.moc"
