// WebSocketFrameDecoder (issue 15): what a client sends a server, RFC 6455 §5, decoded
// incrementally: messages whole whatever the split, control frames between fragments, and
// every malformed, truncated, oversized or hostile input refused with its close code.
#include "protocol/WebSocketFrameDecoder.h"
#include "support/TestMain.h"

#include <QTest>

using namespace sb::protocol;
using Status = WebSocketFrameDecoder::Status;
Q_DECLARE_METATYPE(sb::protocol::WebSocketFrameDecoder::Status)

namespace {

enum class LengthForm { Shortest, Two, Eight };

// One client frame: FIN, RSV, opcode, masked with `key` unless `masked` is false.
QByteArray clientFrame(int opcode, const QByteArray &payload, bool fin = true, bool masked = true,
    int rsv = 0, LengthForm form = LengthForm::Shortest)
{
    QByteArray frame;
    frame.append(char((fin ? 0x80 : 0) | (rsv << 4) | opcode));
    const char maskBit = masked ? char(0x80) : char(0);
    const qsizetype size = payload.size();
    if (form == LengthForm::Shortest && size < 126) {
        frame.append(char(maskBit | char(size)));
    } else if (form == LengthForm::Two || (form == LengthForm::Shortest && size <= 0xFFFF)) {
        frame.append(char(maskBit | 126));
        frame.append(char(size >> 8)).append(char(size & 0xFF));
    } else {
        frame.append(char(maskBit | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((quint64(size) >> shift) & 0xFF));
    }
    const char key[4] = { char(0x37), char(0xfa), char(0x21), char(0x3d) };
    if (masked)
        frame.append(key, 4);
    for (qsizetype i = 0; i < size; ++i)
        frame.append(masked ? char(payload.at(i) ^ key[i % 4]) : payload.at(i));
    return frame;
}

QByteArray closePayload(quint16 code, const QByteArray &reason = {})
{
    return QByteArray(1, char(code >> 8)) + char(code & 0xFF) + reason;
}

} // namespace

class TestWebSocketFrameDecoder : public QObject
{
    Q_OBJECT
private slots:
    void oneTextMessage();
    void everySplitGivesTheSameMessages();
    void fragmentsAreJoinedAndControlFramesComeBetween();
    void longLengthsInBothForms();
    void pingPongAndClose_data();
    void pingPongAndClose();
    void refused_data();
    void refused();
    void theLimitIsCheckedFromTheHeader();
    void anErrorIsFinal();
    void anIdleDecoderHoldsNoMemory();
    void aPartialFrameIsNotAPartialMessage();
    void manyTinyFragmentsDoNotRecurse();
};

void TestWebSocketFrameDecoder::oneTextMessage()
{
    WebSocketFrameDecoder decoder;
    decoder.feed(clientFrame(0x1, "CONNECT\naccept-version:1.2\n\n"));
    QCOMPARE(decoder.next(), Status::Message);
    QVERIFY(decoder.isText());
    QCOMPARE(decoder.takePayload(), QByteArray("CONNECT\naccept-version:1.2\n\n"));
    QCOMPARE(decoder.next(), Status::NeedMoreData);

    decoder.feed(clientFrame(0x2, QByteArray("a\0b", 3)));
    QCOMPARE(decoder.next(), Status::Message);
    QVERIFY(!decoder.isText());
    QCOMPARE(decoder.takePayload(), QByteArray("a\0b", 3));
    decoder.feed(clientFrame(0x1, {})); // an empty message is one
    QCOMPARE(decoder.next(), Status::Message);
    QVERIFY(decoder.takePayload().isEmpty());
}

void TestWebSocketFrameDecoder::everySplitGivesTheSameMessages()
{
    const QByteArray big(70000, 'x'); // the 64-bit length form
    const QByteArray wire = clientFrame(0x1, "SUBSCRIBE\n\n") + clientFrame(0x1, "\xc3\xa9t\xc3\xa9", false)
        + clientFrame(0x9, "p") + clientFrame(0x0, " \xe2\x82\xac") + clientFrame(0x2, big)
        + clientFrame(0x1, QByteArray(300, 'm'));
    for (qsizetype step : { qsizetype(1), qsizetype(2), qsizetype(3), qsizetype(7), qsizetype(125),
             qsizetype(4096), wire.size() }) {
        WebSocketFrameDecoder decoder;
        QList<QByteArray> seen;
        for (qsizetype at = 0; at < wire.size(); at += step) {
            decoder.feed(QByteArrayView(wire).sliced(at, qMin(step, wire.size() - at)));
            for (Status status = decoder.next(); status != Status::NeedMoreData; status = decoder.next()) {
                QVERIFY2(status != Status::Error, qPrintable(decoder.errorString()));
                seen.append(
                    (status == Status::Ping ? QByteArray("ping:") : QByteArray()) + decoder.takePayload());
            }
        }
        const QList<QByteArray> expected { "SUBSCRIBE\n\n", "ping:p", "\xc3\xa9t\xc3\xa9 \xe2\x82\xac", big,
            QByteArray(300, 'm') };
        QCOMPARE(seen, expected);
        QCOMPARE(decoder.bufferedBytes(), 0);
    }
}

void TestWebSocketFrameDecoder::fragmentsAreJoinedAndControlFramesComeBetween()
{
    WebSocketFrameDecoder decoder;
    decoder.feed(QByteArray(clientFrame(0x2, "one,", false) + clientFrame(0xA, "pong")
        + clientFrame(0x0, "two,", false) + clientFrame(0x0, "three", true)));
    QCOMPARE(decoder.next(), Status::Pong);
    QCOMPARE(decoder.takePayload(), QByteArray("pong"));
    QCOMPARE(decoder.next(), Status::Message);
    QVERIFY(!decoder.isText()); // the first fragment's opcode is the message's
    QCOMPARE(decoder.takePayload(), QByteArray("one,two,three"));
    QCOMPARE(decoder.next(), Status::NeedMoreData);
}

void TestWebSocketFrameDecoder::longLengthsInBothForms()
{
    WebSocketFrameDecoder decoder;
    decoder.feed(QByteArray(clientFrame(0x2, QByteArray(126, 'a')) + clientFrame(0x2, QByteArray(65535, 'b'))
        + clientFrame(0x2, QByteArray(65536, 'c'))));
    for (const qsizetype size : { 126, 65535, 65536 }) {
        QCOMPARE(decoder.next(), Status::Message);
        QCOMPARE(decoder.takePayload().size(), size);
    }
}

void TestWebSocketFrameDecoder::pingPongAndClose_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<Status>("status");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("closeCode");
    QTest::addColumn<QByteArray>("closeReason");
    QTest::newRow("ping, 125 bytes") << clientFrame(0x9, QByteArray(125, 'p')) << Status::Ping
                                     << QByteArray(125, 'p') << 0 << QByteArray();
    QTest::newRow("empty pong") << clientFrame(0xA, {}) << Status::Pong << QByteArray() << 0 << QByteArray();
    QTest::newRow("close without a code")
        << clientFrame(0x8, {}) << Status::Close << QByteArray() << 1005 << QByteArray();
    QTest::newRow("close 1000") << clientFrame(0x8, closePayload(1000)) << Status::Close << QByteArray()
                                << 1000 << QByteArray();
    QTest::newRow("close 4000 with a UTF-8 reason")
        << clientFrame(0x8, closePayload(4000, "bye \xe2\x82\xac")) << Status::Close << QByteArray() << 4000
        << QByteArray("bye \xe2\x82\xac");
    QTest::newRow("close 3000") << clientFrame(0x8, closePayload(3000)) << Status::Close << QByteArray()
                                << 3000 << QByteArray();
}

