#include "protocol/StompDecoder.h"
#include "support/TestMain.h"

#include <QTest>

using namespace sb::protocol;
using namespace Qt::StringLiterals;

namespace sb::protocol {
// Readable QCOMPARE failures for frames.
char *toString(const StompFrame &frame)
{
    QByteArray text = "StompFrame(" + frame.command();
    for (const StompHeader &header : frame.headers())
        text += " [" + header.first.toPercentEncoding() + '=' + header.second.toPercentEncoding() + ']';
    text += " body=" + frame.body().toPercentEncoding() + ')';
    return qstrdup(text.constData());
}
} // namespace sb::protocol

namespace {

struct Decoded
{
    QList<StompFrame> frames;
    int heartBeats = 0;
    bool error = false;
    QString errorString;
};

// Feeds `input` in chunks of `chunk` bytes (0 = all at once), draining after each feed.
Decoded decode(const QByteArray &input, qsizetype chunk = 0,
    StompDecoder::Accept accept = StompDecoder::Accept::AnyFrames, StompVersion version = StompVersion::V1_2,
    const StompLimits &limits = {})
{
    StompDecoder decoder(accept, limits);
    decoder.setVersion(version);
    Decoded result;
    const qsizetype step = chunk > 0 ? chunk : qMax<qsizetype>(1, input.size());
    for (qsizetype offset = 0; offset < input.size() && !result.error; offset += step) {
        decoder.feed(QByteArrayView(input).sliced(offset, qMin(step, input.size() - offset)));
        for (;;) {
            const auto status = decoder.next();
            if (status == StompDecoder::Status::NeedMoreData)
                break;
            if (status == StompDecoder::Status::Frame) {
                result.frames.append(decoder.takeFrame());
            } else if (status == StompDecoder::Status::HeartBeat) {
                ++result.heartBeats;
            } else {
                result.error = true;
                result.errorString = decoder.errorString();
                break;
            }
        }
    }
    return result;
}

StompFrame frame(const QByteArray &command, const StompHeaders &headers = {}, const QByteArray &body = {})
{
    return StompFrame(command, headers, body);
}

} // namespace

class TestStompDecoder : public QObject
{
    Q_OBJECT

private slots:
    void validFrame_data();
    void validFrame();
    void error_data();
    void error();
    void truncatedFrameWaits();
    void multipleFramesAndHeartBeats();
    void heartBeatCounter();
    void acceptModes();
    void versionControlsEscaping();
    void oversizedBodyDetectedEarly();
    void hugeContentLengthRejectedBeforeBody();
    void endlessHeaderLineDetectedEarly();
    void lineAtTheLimitSplitAfterItsCr();
    void failedDecoderStaysFailed();
    void resetRecovers();
    void bigFrameByteByByte();
};

