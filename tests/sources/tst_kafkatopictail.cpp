#include "cluster/KafkaHandles.h"
#include "cluster/KafkaMockCluster.h"
#include "inspect/KafkaAdminClient.h"
#include "inspect/KafkaTopicTail.h"
#include "sources/SourceOnThread.h"
#include "support/TestMain.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTest>

using sb::cluster::KafkaHandle;
using sb::cluster::KafkaMockCluster;
using sb::inspect::KafkaAdminClient;
using sb::inspect::KafkaTopicTail;
using sb::inspect::KafkaTopicTailSettings;
using sb::protocol::TrafficFrame;
using Tail = sb::testing::SourceOnThread<KafkaTopicTail>;
using TailState = KafkaTopicTail::State;
using StartFrom = KafkaTopicTailSettings::StartFrom;

namespace {

struct Produced
{
    int partition = 0;
    QByteArray value;
    QByteArray messageId; // empty: no message-id header
    QByteArray key;
    qint64 timestampMs = 0; // 0: the producer's clock
};

// "topic [p] offset" of each frame, from its headers.
QStringList positions(const QList<TrafficFrame> &frames)
{
    QStringList out;
    for (const TrafficFrame &frame : frames)
        out << frame.destination + u" [" + frame.header(QStringLiteral("partition")) + u"] "
                + frame.header(QStringLiteral("offset"));
    return out;
}

QList<QByteArray> bodies(const QList<TrafficFrame> &frames)
{
    QList<QByteArray> out;
    for (const TrafficFrame &frame : frames)
        out << frame.body;
    return out;
}

bool waitFor(const std::function<bool()> &condition, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!condition() && !deadline.hasExpired())
        QTest::qWait(10);
    return condition();
}

} // namespace

// KafkaTopicTail against librdkafka's mock cluster: every partition of a 3-partition topic
// from latest, earliest, an offset and a time; the frame's partition, offset, key, record
// headers and message id (records also produced by kcat, an independent client); bounded
// batches; an unknown topic and brokers going down and back as states; and the proof that
// it never joins or commits a consumer group.
class TestKafkaTopicTail : public QObject
{
    Q_OBJECT

private:
    KafkaMockCluster m_cluster;
    KafkaHandle m_producer;

