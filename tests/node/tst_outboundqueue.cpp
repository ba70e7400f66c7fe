// OutboundQueue (issue 15, overload): what a connection sends reaches its peer whole and in
// order; beyond what the socket is given, whole units wait in the queue, so a slow
// consumer's backlog can be dropped and its last words still arrive right after the little
// the socket held. The limits' questions, asked for every frame, are answered from the
// queue's own counts, without a call into the socket.

#include "node/NodeMetrics.h"
#include "node/OutboundQueue.h"
#include "support/TestMain.h"

#include <QDeadlineTimer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace sb::node;

namespace {

// The node's side of the connection, counting how often the queue asks its buffer's size.
class CountingSocket : public QTcpSocket
{
public:
    qint64 bytesToWrite() const override
    {
        ++asked;
        return QTcpSocket::bytesToWrite();
    }
    mutable int asked = 0;
};

class CountingServer : public QTcpServer
{
protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new CountingSocket;
        socket->setParent(this);
        socket->setSocketDescriptor(descriptor);
        addPendingConnection(socket);
    }
};

} // namespace

class TestOutboundQueue : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void everyUnitArrivesInOrder();
    void aSlowPeersBacklogWaitsInTheQueue();
    void droppedBacklogLeavesWholeUnitsAndTheLastWords();
    void theLimitsQuestionsLeaveTheSocketAlone();
    void bytesWrittenAroundTheQueueCountFromItsNextLook();

private:
    // Reads from the peer until `bytes` arrived or 10 s passed.
    QByteArray readFromPeer(qsizetype bytes);
    QByteArray unit(int index) const;

    CountingServer m_server;
    std::unique_ptr<QTcpSocket> m_peer; // the client, which reads when the test says
    QTcpSocket *m_node = nullptr; // the node's side, owned by m_server
    NodeMetrics m_metrics;
};

void TestOutboundQueue::init()
{
    QVERIFY(m_server.listen(QHostAddress::LocalHost, 0));
    m_peer = std::make_unique<QTcpSocket>();
    m_peer->setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
    m_peer->connectToHost(QHostAddress::LocalHost, m_server.serverPort());
    QVERIFY(m_peer->waitForConnected(5000));
    QVERIFY(m_server.waitForNewConnection(5000));
    m_node = m_server.nextPendingConnection();
    QVERIFY(m_node);
    m_node->setSocketOption(QAbstractSocket::SendBufferSizeSocketOption, 4096);
}

void TestOutboundQueue::cleanup()
{
    m_peer.reset();
    delete m_node;
    m_node = nullptr;
    m_server.close();
}

QByteArray TestOutboundQueue::unit(int index) const
{
    // 1,000 bytes that say which unit they are: "<index>:" then filler, then '\n'.
    QByteArray out = QByteArray::number(index) + ':';
    out.append(999 - out.size(), 'x');
    out.append('\n');
    return out;
}

QByteArray TestOutboundQueue::readFromPeer(qsizetype bytes)
{
    QByteArray got;
    const QDeadlineTimer deadline(10000);
    while (got.size() < bytes && !deadline.hasExpired()) {
        if (m_peer->bytesAvailable() == 0)
            m_peer->waitForReadyRead(20); // the node's socket writes from this thread's loop
        QCoreApplication::processEvents();
        got += m_peer->readAll();
    }
    return got;
}

void TestOutboundQueue::everyUnitArrivesInOrder()
{
    OutboundQueue queue(m_node, &m_metrics);
    QByteArray expected;
    for (int i = 0; i < 500; ++i) {
        queue.write(unit(i));
        expected += unit(i);
    }
    QCOMPARE(readFromPeer(expected.size()), expected);
    QTRY_COMPARE(queue.pending(), qint64(0));
    QCOMPARE(m_metrics.outboundQueuedBytes(), qint64(0));
}