void TestStompDecoder::validFrame_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<StompFrame>("expected");

    const char *clientCommands[] = { "CONNECT", "STOMP", "SEND", "SUBSCRIBE", "UNSUBSCRIBE", "ACK", "NACK",
        "BEGIN", "COMMIT", "ABORT", "DISCONNECT" };
    for (const char *command : clientCommands) {
        const QByteArray c(command);
        QTest::addRow("%s", command) << QByteArray(c + "\nreceipt:77\n\n\0"_ba)
                                     << frame(c, { { "receipt", "77" } });
    }
    const char *serverCommands[] = { "CONNECTED", "MESSAGE", "RECEIPT", "ERROR" };
    for (const char *command : serverCommands) {
        const QByteArray c(command);
        QTest::addRow("%s with body", command)
            << QByteArray(c + "\na:b\n\nhello\0"_ba) << frame(c, { { "a", "b" } }, "hello");
    }
    QTest::newRow("no headers, no body") << "DISCONNECT\n\n\0"_ba << frame("DISCONNECT");
    QTest::newRow("CRLF everywhere") << "SEND\r\ndestination:/app/x\r\ncontent-type:text/plain\r\n\r\nhi\0"_ba
                                     << frame("SEND",
                                            { { "destination", "/app/x" }, { "content-type", "text/plain" } },
                                            "hi");
    QTest::newRow("mixed LF and CRLF")
        << "SEND\ndestination:/a\r\n\nhi\0"_ba << frame("SEND", { { "destination", "/a" } }, "hi");
    QTest::newRow("escapes 1.2") << "SEND\na\\cb:x\\ny\\rz\\\\w\\c\n\n\0"_ba
                                 << frame("SEND", { { "a:b", "x\ny\rz\\w:" } });
    QTest::newRow("CONNECT not unescaped")
        << "CONNECT\nlogin:a\\nb\npasscode:p\\q:r\n\n\0"_ba
        << frame("CONNECT", { { "login", "a\\nb" }, { "passcode", "p\\q:r" } });
    QTest::newRow("CONNECTED not unescaped")
        << "CONNECTED\nserver:x\\y\n\n\0"_ba << frame("CONNECTED", { { "server", "x\\y" } });
    QTest::newRow("colon in value kept")
        << "SEND\ndestination:/a:b\n\n\0"_ba << frame("SEND", { { "destination", "/a:b" } });
    QTest::newRow("value whitespace kept")
        << "SEND\nx: padded \n\n\0"_ba << frame("SEND", { { "x", " padded " } });
    QTest::newRow("empty value") << "SEND\nx:\n\n\0"_ba << frame("SEND", { { "x", "" } });
    QTest::newRow("repeated header kept in order")
        << "MESSAGE\nfoo:first\nfoo:second\n\n\0"_ba
        << frame("MESSAGE", { { "foo", "first" }, { "foo", "second" } });
    QTest::newRow("NUL in body with content-length")
        << "SEND\ncontent-length:5\n\na\0b\0c\0"_ba
        << frame("SEND", { { "content-length", "5" } }, "a\0b\0c"_ba);
    QTest::newRow("content-length 0")
        << "SEND\ncontent-length:0\n\n\0"_ba << frame("SEND", { { "content-length", "0" } });
    QTest::newRow("first content-length wins")
        << "SEND\ncontent-length:2\ncontent-length:9\n\nab\0"_ba
        << frame("SEND", { { "content-length", "2" }, { "content-length", "9" } }, "ab");
    QTest::newRow("escaped content-length name is still content-length")
        << "SEND\ncontent-length:3\n\n\0\0\0\0"_ba
        << frame("SEND", { { "content-length", "3" } }, "\0\0\0"_ba);
    QTest::newRow("UTF-8 header and body")
        << "SEND\nnäme:välue ✓\n\nbödy\0"_ba << frame("SEND", { { "näme", "välue ✓" } }, "bödy");
    QTest::newRow("body with LF and CR")
        << "SEND\n\nline1\r\nline2\n\0"_ba << frame("SEND", {}, "line1\r\nline2\n");
}

void TestStompDecoder::validFrame()
{
    QFETCH(QByteArray, input);
    QFETCH(StompFrame, expected);
    for (const qsizetype chunk : { qsizetype(0), qsizetype(1), qsizetype(2), qsizetype(7) }) {
        const Decoded result = decode(input, chunk);
        QVERIFY2(!result.error, qPrintable(result.errorString));
        QCOMPARE(result.frames.size(), 1);
        QCOMPARE(result.frames.first(), expected);
        QCOMPARE(result.heartBeats, 0);
    }
    QCOMPARE(decode(input).frames.first().header(expected.headers().value(0).first),
        expected.headers().value(0).second);
}

