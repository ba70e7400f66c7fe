#include "protocol/SockJsFrame.h"
#include "support/TestMain.h"

#include <QTest>

using namespace sb::protocol;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(SockJsFrame::Type)

class TestSockJsFrame : public QObject
{
    Q_OBJECT

private slots:
    void decode_data();
    void decode();
    void malformed_data();
    void malformed();
    void sizeLimit();
    void encodeMessages_data();
    void encodeMessages();
    void roundTrip_data();
    void roundTrip();
    void transportUrl_data();
    void transportUrl();
    void randomTransportUrl();
};

void TestSockJsFrame::decode_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<SockJsFrame::Type>("type");
    QTest::addColumn<QByteArrayList>("messages");
    QTest::addColumn<int>("closeCode");
    QTest::addColumn<QString>("closeReason");

    using T = SockJsFrame::Type;
    QTest::newRow("open") << "o"_ba << T::Open << QByteArrayList() << 0 << QString();
    QTest::newRow("heart-beat") << "h"_ba << T::HeartBeat << QByteArrayList() << 0 << QString();
    QTest::newRow("one message") << R"(a["CONNECTED\nversion:1.2\n\n\u0000"])"_ba << T::Messages
                                 << QByteArrayList { "CONNECTED\nversion:1.2\n\n\0"_ba } << 0 << QString();
    QTest::newRow("two messages") << R"(a["a","b"])"_ba << T::Messages << QByteArrayList { "a", "b" } << 0
                                  << QString();
    QTest::newRow("empty array") << "a[]"_ba << T::Messages << QByteArrayList() << 0 << QString();
    QTest::newRow("whitespace between tokens")
        << "a[ \"x\" ,\n\"y\"\t] "_ba << T::Messages << QByteArrayList { "x", "y" } << 0 << QString();
    QTest::newRow("STOMP heart-beat")
        << R"(a["\n"])"_ba << T::Messages << QByteArrayList { "\n" } << 0 << QString();
    QTest::newRow("every escape") << R"(a["\"\\\/\b\f\n\r\t\u0041\u00e9"])"_ba << T::Messages
                                  << QByteArrayList { "\"\\/\b\f\n\r\tA\xc3\xa9"_ba } << 0 << QString();
    QTest::newRow("surrogate pair") << R"(a["\ud83d\ude00"])"_ba << T::Messages
                                    << QByteArrayList { "\xf0\x9f\x98\x80"_ba } << 0 << QString();
    QTest::newRow("raw UTF-8 kept") << "a[\"gr\xc3\xbc\xc3\x9f \xe2\x82\xac\"]"_ba << T::Messages
                                    << QByteArrayList { "gr\xc3\xbc\xc3\x9f \xe2\x82\xac"_ba } << 0
                                    << QString();
    QTest::newRow("BOM inside a message is data") << "a[\"\xef\xbb\xbfx\"]"_ba << T::Messages
                                                  << QByteArrayList { "\xef\xbb\xbfx"_ba } << 0 << QString();
    QTest::newRow("single message frame")
        << R"(m"hello")"_ba << T::Messages << QByteArrayList { "hello" } << 0 << QString();
    QTest::newRow("close") << R"(c[3000,"Go away!"])"_ba << T::Close << QByteArrayList() << 3000
                           << u"Go away!"_s;
    QTest::newRow("close, another connection")
        << R"(c[2010, "Another connection still open"])"_ba << T::Close << QByteArrayList() << 2010
        << u"Another connection still open"_s;
    QTest::newRow("close, escaped reason")
        << R"(c[1002,"\u00fcber \"x\""])"_ba << T::Close << QByteArrayList() << 1002 << u"\u00fcber \"x\""_s;
}

void TestSockJsFrame::decode()
{
    QFETCH(QByteArray, payload);
    QFETCH(SockJsFrame::Type, type);
    QFETCH(QByteArrayList, messages);
    QFETCH(int, closeCode);
    QFETCH(QString, closeReason);

    QString error;
    const auto frame = SockJsFrame::decode(payload, &error);
    QVERIFY2(frame, qPrintable(error));
    QCOMPARE(frame->type, type);
    QCOMPARE(frame->messages, messages);
    QCOMPARE(frame->closeCode, closeCode);
    QCOMPARE(frame->closeReason, closeReason);
}

