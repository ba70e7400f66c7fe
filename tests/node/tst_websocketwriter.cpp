// WebSocketWriter: the node frames its STOMP frames itself and writes each with one write
// to the TCP socket, with no QWebSocket of its own. The bytes a client receives must be
// exactly those QWebSocket's sendTextMessage / sendBinaryMessage sent: checked here on a real
// loopback connection, read raw by the client, around the length encodings' boundaries
// (125/126, 65535/65536), for text that is not valid UTF-8 (U+FFFD for each bad sequence)
// and for messages over QWebSocket's 512 KiB frame size (fragments). Then its control
// frames: the pong and the close. And the handshake's answer, which the node now writes
// itself (protocol::WebSocketHandshake), against QWebSocketServer's.

#include "node/WebSocketWriter.h"
#include "node/WriteBatch.h"
#include "protocol/HttpRequestParser.h"
#include "protocol/WebSocketHandshake.h"
#include "support/TestMain.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

#include <memory>

using sb::node::WebSocketWriter;

Q_DECLARE_METATYPE(WebSocketWriter::Kind)

namespace {
// A server-side QWebSocket over a QTcpSocket the test holds (as the node's worker does),
// and a raw client that reads every byte the server writes.
struct Connection
{
    QTcpServer listener;
    QWebSocketServer upgrader { QStringLiteral("test"), QWebSocketServer::NonSecureMode };
    QTcpSocket client;
    QTcpSocket *transport = nullptr;
    QWebSocket *socket = nullptr;
    QByteArray received;

    bool open()
    {
        if (!listener.listen(QHostAddress::LocalHost, 0))
            return false;
        client.connectToHost(QHostAddress::LocalHost, listener.serverPort());
        if (!QTest::qWaitFor([&] { return listener.hasPendingConnections(); }, 5000))
            return false;
        transport = listener.nextPendingConnection();
        upgrader.handleConnection(transport);
        client.write("GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        if (!QTest::qWaitFor([&] { return upgrader.hasPendingConnections(); }, 5000))
            return false;
        socket = upgrader.nextPendingConnection();
        QByteArray head;
        if (!QTest::qWaitFor(
                [&] {
                    head += client.readAll();
                    return head.contains("\r\n\r\n");
                },
                5000))
            return false;
        received = head.mid(head.indexOf("\r\n\r\n") + 4);
        return true;
    }

    // Exactly `size` more bytes from the server.
    QByteArray take(qsizetype size)
    {
        const bool arrived = QTest::qWaitFor(
            [&] {
                received += client.readAll();
                return received.size() >= size;
            },
            5000);
        if (!arrived)
            return {};
        const QByteArray bytes = received.left(size);
        received.remove(0, size);
        return bytes;
    }

    // What QWebSocket writes for `message`, then what the writer writes for it.
    QPair<QByteArray, QByteArray> both(const QByteArray &message, WebSocketWriter::Kind kind)
    {
        const qint64 before = transport->bytesToWrite();
        if (kind == WebSocketWriter::Kind::Binary)
            socket->sendBinaryMessage(message);
        else
            socket->sendTextMessage(QString::fromUtf8(message));
        const qint64 qtSize = transport->bytesToWrite() - before;
        WebSocketWriter(transport).send(message, kind);
        const qint64 ourSize = transport->bytesToWrite() - before - qtSize;
        const QByteArray qt = take(qtSize);
        return { qt, take(ourSize) };
    }
};
} // namespace

class TestWebSocketWriter : public QObject
{
    Q_OBJECT
private slots:
    void handshakeAnswerIsQWebSocketServers_data()
    {
        QTest::addColumn<QByteArray>("fields"); // the request's optional fields
        QTest::addColumn<QByteArray>("chosen");
        QTest::newRow("no subprotocol") << QByteArray() << QByteArray();
        QTest::newRow("stompjs's offer")
            << QByteArray("Sec-WebSocket-Protocol: v12.stomp, v11.stomp, v10.stomp\r\n")
            << QByteArray("v12.stomp");
        QTest::newRow("1.0 first") << QByteArray("Sec-WebSocket-Protocol: v10.stomp,v12.stomp\r\n")
                                   << QByteArray("v10.stomp");
        QTest::newRow("1.1 before 1.0")
            << QByteArray("Sec-WebSocket-Protocol: v11.stomp, v10.stomp\r\n") << QByteArray("v11.stomp");
        QTest::newRow("unknown, then one in another field")
            << QByteArray("Sec-WebSocket-Protocol: mqtt\r\nSec-WebSocket-Protocol: v11.stomp\r\n")
            << QByteArray("v11.stomp");
        QTest::newRow("none shared, an origin")
            << QByteArray("Sec-WebSocket-Protocol: mqtt\r\nOrigin: http://example.test\r\n") << QByteArray();
    }

