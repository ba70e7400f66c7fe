#include "RedisTestHelpers.h"
#include "support/TestMain.h"

#include "cluster/RedisConnection.h"
#include "cluster/RedisSubscriber.h"
#include "support/RedisServerProcess.h"

#include <QSignalSpy>
#include <QTest>

using sb::cluster::RedisConnection;
using sb::cluster::RedisReply;
using sb::cluster::RedisSubscriber;
using sb::testing::call;
using sb::testing::RedisServerProcess;

// Pub/sub delivery, and above all that it survives a server restart without the
// caller subscribing again.
class TestRedisSubscriber : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<RedisServerProcess>();
        QVERIFY2(m_server->start(), sb::testing::startFailure(*m_server).constData());
        m_publisher = std::make_unique<RedisConnection>(m_server->url());
        QSignalSpy connected(m_publisher.get(), &RedisConnection::connected);
        m_publisher->open();
        QVERIFY(connected.wait(5000));
    }

    void cleanup()
    {
        m_publisher.reset();
        m_server.reset();
    }

    void deliversChannelAndPatternMessages()
    {
        RedisSubscriber subscriber(m_server->url());
        QSignalSpy subscribed(&subscriber, &RedisSubscriber::subscribed);
        QSignalSpy messages(&subscriber, &RedisSubscriber::message);
        QSignalSpy patternMessages(&subscriber, &RedisSubscriber::patternMessage);
        subscriber.subscribe("news"); // before open(): sent once connected
        subscriber.open();
        QTRY_COMPARE(subscribed.size(), 1);
        subscriber.psubscribe("chat.*");
        QTRY_COMPARE(subscribed.size(), 2);

        const QByteArray payload("hello\0world", 11);
        auto receivers = call(*m_publisher, { "PUBLISH", "news", payload }, this);
        QCOMPARE(receivers->toInteger(), 1);
        QTRY_COMPARE(messages.size(), 1);
        QCOMPARE(messages.at(0).at(0).toByteArray(), QByteArray("news"));
        QCOMPARE(messages.at(0).at(1).toByteArray(), payload);

        call(*m_publisher, { "PUBLISH", "chat.42", "hi" }, this);
        QTRY_COMPARE(patternMessages.size(), 1);
        QCOMPARE(patternMessages.at(0).at(0).toByteArray(), QByteArray("chat.*"));
        QCOMPARE(patternMessages.at(0).at(1).toByteArray(), QByteArray("chat.42"));
        QCOMPARE(patternMessages.at(0).at(2).toByteArray(), QByteArray("hi"));
    }

    void unsubscribeStopsDelivery()
    {
        RedisSubscriber subscriber(m_server->url());
        QSignalSpy subscribed(&subscriber, &RedisSubscriber::subscribed);
        QSignalSpy messages(&subscriber, &RedisSubscriber::message);
        subscriber.open();
        subscriber.subscribe("a");
        subscriber.subscribe("b");
        QTRY_COMPARE(subscribed.size(), 2);
        subscriber.unsubscribe("a");
        call(*m_publisher, { "PUBLISH", "a", "1" }, this);
        call(*m_publisher, { "PUBLISH", "b", "2" }, this);
        QTRY_COMPARE(messages.size(), 1);
        QTest::qWait(50);
        QCOMPARE(messages.size(), 1);
        QCOMPARE(messages.at(0).at(0).toByteArray(), QByteArray("b"));
        // Server side it is gone too.
        QTRY_COMPARE(call(*m_publisher, { "PUBLISH", "a", "3" }, this)->toInteger(), 0);
        // Re-subscribing right after unsubscribing works (hiredis' pending_subs case).
        subscriber.unsubscribe("b");
        subscriber.subscribe("b");
        QTRY_COMPARE(subscribed.size(), 3);
        call(*m_publisher, { "PUBLISH", "b", "4" }, this);
        QTRY_COMPARE(messages.size(), 2);
    }

    void resubscribesAfterServerRestart()
    {
        RedisSubscriber subscriber(m_server->url());
        QSignalSpy subscribed(&subscriber, &RedisSubscriber::subscribed);
        QSignalSpy messages(&subscriber, &RedisSubscriber::message);
        QSignalSpy patternMessages(&subscriber, &RedisSubscriber::patternMessage);
        QSignalSpy connected(subscriber.connection(), &RedisConnection::connected);
        QSignalSpy publisherConnected(m_publisher.get(), &RedisConnection::connected);
        subscriber.open();
        subscriber.subscribe("news");
        subscriber.psubscribe("user.*");
        QTRY_COMPARE(subscribed.size(), 2);

        for (int round = 1; round <= 2; ++round) {
            QVERIFY2(m_server->restart(), sb::testing::startFailure(*m_server).constData());
            QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1 + round, 10000);
            QTRY_COMPARE_WITH_TIMEOUT(subscribed.size(), 2 + 2 * round, 5000);
            QTRY_COMPARE_WITH_TIMEOUT(publisherConnected.size(), round, 10000);

            const QByteArray body = "after restart " + QByteArray::number(round);
            auto receivers = call(*m_publisher, { "PUBLISH", "news", body }, this);
            QVERIFY(receivers);
            QCOMPARE(receivers->toInteger(), 1);
            QTRY_COMPARE(messages.size(), round);
            QCOMPARE(messages.last().at(1).toByteArray(), body);
            call(*m_publisher, { "PUBLISH", "user.7", body }, this);
            QTRY_COMPARE(patternMessages.size(), round);
        }
    }

    void subscribeDuringOutageTakesEffectOnReconnect()
    {
        RedisSubscriber subscriber(m_server->url());
        QSignalSpy subscribed(&subscriber, &RedisSubscriber::subscribed);
        QSignalSpy messages(&subscriber, &RedisSubscriber::message);
        QSignalSpy down(subscriber.connection(), &RedisConnection::disconnected);
        subscriber.open();
        subscriber.subscribe("early");
        QTRY_COMPARE(subscribed.size(), 1);

        const quint16 port = m_server->port();
        m_server->stop();
        QTRY_VERIFY(down.size() >= 1);
        subscriber.subscribe("late");
        QVERIFY2(m_server->start(port), sb::testing::startFailure(*m_server).constData());
        QTRY_COMPARE_WITH_TIMEOUT(subscribed.size(), 3, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(m_publisher->isConnected(), 10000);
        call(*m_publisher, { "PUBLISH", "late", "x" }, this);
        call(*m_publisher, { "PUBLISH", "early", "y" }, this);
        QTRY_COMPARE(messages.size(), 2);
    }

private:
    std::unique_ptr<RedisServerProcess> m_server;
    std::unique_ptr<RedisConnection> m_publisher;
};

SB_TEST_GUILESS_MAIN(TestRedisSubscriber)
#include "tst_redissubscriber.moc"
