#include "protocol/SseParser.h"
#include "support/TestMain.h"

#include <QTest>

using namespace sb::protocol;
using namespace Qt::StringLiterals;

namespace sb::protocol {
char *toString(const SseEvent &event)
{
    const QString text = u"SseEvent(id="_s + event.id + u" type="_s + event.type + u" data="_s
        + QString(event.data).replace(u'\n', u"\\n"_s) + u" retry="_s + QString::number(event.retryMs) + u')';
    return qstrdup(text.toUtf8().constData());
}
} // namespace sb::protocol

namespace {

QList<SseEvent> parseAll(SseParser &parser, const QByteArray &input, qsizetype chunk)
{
    QList<SseEvent> events;
    const qsizetype step = chunk > 0 ? chunk : qMax<qsizetype>(1, input.size());
    for (qsizetype offset = 0; offset < input.size(); offset += step) {
        parser.feed(QByteArrayView(input).sliced(offset, qMin(step, input.size() - offset)));
        while (const auto event = parser.next())
            events.append(*event);
    }
    return events;
}

SseEvent ev(const QString &id, const QString &type, const QString &data)
{
    return SseEvent { id, type, data, -1 };
}

} // namespace

class TestSseParser : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void retry_data();
    void retry();
    void lastEventIdPersists();
    void crlfSplitAcrossFeeds();
    void lineLimit();
    void eventLimit();
    void restartStreamKeepsLastEventId();
};

void TestSseParser::parse_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QList<SseEvent>>("expected");
    QTest::addColumn<QString>("lastEventId");

    QTest::newRow("simple") << "data: hello\n\n"_ba << QList { ev({}, u"message"_s, u"hello"_s) }
                            << QString();
    // WHATWG example: two data lines joined with LF; comment ignored; no dispatch at EOF.
    QTest::newRow("spec: stock ticker")
        << ": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\n"
           "data:  third event\n"_ba
        << QList { ev(u"1"_s, u"message"_s, u"first event"_s), ev({}, u"message"_s, u"second event"_s) }
        << QString();
    QTest::newRow("spec: two events, empty data")
        << "data\n\ndata\ndata\n\ndata:"_ba
        << QList { ev({}, u"message"_s, {}), ev({}, u"message"_s, u"\n"_s) } << QString();
    QTest::newRow("spec: space after colon optional")
        << "data:test\n\ndata: test\n\n"_ba
        << QList { ev({}, u"message"_s, u"test"_s), ev({}, u"message"_s, u"test"_s) } << QString();
    QTest::newRow("multi-line data") << "data: YHOO\ndata: +2\ndata: 10\n\n"_ba
                                     << QList { ev({}, u"message"_s, u"YHOO\n+2\n10"_s) } << QString();
    QTest::newRow("event type resets after dispatch")
        << "event: add\ndata: 73857293\n\ndata: x\n\n"_ba
        << QList { ev({}, u"add"_s, u"73857293"_s), ev({}, u"message"_s, u"x"_s) } << QString();
    QTest::newRow("CR line ends") << "id: 7\rdata: a\r\rdata: b\r\r"_ba
                                  << QList { ev(u"7"_s, u"message"_s, u"a"_s),
                                         ev(u"7"_s, u"message"_s, u"b"_s) }
                                  << u"7"_s;
    QTest::newRow("CRLF line ends") << "data: a\r\ndata: b\r\n\r\n"_ba
                                    << QList { ev({}, u"message"_s, u"a\nb"_s) } << QString();
    QTest::newRow("BOM skipped") << "\xEF\xBB\xBF"
                                    "data: a\n\n"_ba
                                 << QList { ev({}, u"message"_s, u"a"_s) } << QString();
    QTest::newRow("only first BOM skipped") << "\xEF\xBB\xBF\xEF\xBB\xBF"
                                               "data: a\n\n"_ba
                                            << QList<SseEvent> {} << QString();
    // Found by fuzz_sse_parser: QString::fromUtf8 dropped a BOM that starts a field's value,
    // so the event did not survive SseEncoder + SseParser.
    QTest::newRow("BOM inside a field is data") << "data:\xEF\xBB\xBF c\nid:\xEF\xBB\xBF"
                                                   "7\nevent:\xEF\xBB\xBF"
                                                   "t\n\n"_ba
                                                << QList { ev(u"\uFEFF"
                                                              "7"_s,
                                                       u"\uFEFF"
                                                       "t"_s,
                                                       u"\uFEFF c"_s) }
                                                << u"\uFEFF"
                                                   "7"_s;
    QTest::newRow("two BOMs in a value both kept") << "data: \xEF\xBB\xBF\xEF\xBB\xBF"
                                                      "c\n\n"_ba
                                                   << QList { ev({}, u"message"_s,
                                                          u"\uFEFF\uFEFF"
                                                          "c"_s) }
                                                   << QString();
    QTest::newRow("only one leading space stripped")
        << "data:   x \n\n"_ba << QList { ev({}, u"message"_s, u"  x "_s) } << QString();
    QTest::newRow("unknown field ignored")
        << "foo: bar\ndata: a\n\n"_ba << QList { ev({}, u"message"_s, u"a"_s) } << QString();
    QTest::newRow("field names case sensitive")
        << "Data: a\n\ndata: b\n\n"_ba << QList { ev({}, u"message"_s, u"b"_s) } << QString();
    QTest::newRow("id with NUL ignored")
        << "id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n"_ba
        << QList { ev(u"1"_s, u"message"_s, u"a"_s), ev(u"1"_s, u"message"_s, u"b"_s) } << u"1"_s;
    QTest::newRow("empty id resets") << "id: 1\ndata: a\n\nid\ndata: b\n\n"_ba
                                     << QList { ev(u"1"_s, u"message"_s, u"a"_s),
                                            ev({}, u"message"_s, u"b"_s) }
                                     << QString();
    QTest::newRow("id without data updates lastEventId") << "id: 9\n\n"_ba << QList<SseEvent> {} << u"9"_s;
    QTest::newRow("no dispatch at end of stream") << "data: a\n"_ba << QList<SseEvent> {} << QString();
    QTest::newRow("comment only") << ":ping\n:pong\n\n"_ba << QList<SseEvent> {} << QString();
    QTest::newRow("invalid UTF-8 replaced")
        << "data: a\xff\n\n"_ba << QList { ev({}, u"message"_s, u"a\uFFFD"_s) } << QString();
    QTest::newRow("colon in value kept")
        << "data: a: b\n\n"_ba << QList { ev({}, u"message"_s, u"a: b"_s) } << QString();
}