    void produce(const QByteArray &topic, const QList<Produced> &records)
    {
        for (const Produced &r : records) {
            rd_kafka_headers_t *headers = rd_kafka_headers_new(2);
            if (!r.messageId.isEmpty())
                rd_kafka_header_add(headers, "message-id", -1, r.messageId.constData(), r.messageId.size());
            rd_kafka_header_add(headers, "x-trace", -1, "t-1", 3);
            const rd_kafka_resp_err_t err = rd_kafka_producev(m_producer.get(),
                RD_KAFKA_V_TOPIC(topic.constData()), RD_KAFKA_V_PARTITION(r.partition),
                RD_KAFKA_V_VALUE(const_cast<char *>(r.value.constData()), size_t(r.value.size())),
                RD_KAFKA_V_KEY(r.key.isNull() ? nullptr : r.key.constData(), size_t(r.key.size())),
                RD_KAFKA_V_TIMESTAMP(r.timestampMs), RD_KAFKA_V_HEADERS(headers),
                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
            if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
                rd_kafka_headers_destroy(headers); // else the message owns them
            QCOMPARE(err, RD_KAFKA_RESP_ERR_NO_ERROR);
        }
        QCOMPARE(rd_kafka_flush(m_producer.get(), 10000), RD_KAFKA_RESP_ERR_NO_ERROR);
    }

    // `count` records per partition, values "<prefix>-<partition>-<i>".
    void produceEach(const QByteArray &topic, const QByteArray &prefix, int count, qint64 timestampMs = 0)
    {
        QList<Produced> records;
        for (int p = 0; p < 3; ++p) {
            for (int i = 0; i < count; ++i) {
                const QByteArray value = prefix + '-' + QByteArray::number(p) + '-' + QByteArray::number(i);
                records.append({ p, value, "id-" + value, "key-" + QByteArray::number(p), timestampMs });
            }
        }
        produce(topic, records);
    }

    void createTopic(const QByteArray &topic)
    {
        QString error;
        QVERIFY2(m_cluster.createTopic(topic, 3, &error), qPrintable(error));
    }

    KafkaTopicTailSettings settings(const QString &topic) const
    {
        KafkaTopicTailSettings s;
        s.kafka.setBootstrapServers(m_cluster.bootstrapServers());
        s.topics = QStringList { topic };
        s.retryMin = std::chrono::milliseconds(100);
        s.retryMax = std::chrono::milliseconds(500);
        return s;
    }

    static bool waitLive(Tail &tail)
    {
        return waitFor([&tail] { return tail.state() == TailState::Live; }, 15000);
    }

    // Committed offsets the cluster holds for `group` on `topic` (OffsetFetch), via a client
    // that is no group member; false if the cluster could not answer.
    bool committedOffsets(
        const QByteArray &group, const QString &topic, KafkaAdminClient::PartitionOffsets *out)
    {
        KafkaAdminClient admin(3000);
        QString error;
        if (!admin.open(sb::cluster::KafkaSettings(m_cluster.bootstrapServers()), &error))
            return false;
        admin.requestCommittedOffsets({ QString::fromUtf8(group) }, { { topic, 3 } });
        const auto answers = admin.collectCommittedOffsets();
        const auto it = answers.constFind(QString::fromUtf8(group));
        if (it == answers.cend() || !it->error.isEmpty())
            return false;
        *out = it->committed;
        return true;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_cluster.start(3, &error), qPrintable(error));
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        char reason[256];
        rd_kafka_conf_set(
            conf, "bootstrap.servers", m_cluster.bootstrapServers().constData(), reason, sizeof reason);
        m_producer.reset(rd_kafka_new(RD_KAFKA_PRODUCER, conf, reason, sizeof reason));
        QVERIFY2(m_producer, reason);
    }

    void fromLatestOnlyNewRecords()
    {
        createTopic("latest");
        produceEach("latest", "old", 2);
        Tail tail(settings(QStringLiteral("latest")));
        tail.start();
        QVERIFY2(waitLive(tail), qPrintable(tail.history()));
        QCOMPARE(tail.source()->assignedPartitions(), 3);

        const qint64 stamp = QDateTime::currentMSecsSinceEpoch() - 5000;
        produce("latest",
            { { 0, "new-0", "mid-0", "k0", stamp }, { 1, "new-1", "mid-1", "k1", stamp + 1 },
                { 2, "new-2", {}, {}, stamp + 2 } });
        // Within a partition records come in offset order: an older record would be here by now.
        QTRY_COMPARE_WITH_TIMEOUT(tail.frames.size(), 3, 15000);
        std::sort(tail.frames.begin(), tail.frames.end(),
            [](const TrafficFrame &a, const TrafficFrame &b) { return a.body < b.body; });
        QCOMPARE(bodies(tail.frames), (QList<QByteArray> { "new-0", "new-1", "new-2" }));
        QCOMPARE(positions(tail.frames),
            (QStringList { QStringLiteral("latest [0] 2"), QStringLiteral("latest [1] 2"),
                QStringLiteral("latest [2] 2") }));
        const TrafficFrame &first = tail.frames.at(0);
        QCOMPARE(first.transport, TrafficFrame::Transport::Kafka);
        QCOMPARE(first.direction, TrafficFrame::Direction::In);
        QCOMPARE(first.command, QStringLiteral("RECORD"));
        QCOMPARE(first.source, QStringLiteral("kafka"));
        QCOMPARE(first.destination, QStringLiteral("latest"));
        QCOMPARE(first.messageId, QStringLiteral("mid-0"));
        QCOMPARE(first.header(QStringLiteral("message-id")), QStringLiteral("mid-0"));
        QCOMPARE(first.header(QStringLiteral("x-trace")), QStringLiteral("t-1"));
        QCOMPARE(first.header(QStringLiteral("key")), QStringLiteral("k0"));
        QCOMPARE(first.tsMs, stamp);
        QCOMPARE(first.bytes, 5);
        QVERIFY(!first.truncated);
        QCOMPARE(tail.frames.at(1).tsMs, stamp + 1);
        const TrafficFrame &keyless = tail.frames.at(2);
        QVERIFY(keyless.messageId.isEmpty());
        QVERIFY(!keyless.headerBlock.contains("key:"));
        QVERIFY(!keyless.headerBlock.contains("message-id"));
    }

