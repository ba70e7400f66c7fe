#include "RedisTestHelpers.h"
#include "support/TestMain.h"

#include "cluster/RedisConnection.h"
#include "support/RedisServerProcess.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using sb::cluster::RedisConnection;
using sb::cluster::RedisConnectionOptions;
using sb::cluster::RedisReply;
using sb::cluster::RedisUrl;
using sb::testing::call;
using sb::testing::RedisServerProcess;

// What happens when Redis is absent, dies, or comes back: the connection must recover
// on its own, with a back-off that grows, and fail fast in between.
class TestRedisOutage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void backsOffThenConnectsWhenServerAppears()
    {
        const quint16 port = RedisServerProcess::freePort();
        QVERIFY(port != 0);
        RedisConnectionOptions options;
        options.reconnectMin = std::chrono::milliseconds(100);
        options.reconnectMax = std::chrono::milliseconds(1600);
        RedisConnection connection(RedisUrl(QStringLiteral("127.0.0.1"), port), options);

        QList<qint64> failedAt;
        QList<int> delays;
        QElapsedTimer clock;
        clock.start();
        connect(&connection, &RedisConnection::disconnected, this, [&] { failedAt.append(clock.elapsed()); });
        connect(&connection, &RedisConnection::reconnectScheduled, this, [&](int ms) { delays.append(ms); });
        QSignalSpy down(&connection, &RedisConnection::disconnected);
        QSignalSpy connected(&connection, &RedisConnection::connected);
        connection.open();

        QTRY_VERIFY_WITH_TIMEOUT(failedAt.size() >= 6, 10000);
        QVERIFY(failedAt.at(4) - failedAt.at(3) > failedAt.at(1) - failedAt.at(0));
        QVERIFY2(down.first().first().toString().contains(u"refused", Qt::CaseInsensitive),
            qPrintable(down.first().first().toString()));
        QCOMPARE(connection.state(), RedisConnection::State::WaitingToReconnect);

        // Scheduled delays double (within jitter [75 %, 100 %]) up to the cap...
        for (int i = 0; i < 5; ++i) {
            const int ceiling = std::min(100 << i, 1600);
            QVERIFY2(delays.at(i) >= ceiling * 3 / 4 && delays.at(i) <= ceiling,
                qPrintable(QStringLiteral("delay %1 = %2 ms, expected <= %3")
                               .arg(i)
                               .arg(delays.at(i))
                               .arg(ceiling)));
            if (i > 0)
                QVERIFY(delays.at(i) > delays.at(i - 1));
        }
        // ...and the attempts really are that far apart (a coarse QTimer, right for a
        // back-off, may fire up to 5 % early), so they grow too.
        for (int i = 1; i < 5; ++i) {
            const qint64 gap = failedAt.at(i) - failedAt.at(i - 1);
            QVERIFY2(gap >= delays.at(i - 1) * 94 / 100 - 2,
                qPrintable(QStringLiteral("gap %1 ms < delay %2 ms").arg(gap).arg(delays.at(i - 1))));
        }

        // Meanwhile commands fail fast.
        auto early = call(connection, { "PING" }, this);
        QVERIFY(early);
        QCOMPARE(early->clientError(), RedisReply::ClientError::NotConnected);
        QVERIFY2(early->errorMessage().contains(u"refused", Qt::CaseInsensitive),
            qPrintable(early->errorMessage()));

        RedisServerProcess server;
        QVERIFY2(server.start(port), sb::testing::startFailure(server).constData());
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, 5000);
        auto ping = call(connection, { "PING" }, this);
        QVERIFY(ping && ping->isStatus());
    }

    void recoversAfterServerRestart()
    {
        RedisServerProcess server;
        QVERIFY2(server.start(), sb::testing::startFailure(server).constData());
        RedisConnection connection(server.url());
        QSignalSpy connected(&connection, &RedisConnection::connected);
        QSignalSpy down(&connection, &RedisConnection::disconnected);
        connection.open();
        QVERIFY(connected.wait(5000));
        QVERIFY(call(connection, { "SET", "k", "before" }, this)->isOk());

        // A command waiting on the server when it dies is answered, as ConnectionLost.
        std::optional<RedisReply> blocked;
        connection.command({ "BLPOP", "never", "0" }, this, [&](const RedisReply &r) { blocked = r; });
        QTest::qWait(50);

        const qint64 oldPid = server.pid();
        QVERIFY2(server.restart(), sb::testing::startFailure(server).constData());
        QVERIFY(server.pid() != oldPid);

        QTRY_VERIFY(blocked.has_value());
        QCOMPARE(blocked->clientError(), RedisReply::ClientError::ConnectionLost);
        QTRY_VERIFY(down.size() >= 1);
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 2, 10000);
        QCOMPARE(connection.inFlight(), 0);

        auto set = call(connection, { "SET", "k", "after" }, this);
        QVERIFY(set && set->isOk());
        auto get = call(connection, { "GET", "k" }, this);
        QCOMPARE(get->bytes(), QByteArray("after"));
    }

    void closeAnswersInFlightAndStopsRetrying()
    {
        RedisServerProcess server;
        QVERIFY2(server.start(), sb::testing::startFailure(server).constData());
        RedisConnection connection(server.url());
        QSignalSpy connected(&connection, &RedisConnection::connected);
        connection.open();
        QVERIFY(connected.wait(5000));
        std::optional<RedisReply> blocked;
        connection.command({ "BLPOP", "never", "0" }, this, [&](const RedisReply &r) { blocked = r; });
        QTest::qWait(20);
        connection.close();
        QTRY_VERIFY(blocked.has_value());
        QCOMPARE(blocked->clientError(), RedisReply::ClientError::Closed);
        QCOMPARE(connection.state(), RedisConnection::State::Unconnected);
        QSignalSpy scheduled(&connection, &RedisConnection::reconnectScheduled);
        QTest::qWait(300);
        QCOMPARE(scheduled.size(), 0);

        connection.open(); // and it can be opened again
        QTRY_COMPARE(connected.size(), 2);
    }

    void destroyedWithCommandsInFlight()
    {
        RedisServerProcess server;
        QVERIFY2(server.start(), sb::testing::startFailure(server).constData());
        auto connection = std::make_unique<RedisConnection>(server.url());
        QSignalSpy connected(connection.get(), &RedisConnection::connected);
        connection->open();
        QVERIFY(connected.wait(5000));
        int answered = 0;
        for (int i = 0; i < 100; ++i)
            connection->command({ "BLPOP", "never", "0" }, this, [&](const RedisReply &r) {
                if (r.clientError() == RedisReply::ClientError::Closed)
                    ++answered;
            });
        QTest::qWait(20);
        connection.reset(); // must not crash or leak (ASan build checks)
        QTRY_COMPARE(answered, 100);
    }
};

SB_TEST_GUILESS_MAIN(TestRedisOutage)
#include "tst_redisoutage.moc"