    void handshakeAnswerIsQWebSocketServers()
    {
        QFETCH(QByteArray, fields);
        QFETCH(QByteArray, chosen);
        QTcpServer listener;
        QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
        QWebSocketServer upgrader(QStringLiteral("switchboard"), QWebSocketServer::NonSecureMode);
        upgrader.setSupportedSubprotocols(
            { QStringLiteral("v12.stomp"), QStringLiteral("v11.stomp"), QStringLiteral("v10.stomp") });
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, listener.serverPort());
        QVERIFY(QTest::qWaitFor([&] { return listener.hasPendingConnections(); }, 5000));
        upgrader.handleConnection(listener.nextPendingConnection());
        const QByteArray request = "GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                                   "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                   "Sec-WebSocket-Version: 13\r\n"
            + fields + "\r\n";
        client.write(request);
        QByteArray qt;
        QVERIFY(QTest::qWaitFor(
            [&] {
                qt += client.readAll();
                return qt.contains("\r\n\r\n");
            },
            5000));

        sb::protocol::HttpRequestParser parser;
        QCOMPARE(parser.feed(request), sb::protocol::HttpRequestParser::State::Complete);
        const sb::protocol::WebSocketHandshake ours = sb::protocol::WebSocketHandshake::accept(
            parser.request(), { "v12.stomp", "v11.stomp", "v10.stomp" }, "switchboard");
        QCOMPARE(ours.subprotocol(), chosen);
        // The same fields in the same order; the Date's second may differ.
        const QRegularExpression date(
            QStringLiteral("\r\nDate: \\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT\r\n"));
        QString oursText = QString::fromLatin1(ours.response());
        QString qtText = QString::fromLatin1(qt);
        QVERIFY2(oursText.contains(date), qPrintable(oursText));
        QVERIFY2(qtText.contains(date), qPrintable(qtText));
        QCOMPARE(
            oursText.replace(date, QStringLiteral("\r\n")), qtText.replace(date, QStringLiteral("\r\n")));
    }

    // RFC 6455 §5.7's unmasked example, and the 16-bit and 64-bit lengths.
    void framesAsTheRfcSays()
    {
        QCOMPARE(WebSocketWriter::frame("Hello", WebSocketWriter::Kind::Text),
            QByteArray::fromHex("810548656c6c6f"));
        const QByteArray kib(256, 'x');
        QCOMPARE(WebSocketWriter::frame(kib, WebSocketWriter::Kind::Binary),
            QByteArray::fromHex("827e0100") + kib);
        const QByteArray big(65536, 'y');
        QCOMPARE(WebSocketWriter::frame(big, WebSocketWriter::Kind::Binary),
            QByteArray::fromHex("827f0000000000010000") + big);
    }

