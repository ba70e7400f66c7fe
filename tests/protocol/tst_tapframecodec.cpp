#include "protocol/TapFrameCodec.h"
#include "support/TestMain.h"

#include <QRandomGenerator>
#include <QTest>

using namespace sb::protocol;
using namespace Qt::StringLiterals;

namespace {
// JSON written with single quotes: moc's lexer loses its way in raw strings (and then
// finds no class at all), and escaped double quotes are hard to read.
QByteArray j(const char *singleQuoted)
{
    return QByteArray(singleQuoted).replace('\'', '"');
}

const QByteArray kNodeFrame
    = j("{'ts':1700000000123,'node':'node-1','session':'s1','user':'alice','transport':'stomp','dir':'in',"
        "'command':'SEND','destination':'/app/channels.general','messageId':'','bytes':42,"
        "'headers':{'destination':'/app/channels.general','authorization':'***'},"
        "'body':'{\\'text\\':\\'hi\\'}','truncated':false}");

// A MESSAGE as the node writes it: escapes and non-ASCII in the body, several headers.
const QByteArray kMessageFrame = j(
    "{'ts':1700000000200,'node':'node-2','session':'s9','user':'zo\u00eb','transport':'stomp','dir':'out',"
    "'command':'MESSAGE','destination':'/topic/channels.general','messageId':'m-1','bytes':180,"
    "'headers':{'subscription':'sub-0','message-id':'m-1','destination':'/topic/channels.general',"
    "'content-type':'application/json'},'body':'{\\'text\\':\\'caf\u00e9 \\\\n "
    "\u00e9\\'}','truncated':true}");

const QByteArray kSseFrame
    = j("{'ts':1700000000300,'node':'node-3','session':'e4','user':'bob','transport':'sse','dir':'out',"
        "'command':'message','destination':'/api/sse','messageId':'42','bytes':61,'headers':{'id':'42'},"
        "'body':'data: x','truncated':false}");

bool sameFrame(const TrafficFrame &a, const TrafficFrame &b)
{
    return a.tsMs == b.tsMs && a.source == b.source && a.transport == b.transport
        && a.direction == b.direction && a.command == b.command && a.destination == b.destination
        && a.user == b.user && a.session == b.session && a.messageId == b.messageId && a.bytes == b.bytes
        && a.body == b.body && a.truncated == b.truncated && a.headerBlock == b.headerBlock;
}

// Why the scanner and the QJsonDocument reading disagree on an input; empty when they
// give the same frame, or refuse it with the same words.
QString readingsDiffer(QByteArrayView input)
{
    TapFrameCodec scanner;
    TapFrameCodec reference(TapFrameCodec::Reading::Reference);
    QString scannerError, referenceError;
    const auto scanned = scanner.decode(input, &scannerError, u"default"_s);
    const auto read = reference.decode(input, &referenceError, u"default"_s);
    if (scanned.has_value() != read.has_value())
        return scanned ? u"only the scanner accepts it; the reference says: "_s + referenceError
                       : u"only the reference accepts it; the scanner says: "_s + scannerError;
    if (!scanned)
        return scannerError == referenceError
            ? QString()
            : u"errors differ: "_s + scannerError + u" / "_s + referenceError;
    if (!sameFrame(*scanned, *read))
        return u"frames differ: "_s + QString::fromUtf8(TapFrameCodec::encode(*scanned)) + u" / "_s
            + QString::fromUtf8(TapFrameCodec::encode(*read));
    return {};
}
} // namespace

class TestTapFrameCodec : public QObject
{
    Q_OBJECT

private slots:
    void decodesANodeFrame()
    {
        const QByteArray json = kNodeFrame;
        TapFrameCodec codec;
        QString error;
        const auto frame = codec.decode(json, &error);
        QVERIFY2(frame, qPrintable(error));
        QCOMPARE(frame->tsMs, 1700000000123);
        QCOMPARE(frame->source, u"node-1"_s);
        QCOMPARE(frame->transport, TrafficFrame::Transport::Stomp);
        QCOMPARE(frame->direction, TrafficFrame::Direction::In);
        QCOMPARE(frame->command, u"SEND"_s);
        QCOMPARE(frame->destination, u"/app/channels.general"_s);
        QCOMPARE(frame->user, u"alice"_s);
        QCOMPARE(frame->bytes, 42);
        QCOMPARE(frame->header(u"authorization"_s), u"***"_s);
        QCOMPARE(frame->body, j("{'text':'hi'}"));
        QVERIFY(!frame->truncated);
    }