    void recordsFromKcat()
    {
        createTopic("kcat");
        KafkaTopicTailSettings s = settings(QStringLiteral("kcat"));
        s.bodyLimit = 10;
        Tail tail(s);
        tail.start();
        QVERIFY2(waitLive(tail), qPrintable(tail.history()));

        const QString kcat = QStandardPaths::findExecutable(QStringLiteral("kcat"));
        QVERIFY2(!kcat.isEmpty(), "kcat is not installed (scripts/setup.sh installs it)");
        QProcess process;
        process.start(kcat,
            { QStringLiteral("-b"), QString::fromUtf8(m_cluster.bootstrapServers()), QStringLiteral("-P"),
                QStringLiteral("-t"), QStringLiteral("kcat"), QStringLiteral("-p"), QStringLiteral("1"),
                QStringLiteral("-k"), QStringLiteral("room-9"), QStringLiteral("-H"),
                QStringLiteral("message-id=kc-77"), QStringLiteral("-H"), QStringLiteral("origin=kcat") });
        QVERIFY(process.waitForStarted(10000));
        process.write("a value longer than ten bytes\n");
        process.closeWriteChannel();
        QVERIFY(process.waitForFinished(15000));
        QCOMPARE(process.exitCode(), 0);

        QTRY_COMPARE_WITH_TIMEOUT(tail.frames.size(), 1, 15000);
        const TrafficFrame &frame = tail.frames.first();
        QCOMPARE(frame.messageId, QStringLiteral("kc-77"));
        QCOMPARE(frame.header(QStringLiteral("origin")), QStringLiteral("kcat"));
        QCOMPARE(frame.header(QStringLiteral("key")), QStringLiteral("room-9"));
        QCOMPARE(frame.header(QStringLiteral("partition")), QStringLiteral("1"));
        QCOMPARE(frame.header(QStringLiteral("offset")), QStringLiteral("0"));
        QCOMPARE(frame.bytes, qint64(QByteArray("a value longer than ten bytes").size()));
        QCOMPARE(frame.body, QByteArray("a value lo"));
        QVERIFY(frame.truncated);
    }

    void fromEarliestAndOffsets_data()
    {
        QTest::addColumn<int>("startFrom");
        QTest::addColumn<qint64>("offset");
        QTest::addColumn<int>("expectedPerPartition"); // of the 4 already there
        QTest::newRow("earliest") << int(StartFrom::Earliest) << qint64(0) << 4;
        QTest::newRow("offset 0") << int(StartFrom::Offset) << qint64(0) << 4;
        QTest::newRow("offset 3") << int(StartFrom::Offset) << qint64(3) << 1;
        QTest::newRow("offset past the end") << int(StartFrom::Offset) << qint64(1000) << 0;
    }