void TestWebSocketFrameDecoder::pingPongAndClose()
{
    QFETCH(QByteArray, wire);
    QFETCH(Status, status);
    WebSocketFrameDecoder decoder;
    decoder.feed(wire);
    QCOMPARE(decoder.next(), status);
    if (status == Status::Close) {
        QTEST(int(decoder.closeCode()), "closeCode");
        QTEST(decoder.closeReason(), "closeReason");
    } else {
        QTEST(decoder.takePayload(), "payload");
    }
}

void TestWebSocketFrameDecoder::refused_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<int>("code");
    const int protocolError = WebSocketFrameDecoder::kCloseProtocolError;
    const int badData = WebSocketFrameDecoder::kCloseBadData;
    QTest::newRow("unmasked") << clientFrame(0x1, "hi", true, false) << protocolError;
    QTest::newRow("RSV1 (no extension)") << clientFrame(0x1, "hi", true, true, 4) << protocolError;
    QTest::newRow("RSV3") << clientFrame(0x1, "hi", true, true, 1) << protocolError;
    QTest::newRow("opcode 3") << clientFrame(0x3, "hi") << protocolError;
    QTest::newRow("opcode 0xB") << clientFrame(0xB, "hi") << protocolError;
    QTest::newRow("fragmented ping") << clientFrame(0x9, "hi", false) << protocolError;
    QTest::newRow("ping of 126 bytes") << clientFrame(0x9, QByteArray(126, 'p')) << protocolError;
    QTest::newRow("continuation of nothing") << clientFrame(0x0, "hi") << protocolError;
    QTest::newRow("text inside a fragmented message")
        << QByteArray(clientFrame(0x1, "a", false) + clientFrame(0x1, "b")) << protocolError;
    QTest::newRow("5 in two bytes") << clientFrame(0x1, "hello", true, true, 0, LengthForm::Two)
                                    << protocolError;
    QTest::newRow("300 in eight bytes")
        << clientFrame(0x2, QByteArray(300, 'x'), true, true, 0, LengthForm::Eight) << protocolError;
    QTest::newRow("64-bit length with its top bit")
        << QByteArray("\x82\xff\x80\x00\x00\x00\x00\x00\x00\x00", 10) << protocolError;
    QTest::newRow("close with one byte") << clientFrame(0x8, "x") << protocolError;
    for (const int code : { 0, 999, 1004, 1005, 1006, 1012, 1015, 2999, 5000, 65535 })
        QTest::addRow("close code %d", code)
            << clientFrame(0x8, closePayload(quint16(code))) << protocolError;
    QTest::newRow("text not UTF-8") << clientFrame(0x1, "\xc3\x28") << badData;
    QTest::newRow("text with a surrogate") << clientFrame(0x1, "\xed\xa0\x80") << badData;
    QTest::newRow("text ending inside a sequence") << clientFrame(0x1, "ok \xe2\x82") << badData;
    QTest::newRow("bad fragment, before the message ends")
        << QByteArray(clientFrame(0x1, "ok", false) + clientFrame(0x0, "\xff", false)) << badData;
    QTest::newRow("close reason not UTF-8") << clientFrame(0x8, closePayload(1000, "\xff")) << badData;
}

