#include "protocol/SseEncoder.h"
#include "protocol/SseParser.h"
#include "support/TestMain.h"

#include <QTest>

using namespace sb::protocol;
using namespace Qt::StringLiterals;

class TestSseEncoder : public QObject
{
    Q_OBJECT

private slots:
    void encode_data();
    void encode();
    void comment();
    void retry();
    void roundTripThroughParser_data();
    void roundTripThroughParser();
};

void TestSseEncoder::encode_data()
{
    QTest::addColumn<SseEvent>("event");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("data only") << SseEvent { {}, {}, u"hello"_s } << "data: hello\n\n"_ba;
    QTest::newRow("all fields") << SseEvent { u"m-42"_s, u"notification"_s, u"{\"a\":1}"_s, 5000 }
                                << "id: m-42\nevent: notification\nretry: 5000\ndata: {\"a\":1}\n\n"_ba;
    QTest::newRow("multi-line data, every line break kind") << SseEvent { {}, {},
        u"one\ntwo\r\nthree\rfour"_s } << "data: one\ndata: two\ndata: three\ndata: four\n\n"_ba;
    QTest::newRow("trailing newline keeps an empty last line")
        << SseEvent { {}, {}, u"x\n"_s } << "data: x\ndata:\n\n"_ba;
    QTest::newRow("empty data still dispatches") << SseEvent {} << "data:\n\n"_ba;
    QTest::newRow("leading space survives")
        << SseEvent { {}, {}, u" indented"_s } << "data:  indented\n\n"_ba;
    QTest::newRow("newlines stripped from id and event") << SseEvent { u"1\r\nevent: evil\n"_s, u"a\nb\rc"_s,
        u"d"_s } << "id: 1event: evil\nevent: abc\ndata: d\n\n"_ba;
    QTest::newRow("NUL stripped from id")
        << SseEvent { QString(u"a\0b"_s), {}, u"d"_s } << "id: ab\ndata: d\n\n"_ba;
    QTest::newRow("UTF-8") << SseEvent { {}, u"ü"_s, u"€"_s } << "event: \xc3\xbc\ndata: \xe2\x82\xac\n\n"_ba;
    QTest::newRow("retry 0") << SseEvent { {}, {}, u"x"_s, 0 } << "retry: 0\ndata: x\n\n"_ba;
}

void TestSseEncoder::encode()
{
    QFETCH(SseEvent, event);
    QFETCH(QByteArray, expected);
    QCOMPARE(SseEncoder::encode(event), expected);
}

void TestSseEncoder::comment()
{
    QCOMPARE(SseEncoder::encodeComment(), ":\n"_ba);
    QCOMPARE(SseEncoder::encodeComment(u"keep-alive"), ":keep-alive\n"_ba);
    QCOMPARE(SseEncoder::encodeComment(u"a\nb"), ":a\n:b\n"_ba);
}

void TestSseEncoder::retry()
{
    QCOMPARE(SseEncoder::encodeRetry(3000), "retry: 3000\n\n"_ba);
    QCOMPARE(SseEncoder::encodeRetry(-5), "retry: 0\n\n"_ba);
}

void TestSseEncoder::roundTripThroughParser_data()
{
    QTest::addColumn<SseEvent>("event");
    QTest::newRow("plain") << SseEvent { u"1"_s, u"message"_s, u"hi"_s };
    QTest::newRow("multi-line") << SseEvent { u"2"_s, u"chat"_s, u"a\n\nb\n"_s };
    QTest::newRow("spaces") << SseEvent { u" 3"_s, u" t "_s, u"  x  "_s };
    QTest::newRow("colons") << SseEvent { u"a:b"_s, u"c:d"_s, u"data: nested"_s };
}

void TestSseEncoder::roundTripThroughParser()
{
    QFETCH(SseEvent, event);
    SseParser parser;
    parser.feed(SseEncoder::encodeComment(u"hello"));
    parser.feed(SseEncoder::encode(event));
    const auto parsed = parser.next();
    QVERIFY(parsed.has_value());
    QCOMPARE(*parsed, event);
    QCOMPARE(parser.commentCount(), 1);
}

SB_TEST_APPLESS_MAIN(TestSseEncoder)
#include "tst_sseencoder.moc"
