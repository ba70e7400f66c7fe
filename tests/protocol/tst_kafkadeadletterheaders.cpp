#include "protocol/KafkaDeadLetterHeaders.h"
#include "support/TestMain.h"

#include <QTest>

using sb::protocol::KafkaDeadLetterHeaders;
using Headers = KafkaDeadLetterHeaders::Headers;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(Headers)

// The dead-letter headers the node writes (KafkaStage1Relay::deadLetter; tst_kafkaeventbus
// checks it writes these names) read back, and every way a hostile record can get them wrong.
class TestKafkaDeadLetterHeaders : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decodesWhatTheNodeWrites()
    {
        const Headers headers { { "message-id", "m-1" },
            { "dlt-original-topic", "switchboard.MessageCreatedEvent" }, { "dlt-original-partition", "2" },
            { "dlt-original-offset", "9223372036854775807" }, { "dlt-error", "database says no" } };
        const auto origin = KafkaDeadLetterHeaders::decode(headers);
        QCOMPARE(origin.topic, QStringLiteral("switchboard.MessageCreatedEvent"));
        QCOMPARE(origin.partition, 2);
        QCOMPARE(origin.offset, std::numeric_limits<qint64>::max());
        QCOMPARE(origin.error, QStringLiteral("database says no"));
        QVERIFY2(origin.isRedrivable(), qPrintable(origin.problem));
        QVERIFY(origin.note.isEmpty());
    }

    void hostileHeaders_data()
    {
        QTest::addColumn<Headers>("headers");
        QTest::addColumn<bool>("redrivable");
        QTest::addColumn<QString>("topic");
        QTest::addColumn<int>("partition");
        QTest::addColumn<qint64>("offset");
        QTest::addColumn<QString>("problem"); // a word the problem or note must hold

        QTest::newRow("no headers") << Headers {} << false << QString() << -1 << qint64(-1)
                                    << "no dlt-original-topic";
        QTest::newRow("empty topic") << Headers { { "dlt-original-topic", "" } } << false << QString() << -1
                                     << qint64(-1) << "not a legal topic";
        QTest::newRow("topic with a slash") << Headers { { "dlt-original-topic", "a/b" } } << false
                                            << QString() << -1 << qint64(-1) << "not a legal topic";
        QTest::newRow("topic with NUL") << Headers { { "dlt-original-topic", QByteArray("a\0b", 3) } }
                                        << false << QString() << -1 << qint64(-1) << "not a legal topic";
        QTest::newRow("topic dot") << Headers { { "dlt-original-topic", ".." } } << false << QString() << -1
                                   << qint64(-1) << "not a legal topic";
        QTest::newRow("topic too long") << Headers { { "dlt-original-topic", QByteArray(250, 'a') } } << false
                                        << QString() << -1 << qint64(-1) << "not a legal topic";
        QTest::newRow("topic 249 long") << Headers { { "dlt-original-topic", QByteArray(249, 'a') } } << true
                                        << QString(249, u'a') << -1 << qint64(-1) << "";
        QTest::newRow("topic non-UTF-8") << Headers { { "dlt-original-topic", "t\xff\xfe" } } << false
                                         << QString() << -1 << qint64(-1) << "not a legal topic";
        QTest::newRow("into a DLT again") << Headers { { "dlt-original-topic", "x.DLT" } } << false << "x.DLT"
                                          << -1 << qint64(-1) << "itself a dead-letter topic";
        QTest::newRow("negative partition")
            << Headers { { "dlt-original-topic", "t" }, { "dlt-original-partition", "-1" } } << true << "t"
            << -1 << qint64(-1) << "not a partition number";
        QTest::newRow("partition overflow")
            << Headers { { "dlt-original-topic", "t" }, { "dlt-original-partition", "2147483648" } } << true
            << "t" << -1 << qint64(-1) << "not a partition number";
        QTest::newRow("partition with spaces")
            << Headers { { "dlt-original-topic", "t" }, { "dlt-original-partition", " 1" } } << true << "t"
            << -1 << qint64(-1) << "not a partition number";
        QTest::newRow("partition hex")
            << Headers { { "dlt-original-topic", "t" }, { "dlt-original-partition", "0x1" } } << true << "t"
            << -1 << qint64(-1) << "not a partition number";
        QTest::newRow("offset overflow")
            << Headers { { "dlt-original-topic", "t" }, { "dlt-original-offset", "9223372036854775808" } }
            << true << "t" << -1 << qint64(-1) << "not an offset";
        QTest::newRow("offset 40 digits")
            << Headers { { "dlt-original-topic", "t" }, { "dlt-original-offset", QByteArray(40, '9') } }
            << true << "t" << -1 << qint64(-1) << "not an offset";
        QTest::newRow("offset empty")
            << Headers { { "dlt-original-topic", "t" }, { "dlt-original-offset", "" } } << true << "t" << -1
            << qint64(-1) << "not an offset";
        QTest::newRow("repeated: the last wins")
            << Headers { { "dlt-original-topic", "first" }, { "dlt-original-partition", "1" },
                   { "dlt-original-topic", "second" }, { "dlt-original-partition", "3" } }
            << true << "second" << 3 << qint64(-1) << "";
        QTest::newRow("repeated: a bad last one wins")
            << Headers { { "dlt-original-topic", "good" }, { "dlt-original-topic", "bad topic" } } << false
            << QString() << -1 << qint64(-1) << "not a legal topic";
        QTest::newRow("name differs in case") << Headers { { "DLT-ORIGINAL-TOPIC", "t" } } << false
                                              << QString() << -1 << qint64(-1) << "no dlt-original-topic";
    }

    void hostileHeaders()
    {
        QFETCH(Headers, headers);
        QFETCH(bool, redrivable);
        QFETCH(QString, topic);
        QFETCH(int, partition);
        QFETCH(qint64, offset);
        QFETCH(QString, problem);
        const auto origin = KafkaDeadLetterHeaders::decode(headers);
        QCOMPARE(origin.isRedrivable(), redrivable);
        QCOMPARE(origin.topic, topic);
        QCOMPARE(origin.partition, partition);
        QCOMPARE(origin.offset, offset);
        const QString said = origin.problem + u" | " + origin.note;
        QVERIFY2(said.contains(problem), qPrintable(said));
        if (problem.isEmpty())
            QVERIFY2(origin.problem.isEmpty() && origin.note.isEmpty(), qPrintable(said));
    }

    void oversizedAndBrokenErrorIsCutAndReadable()
    {
        QByteArray huge(1 << 20, 'e');
        huge.prepend("\xc3\x28"); // an invalid UTF-8 sequence first
        const auto origin
            = KafkaDeadLetterHeaders::decode({ { "dlt-original-topic", "t" }, { "dlt-error", huge } });
        QCOMPARE(origin.error.size(), KafkaDeadLetterHeaders::kMaxErrorChars);
        QVERIFY(origin.error.contains(QChar::ReplacementCharacter));
        QVERIFY(origin.isRedrivable());
    }

    void theWrittenErrorReadsBackCutOnACharacter_data()
    {
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("readBack");
        const QString accents = u"x"_s + QString(2000, QChar(0xe9)); // the 1,024th byte splits an é
        QTest::newRow("two-byte characters")
            << accents << accents.left(KafkaDeadLetterHeaders::kMaxErrorChars);
        const QString emoji = QString(KafkaDeadLetterHeaders::kMaxErrorChars - 1, u'a') + u"\U0001F600tail"_s;
        QTest::newRow("a surrogate pair at the cut")
            << emoji << QString(KafkaDeadLetterHeaders::kMaxErrorChars - 1, u'a');
        QTest::newRow("short") << u"poison: not JSON"_s << u"poison: not JSON"_s;
    }

    void theWrittenErrorReadsBackCutOnACharacter()
    {
        QFETCH(QString, error);
        QFETCH(QString, readBack);
        const QByteArray value = KafkaDeadLetterHeaders::errorValue(error);
        QVERIFY(value.isValidUtf8());
        const auto origin
            = KafkaDeadLetterHeaders::decode({ { "dlt-original-topic", "t" }, { "dlt-error", value } });
        QCOMPARE(origin.error, readBack);
    }

    void redriveHeadersDropTheDeadLetteringAndSayWhereFrom()
    {
        const Headers in { { "message-id", "m-1" }, { "dlt-original-topic", "t" },
            { "x-redriven-from", "old/0/1" }, { "traceparent", "00-ab-cd-01" }, { "dlt-error", "no" },
            { "dlt-original-offset", "4" } };
        const Headers out = KafkaDeadLetterHeaders::redriveHeaders(in, "t.DLT", 2, 17);
        const Headers expected { { "message-id", "m-1" }, { "traceparent", "00-ab-cd-01" },
            { "x-redriven-from", "t.DLT/2/17" } };
        QCOMPARE(out, expected);
    }
};

SB_TEST_APPLESS_MAIN(TestKafkaDeadLetterHeaders)
#include "tst_kafkadeadletterheaders.moc"