void TestWebSocketFrameDecoder::refused()
{
    QFETCH(QByteArray, wire);
    WebSocketFrameDecoder decoder;
    decoder.feed(wire);
    QCOMPARE(decoder.next(), Status::Error);
    QTEST(int(decoder.errorCode()), "code");
    QVERIFY(!decoder.errorString().isEmpty());
}

void TestWebSocketFrameDecoder::theLimitIsCheckedFromTheHeader()
{
    WebSocketFrameDecoder decoder(1000);
    decoder.feed(clientFrame(0x2, QByteArray(1000, 'x'))); // at the limit: accepted
    QCOMPARE(decoder.next(), Status::Message);
    // Only the header of a frame over the limit: refused before its payload arrives.
    decoder.feed(clientFrame(0x2, QByteArray(1001, 'x')).left(8));
    QCOMPARE(decoder.next(), Status::Error);
    QCOMPARE(decoder.errorCode(), WebSocketFrameDecoder::kCloseTooBig);

    // Fragments whose sum passes the limit, each under it.
    WebSocketFrameDecoder joined(1000);
    joined.feed(clientFrame(0x1, QByteArray(600, 'a'), false));
    QCOMPARE(joined.next(), Status::NeedMoreData);
    joined.feed(clientFrame(0x0, QByteArray(401, 'b')).left(8));
    QCOMPARE(joined.next(), Status::Error);
    QCOMPARE(joined.errorCode(), WebSocketFrameDecoder::kCloseTooBig);

    // A 2^62-byte claim is refused as too big, not waited for (nor its masking key).
    WebSocketFrameDecoder huge(1000);
    huge.feed(QByteArray("\x82\xff\x40\x00\x00\x00\x00\x00\x00\x00", 10));
    QCOMPARE(huge.next(), Status::Error);
    QCOMPARE(huge.errorCode(), WebSocketFrameDecoder::kCloseTooBig);
}