    void sameBytesAsQWebSocket_data()
    {
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<WebSocketWriter::Kind>("kind");

        QTest::newRow("heart-beat") << QByteArrayLiteral("\n") << WebSocketWriter::Kind::Text;
        QTest::newRow("empty") << QByteArray() << WebSocketWriter::Kind::Text;
        for (const int size : { 125, 126, 127, 65535, 65536, 70000 })
            QTest::newRow(qPrintable(QStringLiteral("text %1").arg(size)))
                << QByteArray(size, 'm') << WebSocketWriter::Kind::Text;
        QTest::newRow("utf-8") << QByteArrayLiteral("MESSAGE\n\n{\"t\":\"gr\xc3\xbc\xc3\x9f \xe2\x9c\x93\"}")
                               << WebSocketWriter::Kind::Text;
        // Not UTF-8: QWebSocket (through QString) sent U+FFFD for it, and so must the writer.
        QTest::newRow("invalid utf-8")
            << QByteArrayLiteral("MESSAGE\nsubscription:\xff\xfe\n\n{\"t\":\"\xc3\x28 \xe2\x82\"}")
            << WebSocketWriter::Kind::Text;
        QTest::newRow("binary with nul")
            << QByteArray("MESSAGE\n\na\0b\0", 12) << WebSocketWriter::Kind::Binary;
        // Over QWebSocket's outgoing frame size (512 KiB) it sent fragments, and so must the writer.
        QTest::newRow("text over 512 KiB")
            << QByteArray(WebSocketWriter::kMaxFramePayload * 2 + 100, 'f') << WebSocketWriter::Kind::Text;
        QTest::newRow("binary of exactly 1 MiB")
            << QByteArray(WebSocketWriter::kMaxFramePayload * 2, 'g') << WebSocketWriter::Kind::Binary;
        QTest::newRow("invalid utf-8 over 512 KiB")
            << QByteArray(QByteArray(WebSocketWriter::kMaxFramePayload, 'h') + "\xff" + QByteArray(10, 'i'))
            << WebSocketWriter::Kind::Text;
    }

    void sameBytesAsQWebSocket()
    {
        QFETCH(QByteArray, message);
        QFETCH(WebSocketWriter::Kind, kind);

        Connection connection;
        QVERIFY(connection.open());
        QCOMPARE(connection.socket->outgoingFrameSize(), quint64(WebSocketWriter::kMaxFramePayload));
        const auto [qt, ours] = connection.both(message, kind);
        QVERIFY(!qt.isEmpty());
        QCOMPARE(ours.toHex(), qt.toHex());
    }

    // With a batch, frames sent in a row are held until the events queued before them have
    // run, then reach the client as one write, in order, and the same bytes.
    void batchedFramesGoOutTogether()
    {
        Connection connection;
        QVERIFY(connection.open());
        sb::node::WriteBatch batch;
        WebSocketWriter writer(connection.transport, &batch);
        const QByteArray first = QByteArrayLiteral("MESSAGE\nsubscription:a\n\n{}");
        const QByteArray second(300, 'z');
        QVERIFY(writer.send(first, WebSocketWriter::Kind::Text));
        QVERIFY(writer.send(second, WebSocketWriter::Kind::Binary));
        const QByteArray expected = WebSocketWriter::frame(first, WebSocketWriter::Kind::Text)
            + WebSocketWriter::frame(second, WebSocketWriter::Kind::Binary);
        QCOMPARE(writer.held(), expected.size());
        QCOMPARE(batch.waiting(), 1);
        QCOMPARE(connection.transport->bytesToWrite(), 0); // nothing written yet
        QCOMPARE(connection.take(expected.size()).toHex(), expected.toHex());
        QCOMPARE(writer.held(), 0);
        QCOMPARE(batch.waiting(), 0);
    }

    // A batch never holds more than kMaxHeldBytes for one session (issue 15, overload): with
    // the worker behind, the flush came only after thousands of broadcasts.
    void aBatchHoldsABoundedAmount()
    {
        Connection connection;
        QVERIFY(connection.open());
        sb::node::WriteBatch batch;
        WebSocketWriter writer(connection.transport, &batch);
        const QByteArray message(1000, 'h');
        for (int i = 0; i < 200; ++i) // 200 KB before the batch's flush could run
            QVERIFY(writer.send(message, WebSocketWriter::Kind::Text));
        QVERIFY(writer.held() < WebSocketWriter::kMaxHeldBytes);
        const QByteArray one = WebSocketWriter::frame(message, WebSocketWriter::Kind::Text);
        QCOMPARE(connection.take(one.size() * 200).size(), one.size() * 200); // all of it, in order
    }

