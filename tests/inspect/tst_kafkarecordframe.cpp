#include "inspect/KafkaRecordFrame.h"
#include "support/TestMain.h"

#include <QTest>

using namespace sb::inspect;
using namespace Qt::StringLiterals;
using sb::protocol::TrafficFrame;

// The one form Kafka records take in the console (the Traffic area's tail, the Kafka area's
// dead letters): what the frame says of a record, and what it keeps of its value.
class TestKafkaRecordFrame : public QObject
{
    Q_OBJECT

private slots:
    void aRecordAsTheTailShowsIt()
    {
        const QByteArray value = R"({"id":"m-1","body":"hello"})";
        KafkaRecordBytes record;
        record.topic = u"switchboard.MessageCreatedEvent"_s;
        record.partition = 2;
        record.offset = 41;
        record.timestampMs = 1733400000123;
        record.hasKey = true;
        record.key = "general";
        record.headers
            = { { "message-id", "m-0" }, { "content-type", "application/json" }, { "message-id", "m-1" } };
        record.value = value;
        const TrafficFrame frame = KafkaRecordFrame::build(record, 4096);
        QCOMPARE(frame.transport, TrafficFrame::Transport::Kafka);
        QCOMPARE(frame.direction, TrafficFrame::Direction::In);
        QCOMPARE(frame.destination, u"switchboard.MessageCreatedEvent"_s);
        QCOMPARE(frame.tsMs, qint64(1733400000123));
        const QList<TrafficFrame::Header> headers { { u"partition"_s, u"2"_s }, { u"offset"_s, u"41"_s },
            { u"key"_s, u"general"_s }, { u"message-id"_s, u"m-0"_s },
            { u"content-type"_s, u"application/json"_s }, { u"message-id"_s, u"m-1"_s } };
        QCOMPARE(frame.headers(), headers);
        QCOMPARE(frame.messageId, u"m-1"_s); // the last one, as KafkaRecord::header() reads it
        QCOMPARE(frame.body, value);
        QCOMPARE(frame.bytes, qint64(value.size()));
        QVERIFY(!frame.truncated);
        QVERIFY(frame.source.isEmpty() && frame.command.isEmpty()); // the caller's to say
    }

    void aNullKeyIsNoKeyHeaderAnEmptyOneIs()
    {
        KafkaRecordBytes record;
        QCOMPARE(KafkaRecordFrame::build(record, 10).header(u"key"_s), QString());
        QCOMPARE(KafkaRecordFrame::build(record, 10).headers().size(), qsizetype(2));
        record.hasKey = true;
        QCOMPARE(KafkaRecordFrame::build(record, 10).headers().size(), qsizetype(3));
    }

    void theBodyIsCutAtTheLimitAndSaysSo()
    {
        const QByteArray value(100, 'x');
        KafkaRecordBytes record;
        record.value = value;
        TrafficFrame frame = KafkaRecordFrame::build(record, 10);
        QCOMPARE(frame.body, QByteArray(10, 'x'));
        QCOMPARE(frame.bytes, qint64(100));
        QVERIFY(frame.truncated);
        frame = KafkaRecordFrame::build(record, 100);
        QCOMPARE(frame.body, value);
        QVERIFY(!frame.truncated);
        QVERIFY(KafkaRecordFrame::build(KafkaRecordBytes(), 0).body.isNull());
    }

    // A dead letter the listing cut to its memory bound: the full size and the cut are the
    // listing's word, even when what it kept fits the limit.
    void aValueCutBeforeSaysItsFullSize()
    {
        const QByteArray kept(64, 'v');
        KafkaRecordBytes record;
        record.value = kept;
        record.valueBytes = 5000;
        record.valueCut = true;
        record.notes = { { u"(cannot be redriven)"_s, u"its value (5000 bytes) was too large"_s } };
        const TrafficFrame frame = KafkaRecordFrame::build(record, kept.size());
        QCOMPARE(frame.body, kept);
        QCOMPARE(frame.bytes, qint64(5000));
        QVERIFY(frame.truncated);
        QCOMPARE(frame.headers().constLast().first, u"(cannot be redriven)"_s);
    }
};

SB_TEST_APPLESS_MAIN(TestKafkaRecordFrame)
#include "tst_kafkarecordframe.moc"
