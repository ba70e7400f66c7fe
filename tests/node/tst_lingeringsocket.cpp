// LingeringSocket (issue 15, memory per idle connection): a write the kernel takes goes
// straight to it, never through QTcpSocket's buffer (whose first use allocated a 32 KiB block
// the socket kept for life); what the kernel refuses is buffered after it, in order;
// bytesWritten() still counts every byte, from the event loop; the lingering close still
// delivers everything written before it, then FIN; and a peer that never closes is reset
// once the linger is up.

#include "node/LingeringSocket.h"
#include "support/TestMain.h"

#include <QDeadlineTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace sb::node;

namespace {

// Adopts each connection as the node's workers do: a LingeringSocket on the descriptor.
class LingeringServer : public QTcpServer
{
public:
    int lingerMs = 2000;

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new LingeringSocket(lingerMs, this);
        socket->setSocketDescriptor(descriptor);
        addPendingConnection(socket);
    }
};

QByteArray lingeringPattern(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char('a' + (i * 7 + i / 251) % 26);
    return bytes;
}

} // namespace

class TestLingeringSocket : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void aWriteTheKernelTakesIsNeverBuffered();
    void whatTheKernelRefusesIsBufferedInOrder();
    void theCloseDeliversWhatWasWrittenThenFin();
    void aPeerThatNeverClosesIsResetAfterTheLinger();

private:
    // Reads from the peer until `bytes` arrived or 10 s passed.
    QByteArray readFromPeer(qsizetype bytes);

    LingeringServer m_server;
    std::unique_ptr<QTcpSocket> m_peer; // the client
    LingeringSocket *m_node = nullptr; // the node's side, owned by m_server
};

void TestLingeringSocket::init()
{
    m_server.lingerMs = 2000;
    QVERIFY(m_server.listen(QHostAddress::LocalHost, 0));
    m_peer = std::make_unique<QTcpSocket>();
    m_peer->connectToHost(QHostAddress::LocalHost, m_server.serverPort());
    QVERIFY(m_peer->waitForConnected(5000));
    QVERIFY(m_server.waitForNewConnection(5000));
    m_node = qobject_cast<LingeringSocket *>(m_server.nextPendingConnection());
    QVERIFY(m_node);
}

void TestLingeringSocket::cleanup()
{
    m_peer.reset();
    delete m_node;
    m_node = nullptr;
    m_server.close();
}

QByteArray TestLingeringSocket::readFromPeer(qsizetype bytes)
{
    QByteArray received;
    const QDeadlineTimer deadline(10000);
    while (received.size() < bytes && !deadline.hasExpired()) {
        if (m_peer->bytesAvailable() == 0)
            m_peer->waitForReadyRead(50);
        received += m_peer->readAll();
        QCoreApplication::processEvents(); // the node's side flushes what it buffered
    }
    return received;
}

void TestLingeringSocket::aWriteTheKernelTakesIsNeverBuffered()
{
    QSignalSpy written(m_node, &QIODevice::bytesWritten);
    const QByteArray answer = lingeringPattern(300); // a WebSocket handshake's answer, or so
    QCOMPARE(m_node->write(answer), qint64(answer.size()));
    // In the kernel already: QTcpSocket would hold it until the event loop flushed it.
    QCOMPARE(m_node->bytesToWrite(), qint64(0));
    QCOMPARE(m_node->write(answer), qint64(answer.size()));
    QCOMPARE(m_node->bytesToWrite(), qint64(0));
    QCOMPARE(written.size(), 0); // never from inside write()
    QCOMPARE(readFromPeer(2 * answer.size()), answer + answer);
    // Once, for both writes.
    QTRY_COMPARE(written.size(), 1);
    QCOMPARE(written.at(0).at(0).toLongLong(), qint64(2 * answer.size()));
}

void TestLingeringSocket::whatTheKernelRefusesIsBufferedInOrder()
{
    // A peer that reads nothing for now (no event runs while the node writes) behind a small
    // send buffer: the kernel soon refuses.
    m_node->setSocketOption(QAbstractSocket::SendBufferSizeSocketOption, 4096);
    const QByteArray all = lingeringPattern(1024 * 1024);
    qint64 sumWritten = 0;
    connect(m_node, &QIODevice::bytesWritten, this, [&sumWritten](qint64 bytes) { sumWritten += bytes; });
    for (qsizetype at = 0; at < all.size(); at += 64 * 1024)
        QCOMPARE(m_node->write(all.mid(at, 64 * 1024)), qint64(64 * 1024));
    QVERIFY(m_node->bytesToWrite() > 0); // the rest waits in QTcpSocket, after what the kernel took
    QCOMPARE(readFromPeer(all.size()), all);
    QTRY_COMPARE(sumWritten, qint64(all.size()));
    QCOMPARE(m_node->bytesToWrite(), qint64(0));
}

void TestLingeringSocket::theCloseDeliversWhatWasWrittenThenFin()
{
    const QByteArray last = lingeringPattern(1000);
    m_node->write(last);
    m_node->close();
    QVERIFY(m_node->isLingering());
    QCOMPARE(m_node->write(QByteArray("after the close")), qint64(15)); // taken, never sent
    QCOMPARE(readFromPeer(last.size()), last);
    // FIN after the last byte: the peer sees the end of the stream, not a reset, and nothing
    // written after the close.
    QTRY_COMPARE(m_peer->state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(m_peer->error(), QAbstractSocket::RemoteHostClosedError);
    QVERIFY(m_peer->readAll().isEmpty());
}

void TestLingeringSocket::aPeerThatNeverClosesIsResetAfterTheLinger()
{
    m_server.lingerMs = 150;
    // A peer that neither reads nor closes: a bare descriptor no event loop watches.
    const int peer = ::socket(AF_INET, SOCK_STREAM, 0);
    QVERIFY(peer >= 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(m_server.serverPort());
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QCOMPARE(::connect(peer, reinterpret_cast<const sockaddr *>(&address), sizeof address), 0);
    QVERIFY(m_server.waitForNewConnection(5000));
    std::unique_ptr<LingeringSocket> node(qobject_cast<LingeringSocket *>(m_server.nextPendingConnection()));
    QVERIFY(node);
    QSignalSpy expired(node.get(), &LingeringSocket::lingerExpired);
    node->write("bye");
    node->close();
    QVERIFY(node->isLingering());
    QTRY_COMPARE(expired.size(), 1);
    QCOMPARE(node->state(), QAbstractSocket::UnconnectedState);
    ::close(peer);
}

SB_TEST_GUILESS_MAIN(TestLingeringSocket)
#include "tst_lingeringsocket.moc"