    void roundTrip()
    {
        TrafficFrame frame;
        frame.tsMs = 5;
        frame.source = u"probe"_s;
        frame.transport = TrafficFrame::Transport::Sse;
        frame.direction = TrafficFrame::Direction::Out;
        frame.command = u"message"_s;
        frame.destination = u"/api/sse"_s;
        frame.messageId = u"id:with\ncolon"_s;
        frame.bytes = 9;
        frame.truncated = true;
        frame.setHeaders({ { u"a:b"_s, u"line1\nline2\\x"_s }, { u"retry"_s, u"3000"_s } });
        frame.body = "caf\xc3\xa9"_ba;
        TapFrameCodec codec;
        const auto back = codec.decode(TapFrameCodec::encode(frame), nullptr);
        QVERIFY(back);
        QCOMPARE(back->source, frame.source);
        QCOMPARE(back->transport, frame.transport);
        QCOMPARE(back->direction, frame.direction);
        QCOMPARE(back->messageId, frame.messageId);
        QCOMPARE(back->body, frame.body);
        QVERIFY(back->truncated);
        QCOMPARE(back->header(u"a:b"_s), u"line1\nline2\\x"_s);
        QCOMPARE(back->header(u"retry"_s), u"3000"_s);
        QCOMPARE(back->headers().size(), 2);
    }

    void sharesRepeatedStrings()
    {
        TapFrameCodec codec;
        const QByteArray json = j("{'node':'node-1','user':'alice','destination':'/topic/channels.general'}");
        const auto a = codec.decode(json, nullptr);
        const auto b = codec.decode(json, nullptr);
        QVERIFY(a && b);
        // One allocation for both frames: implicit sharing, the point of the pool.
        QCOMPARE(a->destination.constData(), b->destination.constData());
        QCOMPARE(a->user.constData(), b->user.constData());
    }

    void poolIsBounded()
    {
        TapFrameCodec codec;
        for (int i = 0; i < TapFrameCodec::kMaxPooledStrings * 3; ++i) {
            const QByteArray json = "{\"session\":\"s-"_ba + QByteArray::number(i) + "\"}"_ba;
            QVERIFY(codec.decode(json, nullptr));
        }
        // No assertion on internals beyond this: decoding kept working past the bound, and
        // a fresh distinct value is still decoded correctly.
        const auto last = codec.decode(j("{'session':'last'}"), nullptr);
        QCOMPARE(last->session, u"last"_s);
    }

    void defaultSource()
    {
        TapFrameCodec codec;
        QCOMPARE(codec.decode(j("{'command':'MESSAGE'}"), nullptr, u"node-9"_s)->source, u"node-9"_s);
        QCOMPARE(codec.decode(j("{'node':'n'}"), nullptr, u"node-9"_s)->source, u"n"_s);
    }