void TestSockJsFrame::malformed_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("error"); // a part of the message that must appear

    QTest::newRow("empty") << QByteArray() << u"empty SockJS frame"_s;
    QTest::newRow("unknown type") << "x[]"_ba << u"unknown SockJS frame type 'x'"_s;
    QTest::newRow("unknown binary type") << "\x01"_ba << u"byte 0x01"_s;
    QTest::newRow("open with trailing bytes") << "oo"_ba << u"1 unexpected bytes"_s;
    QTest::newRow("heart-beat with newline") << "h\n"_ba << u"unexpected bytes"_s;
    QTest::newRow("array without bracket")
        << R"(a"x")"_ba << u"expected '[' to open the message array at byte 1"_s;
    QTest::newRow("array truncated after [") << "a["_ba << u"truncated: expected a string at byte 2"_s;
    QTest::newRow("array truncated in string")
        << R"(a["CONNE)"_ba << u"truncated: a string is not closed at byte 8"_s;
    QTest::newRow("array truncated after string") << R"(a["x")"_ba << u"truncated: expected ',' or ']'"_s;
    QTest::newRow("array truncated after comma") << R"(a["x",)"_ba << u"truncated: expected a string"_s;
    QTest::newRow("trailing comma") << R"(a["x",])"_ba << u"message 2 of the array is not a string"_s;
    QTest::newRow("number member") << R"(a["x",1])"_ba
                                   << u"message 2 of the array is not a string at byte 6"_s;
    QTest::newRow("null member") << "a[null]"_ba << u"message 1 of the array is not a string"_s;
    QTest::newRow("object member") << R"(a[{"a":"b"}])"_ba << u"message 1 of the array is not a string"_s;
    QTest::newRow("deep nesting") << QByteArray("a" + QByteArray(100000, '['))
                                  << u"message 1 of the array is not a string at byte 2"_s;
    QTest::newRow("nested array member") << R"(a[["x"]])"_ba << u"message 1 of the array is not a string"_s;
    QTest::newRow("trailing garbage") << R"(a["x"]x)"_ba << u"unexpected bytes after the frame at byte 6"_s;
    QTest::newRow("two arrays") << R"(a["x"]["y"])"_ba << u"unexpected bytes after the frame"_s;
    QTest::newRow("trailing NUL") << QByteArray("a[\"x\"]\0", 7) << u"unexpected bytes after the frame"_s;
    QTest::newRow("raw newline in string")
        << "a[\"a\nb\"]"_ba << u"control character 0x0a inside a string must be escaped"_s;
    QTest::newRow("raw NUL in string") << QByteArray("a[\"a\0b\"]", 8) << u"control character 0x00"_s;
    QTest::newRow("unknown escape") << R"(a["\x41"])"_ba << u"unknown escape \\x"_s;
    QTest::newRow("escape at end") << R"(a["\)"_ba << u"truncated: an escape is not complete"_s;
    QTest::newRow("short \\u") << R"(a["\u00"])"_ba << u"\\u needs four hex digits"_s;
    QTest::newRow("truncated \\u") << R"(a["\u00)"_ba << u"truncated: \\u needs four hex digits"_s;
    QTest::newRow("lone high surrogate") << R"(a["\ud83d"])"_ba << u"unpaired surrogate \\ud83d"_s;
    QTest::newRow("lone low surrogate") << R"(a["\ude00"])"_ba << u"unpaired surrogate \\ude00"_s;
    QTest::newRow("high surrogate then BMP") << R"(a["\ud83d\u0041"])"_ba << u"unpaired surrogate"_s;
    QTest::newRow("invalid UTF-8") << "a[\"\xff\"]"_ba << u"not valid UTF-8"_s;
    QTest::newRow("overlong UTF-8") << "a[\"\xc0\xaf\"]"_ba << u"not valid UTF-8"_s;
    QTest::newRow("UTF-8 surrogate bytes") << "a[\"\xed\xa0\x80\"]"_ba << u"not valid UTF-8"_s;
    QTest::newRow("truncated UTF-8") << "a[\"\xe2\x82"_ba << u"not valid UTF-8"_s;
    QTest::newRow("m without string") << "m[]"_ba << u"expected a string"_s;
    QTest::newRow("m trailing") << R"(m"a""b")"_ba << u"unexpected bytes after the frame"_s;
    QTest::newRow("close without array") << "c"_ba << u"truncated: expected '[' to open the close frame"_s;
    QTest::newRow("close string code") << R"(c["3000","x"])"_ba << u"expected a close code"_s;
    QTest::newRow("close negative code") << R"(c[-1,"x"])"_ba << u"expected a close code"_s;
    QTest::newRow("close fractional code") << R"(c[3000.5,"x"])"_ba << u"not a whole number"_s;
    QTest::newRow("close exponent code") << R"(c[3e3,"x"])"_ba << u"not a whole number"_s;
    QTest::newRow("close huge code") << R"(c[99999999999999999999,"x"])"_ba << u"not a whole number"_s;
    QTest::newRow("close code over 65535") << R"(c[65536,"x"])"_ba << u"not a whole number"_s;
    QTest::newRow("close without reason") << "c[3000]"_ba << u"expected ',' after the close code"_s;
    QTest::newRow("close number reason") << "c[3000,1]"_ba << u"expected a string"_s;
    QTest::newRow("close extra member")
        << R"(c[3000,"x","y"])"_ba << u"expected ']' to end the close frame"_s;
    QTest::newRow("close truncated") << R"(c[3000,"Go aw)"_ba << u"truncated: a string is not closed"_s;
}