void TestStompDecoder::error_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("message");

    QTest::newRow("unknown command") << "HELLO\n\n\0"_ba << u"Unknown command 'HELLO'"_s;
    QTest::newRow("lower-case command") << "send\n\n\0"_ba << u"Unknown command 'send'"_s;
    QTest::newRow("overlong command line") << "SENDSENDSENDSENDSEND"_ba << u"Unknown command"_s;
    QTest::newRow("NUL instead of frame") << "\0"_ba << u"NUL in the command line"_s;
    QTest::newRow("header without colon") << "SEND\ndestination\n\n\0"_ba << u"Header without ':'"_s;
    QTest::newRow("empty header name") << "SEND\n:value\n\n\0"_ba << u"empty name"_s;
    QTest::newRow("bad escape \\t") << "SEND\na:b\\tc\n\n\0"_ba << u"Undefined escape"_s;
    QTest::newRow("bad escape in name") << "SEND\na\\x:b\n\n\0"_ba << u"Undefined escape"_s;
    QTest::newRow("trailing backslash") << "SEND\na:b\\\n\n\0"_ba << u"Undefined escape"_s;
    QTest::newRow("content-length negative")
        << "SEND\ncontent-length:-1\n\n\0"_ba << u"Invalid content-length"_s;
    QTest::newRow("content-length text")
        << "SEND\ncontent-length:abc\n\n\0"_ba << u"Invalid content-length"_s;
    QTest::newRow("content-length empty") << "SEND\ncontent-length:\n\n\0"_ba << u"Invalid content-length"_s;
    QTest::newRow("content-length spaced")
        << "SEND\ncontent-length: 3\n\nabc\0"_ba << u"Invalid content-length"_s;
    QTest::newRow("content-length plus")
        << "SEND\ncontent-length:+3\n\nabc\0"_ba << u"Invalid content-length"_s;
    QTest::newRow("content-length overflow")
        << "SEND\ncontent-length:99999999999999999999999\n\n\0"_ba << u"Invalid content-length"_s;
    QTest::newRow("content-length huge")
        << "SEND\ncontent-length:999999999999\n\n"_ba << u"Frame larger than 65536"_s;
    QTest::newRow("content-length too short")
        << "SEND\ncontent-length:2\n\nabc\0"_ba << u"not followed by NUL"_s;
    QTest::newRow("invalid UTF-8 in command") << "SE\xffND\n\n\0"_ba << u"Command is not valid UTF-8"_s;
    QTest::newRow("invalid UTF-8 in name") << "SEND\n\xc3(:x\n\n\0"_ba << u"Header is not valid UTF-8"_s;
    QTest::newRow("invalid UTF-8 in value") << "SEND\nx:\xe2\x82\n\n\0"_ba << u"Header is not valid UTF-8"_s;
    QTest::newRow("overlong UTF-8") << "SEND\nx:\xc0\xaf\n\n\0"_ba << u"Header is not valid UTF-8"_s;
    QTest::newRow("UTF-8 surrogate") << "SEND\nx:\xed\xa0\x80\n\n\0"_ba << u"Header is not valid UTF-8"_s;
    QTest::newRow("NUL in headers") << "SEND\ndestination:/a\0"_ba << u"NUL before the end of the headers"_s;
    QTest::newRow("bare CR in header") << "SEND\na:b\rc\n\n\0"_ba << u"Bare CR"_s;
    QTest::newRow("CR then junk between frames") << "\rSEND\n\n\0"_ba << u"Expected LF after CR"_s;
    QTest::newRow("header line too long")
        << QByteArray("SEND\nx:" + QByteArray(9000, 'a') + "\n\n\0"_ba) << u"Header line longer than 8192"_s;
    QTest::newRow("too many headers") << [] {
        QByteArray input = "SEND\n";
        for (int i = 0; i < 65; ++i)
            input += "h" + QByteArray::number(i) + ":v\n";
        return QByteArray(input + "\n\0"_ba);
    }() << u"More than 64 headers"_s;
    QTest::newRow("frame too big without content-length")
        << QByteArray("SEND\n\n" + QByteArray(70000, 'x') + "\0"_ba) << u"Frame larger than 65536"_s;
    QTest::newRow("frame too big with content-length")
        << QByteArray("SEND\ncontent-length:65536\n\n" + QByteArray(65536, 'x') + "\0"_ba)
        << u"Frame larger than 65536"_s;
    QTest::newRow("error after a good frame") << "SEND\n\n\0\nBOGUS\n\n\0"_ba << u"Unknown command 'BOGUS'"_s;
}

void TestStompDecoder::error()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, message);
    for (const qsizetype chunk : { qsizetype(0), qsizetype(1), qsizetype(5) }) {
        const Decoded result = decode(input, chunk);
        QVERIFY2(result.error, qPrintable(u"chunk "_s + QString::number(chunk)));
        QVERIFY2(result.errorString.contains(message), qPrintable(result.errorString));
        // Error messages go into a header: they must never contain line breaks.
        QVERIFY(!result.errorString.contains(u'\n') && !result.errorString.contains(u'\r'));
    }
}