    // A message over the frame size goes in fragments, after what the writer held before it.
    void fragmentsGoAfterWhatWasHeld()
    {
        Connection connection;
        QVERIFY(connection.open());
        sb::node::WriteBatch batch;
        WebSocketWriter writer(connection.transport, &batch);
        const QByteArray small = QByteArrayLiteral("RECEIPT\nreceipt-id:1\n\n");
        const QByteArray big(WebSocketWriter::kMaxFramePayload + 250, 'q');
        QVERIFY(writer.send(small, WebSocketWriter::Kind::Text));
        QVERIFY(writer.send(big, WebSocketWriter::Kind::Text));
        const QByteArray head = WebSocketWriter::frame(small, WebSocketWriter::Kind::Text);
        QCOMPARE(connection.take(head.size()).toHex(), head.toHex());
        // Text without FIN, a 64-bit length of 512 KiB; then a continuation with FIN of 250.
        QCOMPARE(connection.take(10).toHex(), QByteArray("017f0000000000080000"));
        QCOMPARE(connection.take(WebSocketWriter::kMaxFramePayload),
            QByteArray(WebSocketWriter::kMaxFramePayload, 'q'));
        QCOMPARE(connection.take(4).toHex(), QByteArray("807e00fa"));
        QCOMPARE(connection.take(250), QByteArray(250, 'q'));
    }

    // A text message its sender vouches for (Kind::ValidText: SharedMessageFrame checked the
    // shared bytes once per broadcast) is framed as it is, not read again for UTF-8 per frame:
    // so bytes that are not UTF-8, sent as ValidText, go out unchanged (as Text they are
    // sent with U+FFFD, as QWebSocket sent them), with the text opcode.
    void validTextIsNotCheckedAgain()
    {
        Connection connection;
        QVERIFY(connection.open());
        const QByteArray notUtf8 = QByteArrayLiteral("MESSAGE\n\nbad \xff byte");
        QVERIFY(WebSocketWriter(connection.transport).send(notUtf8, WebSocketWriter::Kind::ValidText));
        const QByteArray expected = WebSocketWriter::frame(notUtf8, WebSocketWriter::Kind::Text);
        QCOMPARE(quint8(expected.at(0)), quint8(0x81)); // FIN + text
        QCOMPARE(connection.take(expected.size()).toHex(), expected.toHex());
    }

    // The pong carries the ping's payload back, after what was held before it; the close
    // frame carries the code and reason, after everything, and nothing may follow it.
    void pongAndCloseFrames()
    {
        Connection connection;
        QVERIFY(connection.open());
        sb::node::WriteBatch batch;
        WebSocketWriter writer(connection.transport, &batch);
        QVERIFY(writer.send(QByteArrayLiteral("\n"), WebSocketWriter::Kind::Text));
        writer.sendPong("ping!");
        QCOMPARE(connection.take(3).toHex(), QByteArray("81010a")); // the held heart-beat first
        QCOMPARE(connection.take(7).toHex(), QByteArray("8a0570696e6721"));
        QVERIFY(writer.send(QByteArrayLiteral("late?"), WebSocketWriter::Kind::Text));
        writer.sendClose(4000, "bye");
        QVERIFY(!writer.isOpen());
        QVERIFY(!writer.send(QByteArrayLiteral("too late"), WebSocketWriter::Kind::Text));
        writer.sendPong("no");
        QCOMPARE(connection.take(7).toHex(), QByteArray("81056c6174653f"));
        QCOMPARE(connection.take(7).toHex(), QByteArray("88050fa0627965"));
        // Nothing after the close (the rest of the heart-beat's batch went before it).
        QVERIFY(!QTest::qWaitFor(
            [&] {
                connection.received += connection.client.readAll();
                return !connection.received.isEmpty();
            },
            100));
    }

    void nothingOnceTheSocketIsClosed()
    {
        Connection connection;
        QVERIFY(connection.open());
        connection.transport->abort();
        WebSocketWriter writer(connection.transport);
        QVERIFY(!writer.isOpen());
        QVERIFY(!writer.send(QByteArrayLiteral("late"), WebSocketWriter::Kind::Text));
    }
};

SB_TEST_GUILESS_MAIN(TestWebSocketWriter)
#include "tst_websocketwriter.moc"