    void fromEarliestAndOffsets()
    {
        QFETCH(int, startFrom);
        QFETCH(qint64, offset);
        QFETCH(int, expectedPerPartition);
        const QByteArray topic = "offsets-" + QByteArray(QTest::currentDataTag()).replace(' ', '-');
        createTopic(topic);
        produceEach(topic, "r", 4);
        KafkaTopicTailSettings s = settings(QString::fromUtf8(topic));
        s.startFrom = StartFrom(startFrom);
        s.startOffset = offset;
        Tail tail(s);
        tail.start();
        QVERIFY2(waitLive(tail), qPrintable(tail.history()));
        // One more per partition after Live: it marks the end of what was there.
        produceEach(topic, "after", 1);
        // In offset order per partition: once every "after" record is here, so is anything before it.
        QTRY_COMPARE_WITH_TIMEOUT(tail.frames.size(), 3 * (expectedPerPartition + 1), 15000);
        for (int p = 0; p < 3; ++p) {
            QList<QByteArray> expected;
            QStringList offsets;
            for (int i = 4 - expectedPerPartition; i < 4; ++i) {
                expected << "r-" + QByteArray::number(p) + '-' + QByteArray::number(i);
                offsets << QString::number(i);
            }
            expected << "after-" + QByteArray::number(p) + "-0";
            offsets << QStringLiteral("4");
            QList<QByteArray> got;
            QStringList gotOffsets;
            for (const TrafficFrame &frame : std::as_const(tail.frames)) {
                if (frame.header(QStringLiteral("partition")) == QString::number(p)) {
                    got << frame.body;
                    gotOffsets << frame.header(QStringLiteral("offset"));
                }
            }
            QCOMPARE(got, expected); // in offset order within the partition
            QCOMPARE(gotOffsets, offsets);
        }
    }

    void fromTime()
    {
        createTopic("by-time");
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        produceEach("by-time", "hour-ago", 2, now - 3600 * 1000);
        produceEach("by-time", "minute-ago", 2, now - 60 * 1000);
        KafkaTopicTailSettings s = settings(QStringLiteral("by-time"));
        s.startFrom = StartFrom::Time;
        s.startTimeMs = now - 30 * 60 * 1000;
        Tail tail(s);
        tail.start();
        QVERIFY2(waitLive(tail), qPrintable(tail.history()));
        produceEach("by-time", "live", 1);
        QTRY_COMPARE_WITH_TIMEOUT(tail.frames.size(), 9, 15000);
        for (const TrafficFrame &frame : std::as_const(tail.frames)) {
            QVERIFY2(!frame.body.startsWith("hour-ago"), frame.body.constData());
            QVERIFY(frame.tsMs >= s.startTimeMs);
        }
        QStringList minuteAgo;
        for (const TrafficFrame &frame : std::as_const(tail.frames)) {
            if (frame.body.startsWith("minute-ago"))
                minuteAgo << frame.header(QStringLiteral("partition")) + u':'
                        + frame.header(QStringLiteral("offset"));
        }
        minuteAgo.sort();
        QCOMPARE(minuteAgo,
            (QStringList { QStringLiteral("0:2"), QStringLiteral("0:3"), QStringLiteral("1:2"),
                QStringLiteral("1:3"), QStringLiteral("2:2"), QStringLiteral("2:3") }));
    }

    void batchesAreBounded()
    {
        createTopic("bulk");
        QList<Produced> records;
        for (int i = 0; i < 1500; ++i)
            records.append({ i % 3, QByteArray::number(i), {}, {}, 0 });
        produce("bulk", records);
        KafkaTopicTailSettings s = settings(QStringLiteral("bulk"));
        s.startFrom = StartFrom::Earliest;
        s.maxBatchFrames = 100;
        Tail tail(s);
        tail.start();
        QTRY_COMPARE_WITH_TIMEOUT(tail.frames.size(), 1500, 20000);
        QVERIFY(tail.batchSizes.size() >= 15);
        for (qsizetype size : std::as_const(tail.batchSizes))
            QVERIFY2(size >= 1 && size <= 100, QByteArray::number(size).constData());
        // Within a partition, in offset order.
        QHash<QString, qint64> last;
        for (const TrafficFrame &frame : std::as_const(tail.frames)) {
            const QString partition = frame.header(QStringLiteral("partition"));
            const qint64 offset = frame.header(QStringLiteral("offset")).toLongLong();
            QCOMPARE(offset, last.value(partition, -1) + 1);
            last[partition] = offset;
        }
    }