void TestOutboundQueue::aSlowPeersBacklogWaitsInTheQueue()
{
    OutboundQueue queue(m_node, &m_metrics);
    for (int i = 0; i < 500; ++i) // 500 KB to a peer that reads nothing
        queue.write(unit(i));
    QCoreApplication::processEvents();
    QVERIFY2(m_node->bytesToWrite() < OutboundQueue::kSocketShare + 1000,
        qPrintable(QString::number(m_node->bytesToWrite())));
    QVERIFY(queue.pending() > 300'000); // the kernel takes a few KB at most
    QCOMPARE(m_metrics.outboundQueuedBytes(), queue.pending());
    QVERIFY(queue.ageMs() >= 0);
}

void TestOutboundQueue::droppedBacklogLeavesWholeUnitsAndTheLastWords()
{
    OutboundQueue queue(m_node, &m_metrics);
    for (int i = 0; i < 500; ++i)
        queue.write(unit(i));
    QCoreApplication::processEvents();
    QVERIFY(queue.dropWaiting() > 300'000);
    const QByteArray lastWords = QByteArrayLiteral("bye\n");
    queue.write(lastWords);
    queue.handAllToSocket();
    // What the peer gets: units 0..k whole and in order, then the last words; it reads only
    // what the socket and the kernel held (kSocketShare and a unit, and on loopback up to
    // ~90 KB in the kernel), not the 500 KB written.
    QByteArray got;
    const QDeadlineTimer deadline(10000);
    while (!got.endsWith(lastWords) && !deadline.hasExpired())
        got += readFromPeer(1);
    QVERIFY2(got.size() < 200'000, qPrintable(QString::number(got.size())));
    QVERIFY2(got.endsWith(lastWords), got.right(100).constData());
    const QList<QByteArray> lines = got.chopped(lastWords.size()).split('\n');
    QVERIFY(lines.size() > 1);
    for (int i = 0; i < lines.size() - 1; ++i)
        QCOMPARE(lines.at(i) + '\n', unit(i));
    QVERIFY(lines.last().isEmpty()); // nothing cut inside a unit
    QTRY_COMPARE(queue.pending(), qint64(0));
    QCOMPARE(m_metrics.outboundQueuedBytes(), qint64(0));
}

void TestOutboundQueue::theLimitsQuestionsLeaveTheSocketAlone()
{
    m_peer->setReadBufferSize(4096); // while events run below, the peer's socket reads no more
    OutboundQueue queue(m_node, &m_metrics);
    for (int i = 0; i < 500; ++i) // 500 KB to a peer that reads nothing
        queue.write(unit(i));
    auto *counting = dynamic_cast<CountingSocket *>(m_node);
    QVERIFY(counting);
    counting->asked = 0;
    for (int i = 0; i < 1000; ++i) { // the byte and the age limit's questions, 1,000 frames' worth
        QVERIFY(queue.pending() > 300'000);
        QVERIFY(!queue.waitedLongerThan(60'000));
    }
    QCOMPARE(counting->asked, 0);
    // The counts still follow the socket: the age grows while nothing drains, and once the peer
    // reads everything the queue is empty, in the node-wide total too.
    QTRY_VERIFY(queue.waitedLongerThan(20));
    QCOMPARE(m_metrics.outboundQueuedBytes(), queue.pending());
    QCOMPARE(readFromPeer(500 * 1000).size(), 500 * 1000);
    QTRY_COMPARE(queue.pending(), qint64(0));
    QVERIFY(!queue.waitedLongerThan(0));
    QCOMPARE(m_metrics.outboundQueuedBytes(), qint64(0));
}

void TestOutboundQueue::bytesWrittenAroundTheQueueCountFromItsNextLook()
{
    OutboundQueue queue(m_node, &m_metrics);
    for (int i = 0; i < 200; ++i) // more than kSocketShare: units wait in the queue too
        queue.write(unit(i));
    const qint64 before = queue.pending();
    // A control frame written straight to the socket (QWebSocket's pong): not seen yet ...
    m_node->write(QByteArray(100, 'p'));
    QCOMPARE(queue.pending(), before);
    // ... but counted at the next write (here, no event loop ran: nothing drained meanwhile).
    queue.write(unit(200));
    QCOMPARE(queue.pending(), before + 100 + 1000);
    m_node->write(QByteArray(10, 'p'));
    queue.recount();
    QCOMPARE(queue.pending(), before + 110 + 1000);
    QCOMPARE(m_metrics.outboundQueuedBytes(), queue.pending());
}

SB_TEST_GUILESS_MAIN(TestOutboundQueue)
#include "tst_outboundqueue.moc"