void TestSockJsFrame::malformed()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, error);

    QString actual;
    const auto frame = SockJsFrame::decode(payload, &actual);
    QVERIFY2(!frame, "a malformed frame was accepted");
    QVERIFY2(actual.contains(error), qPrintable(u"error '"_s + actual + u"' lacks '"_s + error + u'\''));
    // A null error pointer is allowed.
    QVERIFY(!SockJsFrame::decode(payload, nullptr));
}

void TestSockJsFrame::sizeLimit()
{
    // Huge sizes: refused before parsing, by the limit given or the default.
    const QByteArray big = "a[\"" + QByteArray(SockJsFrame::kMaxFrameBytes, 'x') + "\"]";
    QString error;
    QVERIFY(!SockJsFrame::decode(big, &error));
    QVERIFY2(error.contains(u"over the 4194304-byte limit"_s), qPrintable(error));
    QVERIFY(!SockJsFrame::decode(R"(a["0123456789"])"_ba, &error, 10));
    QVERIFY2(error.contains(u"over the 10-byte limit"_s), qPrintable(error));
    const auto fits = SockJsFrame::decode(R"(a["0123456789"])"_ba, &error, 16);
    QVERIFY2(fits, qPrintable(error));
    QCOMPARE(fits->messages, QByteArrayList { "0123456789" });
    // Many small members are fine up to the limit.
    QByteArray many = "a[";
    for (int i = 0; i < 100000; ++i)
        many += i ? ",\"\"" : "\"\"";
    many += ']';
    const auto parsed = SockJsFrame::decode(many, &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(parsed->messages.size(), 100000);
}

void TestSockJsFrame::encodeMessages_data()
{
    QTest::addColumn<QByteArrayList>("messages");
    QTest::addColumn<QByteArray>("json");

    QTest::newRow("none") << QByteArrayList() << "[]"_ba;
    QTest::newRow("STOMP frame with NUL") << QByteArrayList { "SEND\ndestination:/a\n\nhi\0"_ba }
                                          << R"(["SEND\ndestination:/a\n\nhi\u0000"])"_ba;
    QTest::newRow("heart-beat") << QByteArrayList { "\n" } << R"(["\n"])"_ba;
    QTest::newRow("quote and backslash") << QByteArrayList { R"(say "\)"_ba } << R"(["say \"\\"])"_ba;
    QTest::newRow("two") << QByteArrayList { "a", "b" } << R"(["a","b"])"_ba;
    QTest::newRow("plain UTF-8 stays") << QByteArrayList { "\xc3\xa9"_ba } << "[\"\xc3\xa9\"]"_ba;
    QTest::newRow("line separator escaped") << QByteArrayList { "\xe2\x80\xa8"_ba } << R"(["\u2028"])"_ba;
    QTest::newRow("emoji as surrogate escapes")
        << QByteArrayList { "\xf0\x9f\x98\x80"_ba } << R"(["\ud83d\ude00"])"_ba;
    QTest::newRow("invalid UTF-8 replaced") << QByteArrayList { "\xff"_ba } << R"(["\ufffd"])"_ba;
    QTest::newRow("BOM kept") << QByteArrayList { "\xef\xbb\xbfx"_ba } << "[\"\xef\xbb\xbfx\"]"_ba;
}

void TestSockJsFrame::encodeMessages()
{
    QFETCH(QByteArrayList, messages);
    QFETCH(QByteArray, json);
    QCOMPARE(SockJsFrame::encodeMessages(messages), json);
}

void TestSockJsFrame::roundTrip_data()
{
    QTest::addColumn<QByteArray>("encoded");
    QTest::newRow("open") << SockJsFrame::encode({ SockJsFrame::Type::Open, {}, 0, {} });
    QTest::newRow("heart-beat") << SockJsFrame::encode({ SockJsFrame::Type::HeartBeat, {}, 0, {} });
    QTest::newRow("messages") << SockJsFrame::encode({ SockJsFrame::Type::Messages,
        { "MESSAGE\nmessage-id:1\n\n{\"a\":1}\0"_ba, "\n", "\xe2\x80\xa8\x01"_ba }, 0, {} });
    QTest::newRow("close") << SockJsFrame::encode(
        { SockJsFrame::Type::Close, {}, 3000, u"Go \"away\"!\n"_s });
}

void TestSockJsFrame::roundTrip()
{
    QFETCH(QByteArray, encoded);
    QString error;
    const auto frame = SockJsFrame::decode(encoded, &error);
    QVERIFY2(frame, qPrintable(error));
    QCOMPARE(SockJsFrame::encode(*frame), encoded);
}

void TestSockJsFrame::transportUrl_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("server");
    QTest::addColumn<QString>("session");
    QTest::addColumn<QString>("expected"); // empty: an error

    QTest::newRow("http") << u"http://host:8080/stomp"_s << u"123"_s << u"abc"_s
                          << u"ws://host:8080/stomp/123/abc/websocket"_s;
    QTest::newRow("https") << u"https://host/app/stomp"_s << u"000"_s << u"s1"_s
                           << u"wss://host/app/stomp/000/s1/websocket"_s;
    QTest::newRow("trailing slash") << u"http://host/stomp/"_s << u"1"_s << u"x"_s
                                    << u"ws://host/stomp/1/x/websocket"_s;
    QTest::newRow("root") << u"ws://host"_s << u"1"_s << u"x"_s << u"ws://host/1/x/websocket"_s;
    QTest::newRow("query kept, fragment dropped")
        << u"http://h/s?t=1#f"_s << u"1"_s << u"x"_s << u"ws://h/s/1/x/websocket?t=1"_s;
    QTest::newRow("encoded path kept")
        << u"http://h/a%20b"_s << u"1"_s << u"x"_s << u"ws://h/a%20b/1/x/websocket"_s;
    QTest::newRow("wss stays") << u"wss://h/s"_s << u"1"_s << u"x"_s << u"wss://h/s/1/x/websocket"_s;
    QTest::newRow("ftp refused") << u"ftp://h/s"_s << u"1"_s << u"x"_s << QString();
    QTest::newRow("no host") << u"http:///s"_s << u"1"_s << u"x"_s << QString();
    QTest::newRow("relative") << u"/stomp"_s << u"1"_s << u"x"_s << QString();
    QTest::newRow("dot in session") << u"http://h/s"_s << u"1"_s << u"a.b"_s << QString();
    QTest::newRow("slash in server") << u"http://h/s"_s << u"1/2"_s << u"x"_s << QString();
    QTest::newRow("empty session") << u"http://h/s"_s << u"1"_s << QString() << QString();
}