void TestStompDecoder::truncatedFrameWaits()
{
    const QByteArray full = "SEND\r\ndestination:/a\\c\r\ncontent-length:4\r\n\r\nab\0c\0"_ba;
    for (qsizetype cut = 0; cut < full.size(); ++cut) {
        StompDecoder decoder;
        decoder.feed(QByteArrayView(full).first(cut));
        QCOMPARE(decoder.next(), StompDecoder::Status::NeedMoreData);
        QVERIFY(!decoder.hasError());
        QCOMPARE(decoder.frameCount(), 0);
        decoder.feed(QByteArrayView(full).sliced(cut));
        QCOMPARE(decoder.next(), StompDecoder::Status::Frame);
        QCOMPARE(decoder.takeFrame(),
            frame("SEND", { { "destination", "/a:" }, { "content-length", "4" } }, "ab\0c"_ba));
        QVERIFY(decoder.isIdle());
    }
}

void TestStompDecoder::multipleFramesAndHeartBeats()
{
    const QByteArray input = "\n\r\nSEND\ndestination:/a\n\none\0\nSEND\ndestination:/b\n\ntwo\0\r\n\n"
                             "SUBSCRIBE\nid:0\ndestination:/topic/x\n\n\0"_ba;
    const QList<StompFrame> expected = { frame("SEND", { { "destination", "/a" } }, "one"),
        frame("SEND", { { "destination", "/b" } }, "two"),
        frame("SUBSCRIBE", { { "id", "0" }, { "destination", "/topic/x" } }) };
    for (const qsizetype chunk : { qsizetype(0), qsizetype(1), qsizetype(3), qsizetype(11) }) {
        const Decoded result = decode(input, chunk);
        QVERIFY(!result.error);
        QCOMPARE(result.frames, expected);
        QCOMPARE(result.heartBeats, 5);
    }
}

void TestStompDecoder::heartBeatCounter()
{
    StompDecoder decoder;
    decoder.feed("\n");
    QCOMPARE(decoder.next(), StompDecoder::Status::HeartBeat);
    decoder.feed("\r");
    QCOMPARE(decoder.next(), StompDecoder::Status::NeedMoreData); // CR alone is not yet an EOL
    QCOMPARE(decoder.heartBeatCount(), 1);
    QVERIFY(!decoder.isIdle());
    decoder.feed("\n\n");
    QCOMPARE(decoder.next(), StompDecoder::Status::HeartBeat);
    QCOMPARE(decoder.next(), StompDecoder::Status::HeartBeat);
    QCOMPARE(decoder.next(), StompDecoder::Status::NeedMoreData);
    QCOMPARE(decoder.heartBeatCount(), 3);
    QVERIFY(decoder.isIdle());
}

void TestStompDecoder::acceptModes()
{
    QCOMPARE(decode("MESSAGE\n\n\0"_ba, 0, StompDecoder::Accept::ClientFrames).errorString,
        u"Unknown command 'MESSAGE'"_s);
    QCOMPARE(decode("SEND\n\n\0"_ba, 0, StompDecoder::Accept::ServerFrames).errorString,
        u"Unknown command 'SEND'"_s);
    QCOMPARE(decode("MESSAGE\n\n\0"_ba, 0, StompDecoder::Accept::ServerFrames).frames.size(), 1);
    QCOMPARE(decode("SEND\n\n\0"_ba, 0, StompDecoder::Accept::ClientFrames).frames.size(), 1);
}