void TestSseParser::parse()
{
    QFETCH(QByteArray, input);
    QFETCH(QList<SseEvent>, expected);
    QFETCH(QString, lastEventId);
    for (const qsizetype chunk : { qsizetype(0), qsizetype(1), qsizetype(2), qsizetype(5) }) {
        SseParser parser;
        QCOMPARE(parseAll(parser, input, chunk), expected);
        QCOMPARE(parser.lastEventId(), lastEventId);
        QVERIFY(!parser.hasError());
    }
}

void TestSseParser::retry_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<qint64>("retry");
    QTest::newRow("digits") << "retry: 3000\n"_ba << qint64(3000);
    QTest::newRow("zero") << "retry:0\n"_ba << qint64(0);
    QTest::newRow("not digits ignored") << "retry: 3s\n"_ba << qint64(-1);
    QTest::newRow("negative ignored") << "retry: -1\n"_ba << qint64(-1);
    QTest::newRow("empty ignored") << "retry\n"_ba << qint64(-1);
    QTest::newRow("space inside ignored") << "retry: 1 0\n"_ba << qint64(-1);
    QTest::newRow("last valid wins") << "retry: 10\nretry: x\nretry: 20\n"_ba << qint64(20);
    QTest::newRow("absurdly long ignored") << "retry: 99999999999999999999999\n"_ba << qint64(-1);
}

void TestSseParser::retry()
{
    QFETCH(QByteArray, input);
    QFETCH(qint64, retry);
    SseParser parser;
    QVERIFY(parseAll(parser, input, 0).isEmpty());
    QCOMPARE(parser.reconnectionTimeMs(), retry);
}

void TestSseParser::lastEventIdPersists()
{
    SseParser parser;
    const auto events = parseAll(parser, "id: a\ndata: 1\n\ndata: 2\n\nevent: x\ndata: 3\n\n"_ba, 0);
    QCOMPARE(events.size(), 3);
    QCOMPARE(events.at(1).id, u"a"_s);
    QCOMPARE(events.at(2).id, u"a"_s);
    QCOMPARE(events.at(2).type, u"x"_s);
}

void TestSseParser::crlfSplitAcrossFeeds()
{
    // CR at the end of one feed and LF at the start of the next is one line end, not two
    // (two would be a blank line and dispatch too early).
    SseParser parser;
    parser.feed("data: a\r");
    QVERIFY(!parser.next());
    parser.feed("\ndata: b\r");
    QVERIFY(!parser.next());
    parser.feed("\n\r");
    const auto event = parser.next();
    QVERIFY(event);
    QCOMPARE(event->data, u"a\nb"_s);
}

void TestSseParser::lineLimit()
{
    SseParser parser(16, 1024);
    parser.feed("data: 0123456789");
    QVERIFY(!parser.next());
    QVERIFY(!parser.hasError()); // exactly 16
    parser.feed("X");
    QVERIFY(!parser.next());
    QVERIFY(parser.hasError());
    QVERIFY(parser.errorString().contains(u"longer than 16 bytes"_s));
    parser.feed("\n\ndata: a\n\n");
    QVERIFY(!parser.next()); // stays failed
}

void TestSseParser::eventLimit()
{
    SseParser parser(100, 50);
    const QByteArray line = "data: " + QByteArray(20, 'x') + '\n';
    parser.feed(QByteArray(line + line)); // 42 characters so far
    QVERIFY(!parser.next());
    QVERIFY(!parser.hasError());
    parser.feed(line);
    QVERIFY(!parser.next());
    QVERIFY(parser.hasError());
    QVERIFY(parser.errorString().contains(u"larger than 50"_s));
}

void TestSseParser::restartStreamKeepsLastEventId()
{
    SseParser parser(16, 1024);
    parser.feed("id: 5\nretry: 100\ndata: a\n\ndata: partial");
    QVERIFY(parser.next());
    parser.feed(QByteArray(100, 'x'));
    QVERIFY(!parser.next());
    QVERIFY(parser.hasError());
    parser.restartStream();
    QVERIFY(!parser.hasError());
    QCOMPARE(parser.lastEventId(), u"5"_s);
    QCOMPARE(parser.reconnectionTimeMs(), qint64(100));
    parser.feed("\xEF\xBB\xBF"
                "data: b\n\n");
    const auto event = parser.next();
    QVERIFY(event);
    QCOMPARE(event->id, u"5"_s);
    QCOMPARE(event->data, u"b"_s); // the partial line from before the restart is gone
}

SB_TEST_APPLESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"
