// WebSocketWriter: the node frames its STOMP frames itself and writes each with one write
// to the TCP socket. The bytes a client receives must be exactly those QWebSocket's
// sendTextMessage / sendBinaryMessage sent: checked here on a real loopback connection,
// read raw by the client, around the length encodings' boundaries (125/126, 65535/65536),
// for text that is not valid UTF-8 and for messages QWebSocket fragments.

#include "node/WebSocketWriter.h"
#include "node/WriteBatch.h"
#include "support/TestMain.h"

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
        WebSocketWriter(socket, transport).send(message, kind);
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
        QTest::addColumn<int>("outgoingFrameSize"); // 0: QWebSocket's default

        QTest::newRow("heart-beat") << QByteArrayLiteral("\n") << WebSocketWriter::Kind::Text << 0;
        QTest::newRow("empty") << QByteArray() << WebSocketWriter::Kind::Text << 0;
        for (const int size : { 125, 126, 127, 65535, 65536, 70000 })
            QTest::newRow(qPrintable(QStringLiteral("text %1").arg(size)))
                << QByteArray(size, 'm') << WebSocketWriter::Kind::Text << 0;
        QTest::newRow("utf-8") << QByteArrayLiteral("MESSAGE\n\n{\"t\":\"gr\xc3\xbc\xc3\x9f \xe2\x9c\x93\"}")
                               << WebSocketWriter::Kind::Text << 0;
        // Not UTF-8: QWebSocket (through QString) sends U+FFFD for it, and so must the writer.
        QTest::newRow("invalid utf-8")
            << QByteArrayLiteral("MESSAGE\nsubscription:\xff\xfe\n\n{}") << WebSocketWriter::Kind::Text << 0;
        QTest::newRow("binary with nul")
            << QByteArray("MESSAGE\n\na\0b\0", 12) << WebSocketWriter::Kind::Binary << 0;
        // Over the outgoing frame size QWebSocket fragments the message; the writer leaves it to it.
        QTest::newRow("fragmented") << QByteArray(3000, 'f') << WebSocketWriter::Kind::Text << 1000;
    }

    void sameBytesAsQWebSocket()
    {
        QFETCH(QByteArray, message);
        QFETCH(WebSocketWriter::Kind, kind);
        QFETCH(int, outgoingFrameSize);

        Connection connection;
        QVERIFY(connection.open());
        if (outgoingFrameSize > 0)
            connection.socket->setOutgoingFrameSize(quint64(outgoingFrameSize));
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
        WebSocketWriter writer(connection.socket, connection.transport, &batch);
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
        WebSocketWriter writer(connection.socket, connection.transport, &batch);
        const QByteArray message(1000, 'h');
        for (int i = 0; i < 200; ++i) // 200 KB before the batch's flush could run
            QVERIFY(writer.send(message, WebSocketWriter::Kind::Text));
        QVERIFY(writer.held() < WebSocketWriter::kMaxHeldBytes);
        const QByteArray one = WebSocketWriter::frame(message, WebSocketWriter::Kind::Text);
        QCOMPARE(connection.take(one.size() * 200).size(), one.size() * 200); // all of it, in order
    }

    // A frame QWebSocket writes itself (fragmented) goes after what the writer held.
    void heldFramesGoBeforeQWebSocketsOwn()
    {
        Connection connection;
        QVERIFY(connection.open());
        connection.socket->setOutgoingFrameSize(100);
        sb::node::WriteBatch batch;
        WebSocketWriter writer(connection.socket, connection.transport, &batch);
        const QByteArray small = QByteArrayLiteral("RECEIPT\nreceipt-id:1\n\n");
        QVERIFY(writer.send(small, WebSocketWriter::Kind::Text));
        QVERIFY(writer.send(QByteArray(250, 'q'), WebSocketWriter::Kind::Text));
        const QByteArray head = WebSocketWriter::frame(small, WebSocketWriter::Kind::Text);
        QCOMPARE(connection.take(head.size()).toHex(), head.toHex());
        QCOMPARE(
            quint8(connection.take(1).at(0)), quint8(0x01)); // then QWebSocket's first fragment: text, no FIN
    }

    // A text message its sender vouches for (Kind::ValidText: SharedMessageFrame checked the
    // shared bytes once per broadcast) is framed as it is, not read again for UTF-8 per frame:
    // so bytes that are not UTF-8, sent as ValidText, go out unchanged (as Text they go through
    // QWebSocket, which turns them into U+FFFD), with the text opcode.
    void validTextIsNotCheckedAgain()
    {
        Connection connection;
        QVERIFY(connection.open());
        const QByteArray notUtf8 = QByteArrayLiteral("MESSAGE\n\nbad \xff byte");
        QVERIFY(WebSocketWriter(connection.socket, connection.transport)
                    .send(notUtf8, WebSocketWriter::Kind::ValidText));
        const QByteArray expected = WebSocketWriter::frame(notUtf8, WebSocketWriter::Kind::Text);
        QCOMPARE(quint8(expected.at(0)), quint8(0x81)); // FIN + text
        QCOMPARE(connection.take(expected.size()).toHex(), expected.toHex());
    }

    void nothingOnceTheWebSocketIsClosed()
    {
        Connection connection;
        QVERIFY(connection.open());
        connection.socket->close();
        WebSocketWriter writer(connection.socket, connection.transport);
        QVERIFY(!writer.isOpen());
        QVERIFY(!writer.send(QByteArrayLiteral("late"), WebSocketWriter::Kind::Text));
    }
};

SB_TEST_GUILESS_MAIN(TestWebSocketWriter)
#include "tst_websocketwriter.moc"