void TestStompDecoder::versionControlsEscaping()
{
    const QByteArray input = "SEND\na\\cb:x\\ny\\\\\n\n\0"_ba;
    QCOMPARE(decode(input, 0, StompDecoder::Accept::ClientFrames, StompVersion::V1_2).frames.value(0),
        frame("SEND", { { "a:b", "x\ny\\" } }));
    QCOMPARE(decode(input, 0, StompDecoder::Accept::ClientFrames, StompVersion::V1_1).frames.value(0),
        frame("SEND", { { "a:b", "x\ny\\" } }));
    // 1.0 has no escaping at all: backslashes are data.
    QCOMPARE(decode(input, 0, StompDecoder::Accept::ClientFrames, StompVersion::V1_0).frames.value(0),
        frame("SEND", { { "a\\cb", "x\\ny\\\\" } }));
    // \r only exists since 1.2.
    QVERIFY(decode("SEND\na:\\r\n\n\0"_ba, 0, StompDecoder::Accept::ClientFrames, StompVersion::V1_1).error);
    QVERIFY(!decode("SEND\na:\\r\n\n\0"_ba, 0, StompDecoder::Accept::ClientFrames, StompVersion::V1_2).error);
    QVERIFY(!decode("SEND\na:\\t\n\n\0"_ba, 0, StompDecoder::Accept::ClientFrames, StompVersion::V1_0).error);

    // Switching the version between frames (after CONNECT) takes effect on the next frame.
    StompDecoder decoder;
    decoder.feed("CONNECT\nlogin:a\\b\n\n\0SEND\nx:\\c\n\n\0"_ba);
    QCOMPARE(decoder.next(), StompDecoder::Status::Frame);
    QCOMPARE(decoder.takeFrame().header("login"), "a\\b"_ba);
    decoder.setVersion(StompVersion::V1_0);
    QCOMPARE(decoder.next(), StompDecoder::Status::Frame);
    QCOMPARE(decoder.takeFrame().header("x"), "\\c"_ba);
}

void TestStompDecoder::oversizedBodyDetectedEarly()
{
    StompDecoder decoder;
    decoder.feed("SEND\n\n");
    const QByteArray chunk(4096, 'x');
    int fed = 0;
    while (decoder.next() == StompDecoder::Status::NeedMoreData && fed < 1000) {
        decoder.feed(chunk);
        ++fed;
        QVERIFY(decoder.bufferedBytes() <= 65536 + 4096);
    }
    QVERIFY(decoder.hasError());
    QCOMPARE(fed, 16); // 6 + 16 * 4096 > 65536: fails on the chunk that crosses the limit
    QVERIFY(decoder.errorString().contains(u"Frame larger than 65536 bytes"_s));
    QCOMPARE(decoder.bufferedBytes(), 0); // and lets go of the bytes
}

void TestStompDecoder::hugeContentLengthRejectedBeforeBody()
{
    StompLimits limits;
    limits.maxFrameBytes = 1000;
    StompDecoder decoder(StompDecoder::Accept::ClientFrames, limits);
    decoder.feed("SEND\ncontent-length:1000\n\n");
    QCOMPARE(decoder.next(), StompDecoder::Status::Error);
    QVERIFY(decoder.errorString().contains(u"content-length 1000"_s));

    StompDecoder fits(StompDecoder::Accept::ClientFrames, limits);
    const QByteArray header = "SEND\ncontent-length:970\n\n"_ba; // 26 + 970 + NUL = 997
    fits.feed(QByteArray(header + QByteArray(970, 'y') + '\0'));
    QCOMPARE(fits.next(), StompDecoder::Status::Frame);
}

void TestStompDecoder::endlessHeaderLineDetectedEarly()
{
    StompLimits limits;
    limits.maxHeaderLineBytes = 100;
    StompDecoder decoder(StompDecoder::Accept::ClientFrames, limits);
    decoder.feed("SEND\nx:");
    decoder.feed(QByteArray(98, 'a'));
    QCOMPARE(decoder.next(), StompDecoder::Status::NeedMoreData); // 100 bytes: still allowed
    decoder.feed("a");
    QCOMPARE(decoder.next(), StompDecoder::Status::Error);
    QVERIFY(decoder.errorString().contains(u"Header line longer than 100 bytes"_s));

    // Exactly at the limit, with CRLF, is fine.
    StompDecoder exact(StompDecoder::Accept::ClientFrames, limits);
    exact.feed(QByteArray("SEND\nx:" + QByteArray(98, 'a') + "\r\n\r\n\0"_ba));
    QCOMPARE(exact.next(), StompDecoder::Status::Frame);
}

