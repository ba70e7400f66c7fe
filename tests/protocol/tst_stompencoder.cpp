#include "protocol/StompDecoder.h"
#include "protocol/StompEncoder.h"
#include "support/TestMain.h"

#include <QTest>

using namespace sb::protocol;
using namespace Qt::StringLiterals;

class TestStompEncoder : public QObject
{
    Q_OBJECT

private slots:
    void encode_data();
    void encode();
    void roundTrip_data();
    void roundTrip();
    void heartBeat();
    void headerInjectionImpossible();
    void escapeWithoutCopy();
};

void TestStompEncoder::encode_data()
{
    QTest::addColumn<StompFrame>("frame");
    QTest::addColumn<StompVersion>("version");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("no body, no content-length")
        << StompFrame("SUBSCRIBE", { { "id", "0" }, { "destination", "/topic/x" } }) << StompVersion::V1_2
        << "SUBSCRIBE\nid:0\ndestination:/topic/x\n\n\0"_ba;
    QTest::newRow("body gets content-length") << StompFrame("MESSAGE", { { "destination", "/topic/x" } },
        "hello") << StompVersion::V1_2 << "MESSAGE\ndestination:/topic/x\ncontent-length:5\n\nhello\0"_ba;
    QTest::newRow("ERROR body gets content-length") << StompFrame("ERROR", { { "message", "bad" } },
        "details") << StompVersion::V1_0 << "ERROR\nmessage:bad\ncontent-length:7\n\ndetails\0"_ba;
    QTest::newRow("NUL body") << StompFrame("SEND", {}, "a\0b"_ba) << StompVersion::V1_2
                              << "SEND\ncontent-length:3\n\na\0b\0"_ba;
    QTest::newRow("stale content-length replaced in place")
        << StompFrame("SEND", { { "content-length", "99" }, { "x", "y" }, { "content-length", "1" } }, "abc")
        << StompVersion::V1_2 << "SEND\ncontent-length:3\nx:y\n\nabc\0"_ba;
    QTest::newRow("explicit content-length on empty body kept as 0") << StompFrame(
        "SEND", { { "content-length", "5" } }) << StompVersion::V1_2 << "SEND\ncontent-length:0\n\n\0"_ba;
    QTest::newRow("1.2 escaping") << StompFrame("MESSAGE", { { "a:b", "x\ny\rz\\w:" } }) << StompVersion::V1_2
                                  << "MESSAGE\na\\cb:x\\ny\\rz\\\\w\\c\n\n\0"_ba;
    QTest::newRow("1.1 escaping drops CR") << StompFrame("MESSAGE", { { "a:b", "x\ny\rz\\" } })
                                           << StompVersion::V1_1 << "MESSAGE\na\\cb:x\\nyz\\\\\n\n\0"_ba;
    QTest::newRow("1.0 no escaping, line breaks dropped") << StompFrame("MESSAGE",
        { { "a", "x\ny\\c:" } }) << StompVersion::V1_0 << "MESSAGE\na:xy\\c:\n\n\0"_ba;
    QTest::newRow("CONNECTED not escaped")
        << StompFrame("CONNECTED", { { "version", "1.2" }, { "server", "sb\\1:0" } }) << StompVersion::V1_2
        << "CONNECTED\nversion:1.2\nserver:sb\\1:0\n\n\0"_ba;
    QTest::newRow("CONNECT not escaped, line breaks dropped") << StompFrame("CONNECT",
        { { "pass:code", "p\\\nq" } }) << StompVersion::V1_2 << "CONNECT\npasscode:p\\q\n\n\0"_ba;
}

void TestStompEncoder::encode()
{
    QFETCH(StompFrame, frame);
    QFETCH(StompVersion, version);
    QFETCH(QByteArray, expected);
    QCOMPARE(StompEncoder::encode(frame, version), expected);
}