void TestWebSocketFrameDecoder::anErrorIsFinal()
{
    WebSocketFrameDecoder decoder;
    decoder.feed(clientFrame(0x1, "hi", true, false));
    QCOMPARE(decoder.next(), Status::Error);
    decoder.feed(clientFrame(0x1, "hi"));
    QCOMPARE(decoder.next(), Status::Error);
    QVERIFY(decoder.hasError());
    QCOMPARE(decoder.bufferedBytes(), 0);
}

void TestWebSocketFrameDecoder::anIdleDecoderHoldsNoMemory()
{
    WebSocketFrameDecoder decoder;
    const QByteArray frame = clientFrame(0x1, QByteArray(5000, 'x'));
    decoder.feed(frame.left(3000)); // truncated: held until the rest comes
    QCOMPARE(decoder.next(), Status::NeedMoreData);
    QCOMPARE(decoder.bufferedBytes(), 3000);
    decoder.feed(frame.mid(3000));
    QCOMPARE(decoder.next(), Status::Message);
    QCOMPARE(decoder.takePayload().size(), 5000);
    QCOMPARE(decoder.next(), Status::NeedMoreData);
    QCOMPARE(decoder.bufferedBytes(), 0);
}

void TestWebSocketFrameDecoder::aPartialFrameIsNotAPartialMessage()
{
    // What a server times out (QWebSocket's 5 s: StompSession) is a frame begun and not
    // finished, not a message whose next fragment has not come yet.
    WebSocketFrameDecoder decoder;
    decoder.feed(clientFrame(0x1, "first ", false));
    QCOMPARE(decoder.next(), Status::NeedMoreData);
    QCOMPARE(decoder.partialFrameBytes(), 0);
    QCOMPARE(decoder.bufferedBytes(), 6); // the fragment, joined so far
    const QByteArray last = clientFrame(0x0, "and last");
    decoder.feed(last.left(5));
    QCOMPARE(decoder.next(), Status::NeedMoreData);
    QCOMPARE(decoder.partialFrameBytes(), 5);
    decoder.feed(last.mid(5));
    QCOMPARE(decoder.next(), Status::Message);
    QCOMPARE(decoder.takePayload(), QByteArray("first and last"));
    QCOMPARE(decoder.next(), Status::NeedMoreData);
    QCOMPARE(decoder.partialFrameBytes(), 0);
}

void TestWebSocketFrameDecoder::manyTinyFragmentsDoNotRecurse()
{
    QByteArray wire = clientFrame(0x1, "a", false);
    for (int i = 0; i < 100000; ++i)
        wire += clientFrame(0x0, "b", false);
    wire += clientFrame(0x0, "c");
    WebSocketFrameDecoder decoder;
    decoder.feed(wire);
    QCOMPARE(decoder.next(), Status::Message);
    const QByteArray message = decoder.takePayload();
    QCOMPARE(message.size(), 100002);
    QVERIFY(message.startsWith("abbb") && message.endsWith("bbc"));
}

SB_TEST_APPLESS_MAIN(TestWebSocketFrameDecoder)
#include "tst_websocketframedecoder.moc"