// Found by fuzz_stomp_decoder (the hour-per-target run, issue 12): a command or header line
// of exactly the limit whose CRLF is split between two reads, the CR in the first. Waiting
// for the LF must not count the CR against the limit: fed whole the line passes, so it
// must pass however it is cut.
void TestStompDecoder::lineAtTheLimitSplitAfterItsCr()
{
    StompLimits limits;
    limits.maxHeaderLineBytes = 40;
    const QByteArray header = "x:" + QByteArray(38, 'a'); // 40 bytes
    const QByteArray input = "SEND\r\n" + header + "\r\n\r\n\0"_ba;
    const qsizetype afterCr = input.indexOf("\r\n\r\n") + 1;
    StompDecoder split(StompDecoder::Accept::ClientFrames, limits);
    split.feed(QByteArrayView(input).first(afterCr));
    QCOMPARE(split.next(), StompDecoder::Status::NeedMoreData);
    split.feed(QByteArrayView(input).sliced(afterCr));
    QCOMPARE(split.next(), StompDecoder::Status::Frame);
    QCOMPARE(split.takeFrame(), frame("SEND", { { "x", QByteArray(38, 'a') } }));

    // One byte over is still an error, however it is cut.
    const QByteArray over = "SEND\r\nx:" + QByteArray(39, 'a') + "\r\n\r\n\0"_ba;
    for (qsizetype chunk : { 0, 1, 2, 3, 5, 7, 44, 45, 46 }) {
        const Decoded decoded
            = decode(over, chunk, StompDecoder::Accept::ClientFrames, StompVersion::V1_2, limits);
        QVERIFY2(decoded.error && decoded.errorString.contains(u"Header line longer than 40 bytes"_s),
            qPrintable(u"chunk %1: %2"_s.arg(chunk).arg(decoded.errorString)));
    }
    // And the line at the limit passes for every chunk size.
    for (qsizetype chunk = 1; chunk <= input.size(); ++chunk) {
        const Decoded decoded
            = decode(input, chunk, StompDecoder::Accept::ClientFrames, StompVersion::V1_2, limits);
        QVERIFY2(!decoded.error && decoded.frames.size() == 1,
            qPrintable(u"chunk %1: %2"_s.arg(chunk).arg(decoded.errorString)));
    }
}

void TestStompDecoder::failedDecoderStaysFailed()
{
    StompDecoder decoder;
    decoder.feed("BOGUS\n\n\0"_ba);
    QCOMPARE(decoder.next(), StompDecoder::Status::Error);
    const QString message = decoder.errorString();
    decoder.feed("SEND\n\n\0"_ba);
    QCOMPARE(decoder.next(), StompDecoder::Status::Error);
    QCOMPARE(decoder.next(), StompDecoder::Status::Error);
    QCOMPARE(decoder.errorString(), message);
    QCOMPARE(decoder.bufferedBytes(), 0);
}

void TestStompDecoder::resetRecovers()
{
    StompDecoder decoder;
    decoder.setVersion(StompVersion::V1_1);
    decoder.feed("BOGUS\n\n\0"_ba);
    QCOMPARE(decoder.next(), StompDecoder::Status::Error);
    decoder.reset();
    QVERIFY(!decoder.hasError());
    QCOMPARE(decoder.version(), StompVersion::V1_1);
    decoder.feed("SEND\n\n\0"_ba);
    QCOMPARE(decoder.next(), StompDecoder::Status::Frame);
}

void TestStompDecoder::bigFrameByteByByte()
{
    // Fed one byte at a time, a near-limit frame must still decode quickly: the decoder
    // must not rescan what it already looked at.
    const QByteArray body(60000, 'z');
    const QByteArray input = "SEND\ndestination:/a\n\n" + body + "\0\n"_ba;
    StompDecoder decoder;
    int frames = 0;
    int beats = 0;
    for (const char c : input) {
        decoder.feed(QByteArrayView(&c, 1));
        for (auto s = decoder.next(); s != StompDecoder::Status::NeedMoreData; s = decoder.next()) {
            QVERIFY(s != StompDecoder::Status::Error);
            if (s == StompDecoder::Status::Frame) {
                QCOMPARE(decoder.takeFrame().body(), body);
                ++frames;
            } else {
                ++beats;
            }
        }
    }
    QCOMPARE(frames, 1);
    QCOMPARE(beats, 1);
}

SB_TEST_APPLESS_MAIN(TestStompDecoder)
#include "tst_stompdecoder.moc"