    // Tailing must not disturb anyone: no group joined (which would rebalance) and no offset
    // committed (which would move a group). OffsetFetch for the tail's group id, from a
    // client that is no member, finds nothing: a subscribe()+commit tail would show offsets.
    void neverJoinsOrCommits()
    {
        createTopic("quiet");
        produceEach("quiet", "before", 3);
        KafkaTopicTailSettings s = settings(QStringLiteral("quiet"));
        s.startFrom = StartFrom::Earliest;
        auto tail = std::make_unique<Tail>(s);
        const QByteArray group = tail->source()->groupId();
        QVERIFY2(group.startsWith("switchboard-tail-"), group.constData());
        QVERIFY(Tail(s).source()->groupId() != group); // throwaway: one per tail
        tail->start();
        QTRY_COMPARE_WITH_TIMEOUT(tail->frames.size(), 9, 15000);
        produceEach("quiet", "during", 1);
        QTRY_COMPARE_WITH_TIMEOUT(tail->frames.size(), 12, 15000);

        KafkaAdminClient::PartitionOffsets committed;
        QVERIFY(committedOffsets(group, QStringLiteral("quiet"), &committed));
        QVERIFY2(committed.isEmpty(), qPrintable(QString::number(committed.size())));
        // Nor when it stops (a consumer close would commit what auto-commit stored).
        tail->stop();
        QTRY_COMPARE_WITH_TIMEOUT(tail->state(), TailState::Stopped, 10000);
        tail.reset();
        QVERIFY(committedOffsets(group, QStringLiteral("quiet"), &committed));
        QVERIFY2(committed.isEmpty(), qPrintable(QString::number(committed.size())));

        // The check itself sees a commit: a named group that committed shows its offsets.
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        char reason[256];
        rd_kafka_conf_set(
            conf, "bootstrap.servers", m_cluster.bootstrapServers().constData(), reason, sizeof reason);
        rd_kafka_conf_set(conf, "group.id", "committer", reason, sizeof reason);
        const KafkaHandle committer(rd_kafka_new(RD_KAFKA_CONSUMER, conf, reason, sizeof reason));
        QVERIFY(committer);
        sb::cluster::KafkaPartitionList list(rd_kafka_topic_partition_list_new(1));
        rd_kafka_topic_partition_list_add(list.get(), "quiet", 0)->offset = 2;
        QCOMPARE(rd_kafka_commit(committer.get(), list.get(), 0), RD_KAFKA_RESP_ERR_NO_ERROR);
        QVERIFY(committedOffsets("committer", QStringLiteral("quiet"), &committed));
        QCOMPARE(committed.value({ QStringLiteral("quiet"), 0 }, -1), 2);
    }

    void unknownTopicIsAnErrorUntilItExists()
    {
        Tail tail(settings(QStringLiteral("not-yet")));
        tail.start();
        QTRY_VERIFY2_WITH_TIMEOUT(
            tail.saw(TailState::Error, QStringLiteral("topic 'not-yet' does not exist")),
            qPrintable(tail.history()), 15000);
        QVERIFY2(tail.reason().contains(u"retrying in"), qPrintable(tail.reason()));
        QVERIFY(!tail.saw(TailState::Live));
        createTopic("not-yet");
        QVERIFY2(waitLive(tail), qPrintable(tail.history()));
        produceEach("not-yet", "finally", 1);
        QTRY_COMPARE_WITH_TIMEOUT(tail.frames.size(), 3, 15000);
    }

