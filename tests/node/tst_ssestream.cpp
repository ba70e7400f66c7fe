// SseStream's writes on a real loopback connection: the events of a burst of broadcasts are
// held for the worker's WriteBatch and reach the client together, in order, byte for byte
// what SseEncoder writes for each; a burst never holds more than WriteBatch::kMaxHeldBytes;
// the closing comment goes out after what was held. And SharedSseEvent: one encoding per
// broadcast, shared by every stream it reaches.

#include "cluster/InMemorySessionStore.h"
#include "cluster/PresenceCounter.h"
#include "node/ChannelPolicy.h"
#include "node/NodeMetrics.h"
#include "node/PerUserQuota.h"
#include "node/SharedSseEvent.h"
#include "node/SseStream.h"
#include "node/SubscriptionTable.h"
#include "node/TapHub.h"
#include "node/UserDirectory.h"
#include "node/WriteBatch.h"
#include "protocol/SseEncoder.h"
#include "support/TestMain.h"

#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <sys/socket.h>

using sb::cluster::ReplayEvent;
using sb::node::SharedSseEvent;
using sb::node::SseStream;
using sb::node::WriteBatch;

namespace {

// Presence is not what is tested here: counted, never answered (no MessageService to
// announce it).
class SilentPresence final : public sb::cluster::PresenceCounter
{
public:
    void change(const QString &, int, QObject *, std::function<void(qint64)>) override { }
    void renewLease(QObject *, std::function<void(const sb::cluster::PresenceChanges &)>) override { }
};

// What a worker gives its streams, for one stream of bob's, and a raw client reading it.
struct StreamUnderTest
{
    QTcpServer listener;
    QTcpSocket client;
    sb::node::UserDirectory users;
    sb::node::ChannelPolicy policy { &users };
    sb::node::SubscriptionTable subscriptions;
    sb::node::NodeMetrics metrics;
    sb::node::TapHub tap { QStringLiteral("node-test"), 256 };
    sb::node::PerUserQuota streamsPerUser { 8 };
    sb::cluster::InMemorySessionStore sessions;
    SilentPresence presence;
    sb::node::SseStreamDeps deps;
    WriteBatch batch;
    QObject worker;
    QPointer<SseStream> stream;
    QByteArray received;

    bool open(WriteBatch *streamBatch)
    {
        users.addDemoUsers();
        deps.records = { QStringLiteral("node-test"), &sessions, &presence, nullptr };
        deps.streamsPerUser = &streamsPerUser;
        deps.metrics = &metrics;
        deps.tap = &tap;
        if (!listener.listen(QHostAddress::LocalHost, 0))
            return false;
        client.connectToHost(QHostAddress::LocalHost, listener.serverPort());
        if (!QTest::qWaitFor([&] { return listener.hasPendingConnections(); }, 5000))
            return false;
        QTcpSocket *socket = listener.nextPendingConnection();
        streamsPerUser.tryAcquire(QStringLiteral("bob"));
        stream = new SseStream(socket, { QStringLiteral("bob"), { QStringLiteral("ROLE_USER") }, {}, 0 }, {},
            false, streamBatch, nullptr, &subscriptions, &policy, deps, &worker);
        stream->start();
        // The head and the first retry: then only what a test writes comes.
        return QTest::qWaitFor(
            [&] {
                received += client.readAll();
                return received.contains("\r\n\r\nretry: 3000\n\n");
            },
            5000);
    }

    // Whether the client's kernel has any byte from the server yet (not reading it).
    bool anythingArrived()
    {
        char byte;
        return ::recv(int(client.socketDescriptor()), &byte, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
    }

    // Exactly `size` more bytes from the server.
    QByteArray take(qsizetype size)
    {
        received.clear();
        if (!QTest::qWaitFor(
                [&] {
                    received += client.readAll();
                    return received.size() >= size;
                },
                5000))
            return received;
        return received.left(size);
    }
};

SharedSseEvent notification(int i, qsizetype bodyBytes = 20)
{
    QByteArray data = "{\"n\":" + QByteArray::number(i) + ",\"x\":\"";
    data.append(QByteArray(qMax<qsizetype>(0, bodyBytes - data.size() - 2), 'x')).append("\"}");
    return SharedSseEvent(
        ReplayEvent { QStringLiteral("m-%1").arg(i), QByteArrayLiteral("notification"), data });
}

} // namespace

class TestSseStream : public QObject
{
    Q_OBJECT
private slots:
    // The bytes are SseEncoder's, encoded on first use and then shared, not encoded again.
    void anEventIsEncodedOnce()
    {
        const SharedSseEvent event(
            ReplayEvent { QStringLiteral("m-1"), QByteArrayLiteral("notification"), "{\"a\":\"b\nc\"}" });
        const QByteArray expected = sb::protocol::SseEncoder::encode({ QStringLiteral("m-1"),
            QStringLiteral("notification"), QStringLiteral("{\"a\":\"b\nc\"}"), -1 });
        QCOMPARE(event.bytes(), expected);
        QCOMPARE(event.bytes().constData(), event.bytes().constData());
        const QByteArray copy = event.bytes();
        QVERIFY(copy.isSharedWith(event.bytes())); // what each stream appends: the same bytes
        // Empty data still makes an event (one empty data line), so the cache never mistakes
        // an encoded event for one not yet encoded.
        const SharedSseEvent empty(
            ReplayEvent { QStringLiteral("m-2"), QByteArrayLiteral("notification"), {} });
        QCOMPARE(empty.bytes(), QByteArray("id: m-2\nevent: notification\ndata:\n\n"));
    }