    void unknownNamesAreKept()
    {
        TapFrameCodec codec;
        const auto frame
            = codec.decode(j("{'transport':'carrier-pigeon','dir':'sideways','extra':[1,2]}"), nullptr);
        QVERIFY(frame);
        QCOMPARE(frame->transport, TrafficFrame::Transport::Other);
        QCOMPARE(frame->direction, TrafficFrame::Direction::None);
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("empty") << QByteArray() << u"not JSON"_s;
        QTest::newRow("truncated") << j("{'ts':1,'node':'no") << u"not JSON"_s;
        QTest::newRow("array") << "[1,2]"_ba << u"not a JSON object"_s;
        QTest::newRow("string ts") << j("{'ts':'now'}") << u"\"ts\""_s;
        QTest::newRow("negative bytes") << j("{'bytes':-5}") << u"\"bytes\""_s;
        QTest::newRow("huge ts") << j("{'ts':1e300}") << u"\"ts\""_s;
        QTest::newRow("number node") << j("{'node':7}") << u"\"node\""_s;
        QTest::newRow("headers array") << j("{'headers':['a']}") << u"\"headers\""_s;
        QTest::newRow("header number") << j("{'headers':{'a':1}}") << u"header \"a\""_s;
        QTest::newRow("truncated not bool") << j("{'truncated':'yes'}") << u"\"truncated\""_s;
        QTest::newRow("garbage after") << j("{'ts':1} x") << u"not JSON"_s;
        QTest::newRow("invalid utf-8") << "{\"node\":\"\xff\xfe\"}"_ba << QString();
        QTest::newRow("oversized") << QByteArray(TapFrameCodec::kMaxFrameBytes + 1, ' ') << u"over the"_s;
    }
    void refusals()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, messagePart);
        TapFrameCodec codec;
        QString error;
        const auto frame = codec.decode(json, &error);
        if (messagePart.isEmpty()) // Qt decodes invalid UTF-8 with replacement characters: either outcome is
                                   // fine, no crash
            return;
        QVERIFY(!frame);
        QVERIFY2(error.contains(messagePart), qPrintable(error));
    }

    // The scanner reads the node's own frames; what it is not sure to read exactly as
    // QJsonDocument does goes to QJsonDocument. Either way the frame (or the error) is the same.
    void scannerReadsAsTheReferenceDoes_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("scanned");
        QTest::newRow("node frame") << kNodeFrame << true;
        QTest::newRow("message frame") << kMessageFrame << true;
        QTest::newRow("sse frame") << kSseFrame << true;
        QTest::newRow("spaces around tokens") << j(" { 'ts' : 1 , 'node' : 'a' } ") << true;
        QTest::newRow("nulls") << j("{'node':null,'ts':null,'headers':null}") << true;
        QTest::newRow("non-ascii value") << "{\"user\":\"zo\xc3\xab\"}"_ba << true;
        QTest::newRow("member twice") << j("{'node':'a','node':'b'}") << false;
        QTest::newRow("header twice") << j("{'headers':{'a':'1','a':'2'}}") << false;
        QTest::newRow("escaped key") << j("{'no\\u0064e':'a'}") << false;
        QTest::newRow("non-ascii key") << "{\"n\xc3\xb6"
                                          "de\":\"a\"}"_ba
                                       << false;
        QTest::newRow("fraction") << j("{'ts':1.5}") << false;
        QTest::newRow("exponent") << j("{'ts':1e3}") << false;
        QTest::newRow("beyond 2^53") << j("{'ts':9007199254740993}") << false;
        QTest::newRow("lone surrogate") << j("{'body':'\\ud800'}") << false;
        QTest::newRow("surrogate pair") << j("{'body':'\\ud83d\\ude00'}") << true;
        QTest::newRow("byte order mark") << "\xef\xbb\xbf{\"ts\":1}"_ba << false;
        QTest::newRow("U+FEFF in a value") << "{\"user\":\"\xef\xbb\xbf\"}"_ba << false;
        QTest::newRow("invalid utf-8") << "{\"node\":\"\xff\xfe\"}"_ba << false;
        QTest::newRow("overlong utf-8") << "{\"node\":\"\xc0\xaf\"}"_ba << false;
        QTest::newRow("lenient escape") << j("{'body':'\\x'}") << false;
        QTest::newRow("raw tab in a value") << "{\"body\":\"a\tb\"}"_ba << true;
        QTest::newRow("deep nesting")
            << QByteArray("{\"extra\":" + QByteArray(2000, '[') + QByteArray(2000, ']') + "}") << false;
        QTest::newRow("truncated") << j("{'ts':1,'node':'no") << false;
        QTest::newRow("garbage after") << j("{'ts':1} x") << false;
        QTest::newRow("wrong type") << j("{'node':7}") << false;
    }
    void scannerReadsAsTheReferenceDoes()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, scanned);
        const QString difference = readingsDiffer(json);
        QVERIFY2(difference.isEmpty(), qPrintable(difference));
        TapFrameCodec codec;
        codec.decode(json, nullptr);
        QCOMPARE(codec.scannedFrames() == 1, scanned);
    }

    // The node's frames cut, spliced and with bytes replaced by JSON's significant ones:
    // whatever the scanner makes of them, QJsonDocument makes the same (seeded, repeatable).
    void scannerReadsMutationsAsTheReferenceDoes()
    {
        static constexpr char kAlphabet[] = "{}[]\":,\\ 0123456789.eE+-aunlfrtx\x7f\x80\xbf\xc3\xed\xef\xff";
        const QList<QByteArray> seeds { kNodeFrame, kMessageFrame, kSseFrame };
        QRandomGenerator random(20261205);
        int scannedCount = 0;
        for (int i = 0; i < 40000; ++i) {
            QByteArray input = seeds.at(int(random.bounded(qsizetype(seeds.size()))));
            const int edits = 1 + int(random.bounded(4));
            for (int e = 0; e < edits && !input.isEmpty(); ++e) {
                const qsizetype at = random.bounded(input.size());
                switch (random.bounded(4)) {
                case 0:
                    input[at] = kAlphabet[random.bounded(int(sizeof kAlphabet) - 1)];
                    break;
                case 1:
                    input.remove(at, 1 + random.bounded(qMin<qsizetype>(8, input.size() - at)));
                    break;
                case 2:
                    input.insert(at, kAlphabet[random.bounded(int(sizeof kAlphabet) - 1)]);
                    break;
                default:
                    input.insert(at, input.mid(random.bounded(input.size()), random.bounded(12)));
                    break;
                }
            }
            const QString difference = readingsDiffer(input);
            QVERIFY2(difference.isEmpty(),
                qPrintable(difference + u" on "_s + QString::fromLatin1(input.toPercentEncoding())));
            TapFrameCodec codec;
            codec.decode(input, nullptr);
            scannedCount += int(codec.scannedFrames());
        }
        // Most mutations break the JSON (the reference reads those); enough survive to exercise the scanner.
        QVERIFY2(scannedCount > 2000, qPrintable(QString::number(scannedCount)));
    }

    void droppedNotice()
    {
        QCOMPARE(TapFrameCodec::droppedNotice(j("{'type':'dropped','dropped':17,'ts':5}")), 17);
        QCOMPARE(TapFrameCodec::droppedNotice(j("{'type':'dropped','dropped':0}")), 0);
        QVERIFY(!TapFrameCodec::droppedNotice(j("{'type':'other','dropped':17}")));
        QVERIFY(!TapFrameCodec::droppedNotice(j("{'type':'dropped','dropped':-1}")));
        QVERIFY(!TapFrameCodec::droppedNotice(j("{'type':'dropped'}")));
        QVERIFY(!TapFrameCodec::droppedNotice(j("{'ts':1,'command':'MESSAGE'}")));
        QVERIFY(!TapFrameCodec::droppedNotice("not json \"type\""_ba));
    }

    void headerBlockEscapes()
    {
        TrafficFrame frame;
        const QList<TrafficFrame::Header> headers { { u"plain"_s, u"v"_s }, { u"colon:name"_s, u"a:b"_s },
            { u"nl"_s, u"x\ny\r\n"_s }, { u"back\\slash"_s, u"\\n"_s }, { u"empty"_s, QString() },
            { u"dup"_s, u"1"_s }, { u"dup"_s, u"2"_s } };
        frame.setHeaders(headers);
        QCOMPARE(frame.headers(), headers);
        QCOMPARE(frame.header(u"dup"_s), u"1"_s);
        QVERIFY(!frame.headerBlock.contains('\r'));
    }
};

SB_TEST_GUILESS_MAIN(TestTapFrameCodec)
#include "tst_tapframecodec.moc"