void TestSockJsFrame::transportUrl()
{
    QFETCH(QString, base);
    QFETCH(QString, server);
    QFETCH(QString, session);
    QFETCH(QString, expected);
    QString error;
    const QUrl url = SockJsFrame::transportUrl(QUrl(base), server, session, &error);
    if (expected.isEmpty()) {
        QVERIFY2(url.isEmpty(), qPrintable(url.toString()));
        QVERIFY(!error.isEmpty());
    } else {
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(url.toString(QUrl::FullyEncoded), expected);
    }
}

void TestSockJsFrame::randomTransportUrl()
{
    QString error;
    const QUrl first = SockJsFrame::transportUrl(QUrl(u"http://h/stomp"_s), &error);
    const QUrl second = SockJsFrame::transportUrl(QUrl(u"http://h/stomp"_s), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QStringList parts = first.path().split(u'/');
    QCOMPARE(parts.size(), 5); // "", stomp, server, session, websocket
    QCOMPARE(parts.at(1), u"stomp"_s);
    QVERIFY2(parts.at(2).size() == 3 && parts.at(2).toInt() >= 0, qPrintable(parts.at(2)));
    QCOMPARE(parts.at(3).size(), 16);
    QCOMPARE(parts.at(4), u"websocket"_s);
    QVERIFY2(first != second, "two sessions got the same URL");
}

SB_TEST_APPLESS_MAIN(TestSockJsFrame)
#include "tst_sockjsframe.moc"