    // A burst of deliveries is held until the events queued before the batch's flush have
    // run, then all of it arrives, in order.
    void aBurstGoesOutTogether()
    {
        StreamUnderTest under;
        QVERIFY(under.open(&under.batch));
        QByteArray expected;
        for (int i = 0; i < 5; ++i) {
            const SharedSseEvent event = notification(i);
            under.stream->deliver(event, 0);
            expected += event.bytes();
        }
        QCOMPARE(under.batch.waiting(), 1);
        QVERIFY(!under.anythingArrived()); // held: not one send(2) yet
        QCOMPARE(under.take(expected.size()), expected);
        QCOMPARE(under.batch.waiting(), 0);
        QCOMPARE(under.metrics.messages(
                     sb::node::NodeMetrics::Transport::Sse, sb::node::NodeMetrics::Direction::Out),
            5);
    }

    // Without a batch every event goes to the socket as it is written.
    void withoutABatchEachEventGoesAtOnce()
    {
        StreamUnderTest under;
        QVERIFY(under.open(nullptr));
        const SharedSseEvent event = notification(1);
        under.stream->deliver(event, 0);
        QVERIFY(under.anythingArrived()); // one send(2), before the event loop runs again
        QCOMPARE(under.take(event.bytes().size()), event.bytes());
    }

    // With the worker behind, the flush runs only after every broadcast queued before it:
    // what a stream holds for it stays under WriteBatch::kMaxHeldBytes, the rest goes on.
    void aBurstHoldsABoundedAmount()
    {
        StreamUnderTest under;
        QVERIFY(under.open(&under.batch));
        QByteArray expected;
        for (int i = 0; i < 200; ++i) { // ~200 KB before the batch's flush could run
            const SharedSseEvent event = notification(i, 1000);
            under.stream->deliver(event, 0);
            expected += event.bytes();
        }
        QVERIFY(under.anythingArrived()); // past the bound: sent without waiting for the flush
        QCOMPARE(under.take(expected.size()).size(), expected.size());
        QCOMPARE(under.received.left(expected.size()), expected);
    }

    // The closing comment (here: the node draining) follows what was held, not before it.
    void theClosingCommentFollowsWhatWasHeld()
    {
        StreamUnderTest under;
        QVERIFY(under.open(&under.batch));
        const SharedSseEvent event = notification(7);
        under.stream->deliver(event, 0);
        under.stream->goAway();
        const QByteArray closing
            = sb::protocol::SseEncoder::encodeComment(
                  u"closing (draining): server shutting down; reconnect to another replica")
            + sb::protocol::SseEncoder::encodeRetry(3000);
        QCOMPARE(under.take(event.bytes().size() + closing.size()), event.bytes() + closing);
        QCOMPARE(under.batch.waiting(), 0);
    }

    // A stream whose connection ends with bytes held leaves the batch at once: the flush,
    // queued before, runs after the stream is deleted and must not reach it.
    void aStreamThatEndsLeavesTheBatch()
    {
        StreamUnderTest under;
        QVERIFY(under.open(&under.batch));
        under.stream->deliver(notification(1), 0);
        QCOMPARE(under.batch.waiting(), 1);
        auto *socket = under.stream->findChild<QTcpSocket *>();
        QVERIFY(socket);
        socket->abort(); // disconnected(), now
        QCOMPARE(under.batch.waiting(), 0);
        QVERIFY(QTest::qWaitFor([&] { return under.stream.isNull(); }, 5000));
    }
};

SB_TEST_MAIN(TestSseStream)
#include "tst_ssestream.moc"