void TestStompEncoder::roundTrip_data()
{
    QTest::addColumn<StompFrame>("frame");
    QTest::addColumn<StompVersion>("version");

    const QByteArray nasty = "a:b\\c\nd\\n\\\\:";
    QTest::newRow("1.2 nasty") << StompFrame("SEND", { { nasty, nasty }, { "destination", "/a" } }, "x\0y"_ba)
                               << StompVersion::V1_2;
    QTest::newRow("1.1 nasty") << StompFrame("MESSAGE", { { nasty, nasty } }, "body") << StompVersion::V1_1;
    QTest::newRow("1.0 backslashes") << StompFrame("MESSAGE", { { "a", "b\\c\\n" } }, "body")
                                     << StompVersion::V1_0;
    QTest::newRow("CONNECT raw") << StompFrame("CONNECT", { { "login", "u\\ser" }, { "passcode", "p:w" } })
                                 << StompVersion::V1_2;
    QTest::newRow("repeated headers")
        << StompFrame("RECEIPT", { { "r", "1" }, { "r", "2" } }) << StompVersion::V1_2;
    QTest::newRow("UTF-8") << StompFrame("MESSAGE", { { "ключ", "значение" } }, "тело") << StompVersion::V1_2;
}

void TestStompEncoder::roundTrip()
{
    QFETCH(StompFrame, frame);
    QFETCH(StompVersion, version);
    StompDecoder decoder(StompDecoder::Accept::AnyFrames);
    decoder.setVersion(version);
    decoder.feed(StompEncoder::encode(frame, version));
    QCOMPARE(decoder.next(), StompDecoder::Status::Frame);
    StompFrame decoded = decoder.takeFrame();
    if (!frame.body().isEmpty())
        QCOMPARE(decoded.header("content-length"), QByteArray::number(frame.body().size()));
    decoded.removeHeader("content-length");
    QCOMPARE(decoded.command(), frame.command());
    QCOMPARE(decoded.headers(), frame.headers());
    QCOMPARE(decoded.body(), frame.body());
    QCOMPARE(decoder.next(), StompDecoder::Status::NeedMoreData);
}

void TestStompEncoder::heartBeat()
{
    QCOMPARE(StompEncoder::HeartBeat, QByteArrayView("\n"));
    StompDecoder decoder;
    decoder.feed(StompEncoder::HeartBeat);
    QCOMPARE(decoder.next(), StompDecoder::Status::HeartBeat);
}

void TestStompEncoder::headerInjectionImpossible()
{
    // A value controlled by a user must never produce a second header, in any version.
    const QByteArray evil = "x\r\nreceipt:stolen\n\nbody";
    for (const StompVersion version : { StompVersion::V1_0, StompVersion::V1_1, StompVersion::V1_2 }) {
        for (const QByteArray &command : { "MESSAGE"_ba, "CONNECTED"_ba }) {
            StompDecoder decoder(StompDecoder::Accept::ServerFrames);
            decoder.setVersion(version);
            decoder.feed(StompEncoder::encode(StompFrame(command, { { "message", evil } }), version));
            QCOMPARE(decoder.next(), StompDecoder::Status::Frame);
            const StompFrame decoded = decoder.takeFrame();
            QCOMPARE(decoded.headers().size(), 1);
            QVERIFY(!decoded.hasHeader("receipt"));
            QVERIFY(decoded.body().isEmpty());
        }
    }
}

void TestStompEncoder::escapeWithoutCopy()
{
    // The overload for a QByteArray answers exactly what the view's escape() answers for every
    // byte and version, and hands back the caller's own data when nothing changes.
    for (const StompVersion version : { StompVersion::V1_0, StompVersion::V1_1, StompVersion::V1_2 }) {
        for (int byte = 0; byte < 256; ++byte) {
            const QByteArray text = "id-"_ba + char(byte) + "-7"_ba;
            const QByteArray viaView = StompEncoder::escape(QByteArrayView(text), version);
            const QByteArray viaShared = StompEncoder::escape(text, version);
            QCOMPARE(viaShared, viaView);
            QCOMPARE(viaShared.constData() == text.constData(), viaView == text);
        }
    }
    const QByteArray plain = "sub-0";
    QCOMPARE(StompEncoder::escape(plain, StompVersion::V1_2).constData(), plain.constData());
}

SB_TEST_APPLESS_MAIN(TestStompEncoder)
#include "tst_stompencoder.moc"