    void brokersDownAndBack()
    {
        // A cluster of its own: the others' tests keep theirs up.
        KafkaMockCluster cluster;
        QString error;
        QVERIFY2(cluster.start(1, &error), qPrintable(error));
        QVERIFY2(cluster.createTopic("outage", 3, &error), qPrintable(error));
        KafkaTopicTailSettings s = settings(QStringLiteral("outage"));
        s.kafka.setBootstrapServers(cluster.bootstrapServers());
        Tail tail(s);
        tail.start();
        QVERIFY2(waitLive(tail), qPrintable(tail.history()));

        QVERIFY(cluster.setBrokersDown());
        QTRY_VERIFY2_WITH_TIMEOUT(tail.state() == TailState::Error, qPrintable(tail.history()), 30000);
        QVERIFY2(tail.reason().contains(u"Kafka unreachable"), qPrintable(tail.reason()));
        tail.states.clear();
        QVERIFY(cluster.setBrokersUp());
        QVERIFY2(waitLive(tail), qPrintable(tail.history()));

        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        char reason[256];
        rd_kafka_conf_set(
            conf, "bootstrap.servers", cluster.bootstrapServers().constData(), reason, sizeof reason);
        const KafkaHandle producer(rd_kafka_new(RD_KAFKA_PRODUCER, conf, reason, sizeof reason));
        QCOMPARE(rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC("outage"), RD_KAFKA_V_PARTITION(2),
                     RD_KAFKA_V_VALUE(const_cast<char *>("back"), size_t(4)), RD_KAFKA_V_END),
            RD_KAFKA_RESP_ERR_NO_ERROR);
        QCOMPARE(rd_kafka_flush(producer.get(), 10000), RD_KAFKA_RESP_ERR_NO_ERROR);
        QTRY_COMPARE_WITH_TIMEOUT(tail.frames.size(), 1, 15000);
        QCOMPARE(tail.frames.first().body, QByteArray("back"));
    }

    void unreachableIsAnError()
    {
        // A loopback port nobody listens on: refused at once, reported, retried.
        KafkaTopicTailSettings s = settings(QStringLiteral("any"));
        s.kafka.setBootstrapServers("127.0.0.1:1");
        Tail tail(s);
        tail.start();
        QTRY_VERIFY2_WITH_TIMEOUT(
            tail.saw(TailState::Error, QStringLiteral("cannot reach Kafka at 127.0.0.1:1")),
            qPrintable(tail.history()), 15000);
        QVERIFY2(tail.reason().contains(u"retrying in"), qPrintable(tail.reason()));
        tail.stop();
        QTRY_COMPARE_WITH_TIMEOUT(tail.state(), TailState::Stopped, 5000);
    }

    void silentBrokerThenStopIsPrompt()
    {
        // A listener that accepts and never answers: each lookup waits its whole request
        // timeout, and stop() still takes effect within about one of them.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        KafkaTopicTailSettings s = settings(QStringLiteral("any"));
        s.kafka.setBootstrapServers("127.0.0.1:" + QByteArray::number(silent.serverPort()));
        s.requestTimeoutMs = 1000;
        Tail tail(s);
        QElapsedTimer clock;
        clock.start();
        tail.start();
        QTRY_VERIFY_WITH_TIMEOUT(silent.hasPendingConnections(), 5000);
        QTRY_VERIFY2_WITH_TIMEOUT(
            tail.saw(
                TailState::Error, u"cannot reach Kafka at 127.0.0.1:" + QString::number(silent.serverPort())),
            qPrintable(tail.history()), 15000);
        // The first lookup gave up after its request timeout (1 s), not librdkafka's own (10 s or more).
        QVERIFY2(clock.elapsed() < 4000, QByteArray::number(clock.elapsed()).constData());
        // Now waiting out the back-off (100 ms) or blocked in the next lookup (up to a second).
        clock.restart();
        tail.stop();
        QTRY_COMPARE_WITH_TIMEOUT(tail.state(), TailState::Stopped, 10000);
        QVERIFY2(clock.elapsed() < 3000, QByteArray::number(clock.elapsed()).constData());
    }

    void stopIsPromptWhileLive()
    {
        createTopic("prompt");
        Tail tail(settings(QStringLiteral("prompt")));
        tail.start();
        QVERIFY2(waitLive(tail), qPrintable(tail.history()));
        QElapsedTimer clock;
        clock.start();
        tail.stop();
        QTRY_COMPARE_WITH_TIMEOUT(tail.state(), TailState::Stopped, 5000);
        // Well under the 5 s a blocking poll would take to notice.
        QVERIFY2(clock.elapsed() < 3000, QByteArray::number(clock.elapsed()).constData());
        // And it can start again.
        tail.start();
        QVERIFY2(waitLive(tail), qPrintable(tail.history()));
        produceEach("prompt", "again", 1);
        QTRY_COMPARE_WITH_TIMEOUT(tail.frames.size(), 3, 15000);
    }
};

SB_TEST_GUILESS_MAIN(TestKafkaTopicTail)
#include "tst_kafkatopictail.moc"
