#include "protocol/TrafficFilter.h"
#include "support/TestMain.h"

#include <QTest>

using namespace sb::protocol;
using namespace Qt::StringLiterals;

namespace {

TrafficFrame sampleFrame()
{
    TrafficFrame frame;
    frame.tsMs = 1700000000000;
    frame.source = u"node-2"_s;
    frame.transport = TrafficFrame::Transport::Stomp;
    frame.direction = TrafficFrame::Direction::Out;
    frame.command = u"MESSAGE"_s;
    frame.destination = u"/topic/channels.general"_s;
    frame.user = u"alice"_s;
    frame.session = u"s-42"_s;
    frame.messageId = u"m-0001-abc"_s;
    frame.bytes = 321;
    frame.setHeaders({ { u"subscription"_s, u"sub-0"_s }, { u"content-type"_s, u"application/json"_s } });
    frame.body = R"({"text":"Hello Wörld","author":"bob"})"_ba;
    return frame;
}

} // namespace

class TestTrafficFilter : public QObject
{
    Q_OBJECT

private slots:
    void matches_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<bool>("expected");

        QTest::newRow("empty matches all") << QString() << true;
        QTest::newRow("blank matches all") << u"   "_s << true;
        QTest::newRow("word in command") << u"message"_s << true;
        QTest::newRow("word in body, any case") << u"wÖrld"_s << true;
        QTest::newRow("word in header value") << u"sub-0"_s << true;
        QTest::newRow("word nowhere") << u"carol"_s << false;
        QTest::newRow("two words, both") << u"alice general"_s << true;
        QTest::newRow("two words, one missing") << u"alice carol"_s << false;
        QTest::newRow("quoted phrase") << u"\"Hello Wörld\""_s << true;
        QTest::newRow("quoted phrase absent") << u"\"Hello there\""_s << false;
        QTest::newRow("quoted with escaped quote") << u"\"\\\"text\\\"\""_s << true;
        QTest::newRow("source field") << u"source:node-2"_s << true;
        QTest::newRow("replica alias") << u"replica:node-1"_s << false;
        QTest::newRow("exact command") << u"command=MESSAGE"_s << true;
        QTest::newRow("exact command is whole") << u"command=MESS"_s << false;
        QTest::newRow("contains command") << u"cmd:mess"_s << true;
        QTest::newRow("transport") << u"transport:stomp"_s << true;
        QTest::newRow("transport other") << u"transport=sse"_s << false;
        QTest::newRow("dir") << u"dir=out"_s << true;
        QTest::newRow("dir in") << u"dir=in"_s << false;
        QTest::newRow("destination path") << u"dest:/topic/channels.general"_s << true;
        QTest::newRow("user") << u"user=alice"_s << true;
        QTest::newRow("session") << u"session:s-4"_s << true;
        QTest::newRow("id") << u"id:abc"_s << true;
        QTest::newRow("messageId alias") << u"messageId=m-0001-abc"_s << true;
        QTest::newRow("body") << u"body:author"_s << true;
        QTest::newRow("body not in command") << u"body:MESSAGE"_s << false;
        QTest::newRow("header by name") << u"header.subscription:sub-0"_s << true;
        QTest::newRow("header name any case") << u"header.Content-Type:json"_s << true;
        QTest::newRow("header absent") << u"header.receipt:x"_s << false;
        QTest::newRow("bytes >") << u"bytes>300"_s << true;
        QTest::newRow("bytes > false") << u"bytes>321"_s << false;
        QTest::newRow("bytes >=") << u"bytes>=321"_s << true;
        QTest::newRow("bytes <") << u"bytes<100"_s << false;
        QTest::newRow("bytes <=") << u"bytes<=321"_s << true;
        QTest::newRow("bytes =") << u"bytes=321"_s << true;
        QTest::newRow("regex any") << u"/m-\\d{4}-/"_s << true;
        QTest::newRow("regex any, spaces inside") << u"/Hello W.rld/"_s << true;
        QTest::newRow("regex field") << u"dest:/^\\/topic\\//"_s << true;
        QTest::newRow("regex field no") << u"user:/^bob$/"_s << false;
        QTest::newRow("regex case-insensitive") << u"/hello/"_s << true;
        QTest::newRow("negated word") << u"-carol"_s << true;
        QTest::newRow("negated present") << u"-alice"_s << false;
        QTest::newRow("negated field") << u"-transport=sse"_s << true;
        QTest::newRow("negated regex") << u"-/^MESSAGE$/"_s << false;
        QTest::newRow("quoted field value") << u"dest=\"/topic/channels.general\""_s << true;
        QTest::newRow("quoted value is not a regex") << u"dest:\"/topic/\""_s << true;
        QTest::newRow("quoted value with space") << u"body:\"Hello Wörld\""_s << true;
        QTest::newRow("negated phrase") << u"-\"Hello Wörld\""_s << false;
        QTest::newRow("phrase with a colon is not a field") << u"\"nosuchfield:alice\""_s << false;
        QTest::newRow("phrase with slashes is not a regex") << u"\"/topic/channels.general\""_s << true;
        QTest::newRow("mixed") << u"source:node-2 -dir=in bytes>10 /general/"_s << true;
    }
    void matches()
    {
        QFETCH(QString, expression);
        QFETCH(bool, expected);
        TrafficFilter::Error error;
        const auto filter = TrafficFilter::parse(expression, &error);
        QVERIFY2(filter, qPrintable(error.message));
        QCOMPARE(filter->matches(sampleFrame()), expected);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("messagePart");
        QTest::addColumn<int>("position");

        QTest::newRow("bad regex") << u"user:/(ab/"_s << u"bad regular expression"_s << 9;
        QTest::newRow("bad regex alone") << u"x /[z/"_s << u"bad regular expression"_s << 5;
        QTest::newRow("unclosed quote") << u"a \"open"_s << u"unclosed quote"_s << 2;
        QTest::newRow("unclosed regex") << u"/abc"_s << u"unclosed /regex/"_s << 0;
        QTest::newRow("unknown field") << u"colour:red"_s << u"unknown field 'colour'"_s << 0;
        QTest::newRow("empty value") << u"user:"_s << u"needs a value"_s << 5;
        QTest::newRow("bytes not a number") << u"bytes>lots"_s << u"whole number"_s << 6;
        QTest::newRow("bytes negative") << u"bytes>-1"_s << u"whole number"_s << 6;
        QTest::newRow("compare a text") << u"user>3"_s << u"only bytes is a number"_s << 4;
        QTest::newRow("too long") << QString(5000, u'a') << u"longer than"_s << 4096;
    }
    void errors()
    {
        QFETCH(QString, expression);
        QFETCH(QString, messagePart);
        QFETCH(int, position);
        TrafficFilter::Error error;
        QVERIFY(!TrafficFilter::parse(expression, &error));
        QVERIFY2(error.message.contains(messagePart), qPrintable(error.message));
        QCOMPARE(error.position, position);
    }

    void hostileInputNeverCrashes()
    {
        // Deep nesting, lone escapes, odd characters: every parse returns, matched or refused.
        const QStringList inputs { u"\\"_s, u"\""_s, u"/"_s, u"//"_s, u"-"_s, u"--"_s, u":"_s, u"a:b:c"_s,
            u"header.:x"_s, u"/(((((((((((((((((((((((/"_s, u"/a{99999999}/"_s, QString(1000, u'('),
            u"\"\\"_s, u"bytes>99999999999999999999999"_s, QString::fromUtf8("\xF0\x9F\x98\x80:x"),
            QString(QChar(0)) + u"x"_s };
        for (const QString &input : inputs) {
            TrafficFilter::Error error;
            if (const auto filter = TrafficFilter::parse(input, &error))
                filter->matches(sampleFrame());
            else
                QVERIFY2(!error.message.isEmpty(), qPrintable(input));
        }
    }
};

SB_TEST_GUILESS_MAIN(TestTrafficFilter)
#include "tst_trafficfilter.moc"
