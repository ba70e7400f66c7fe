#include "RedisTestHelpers.h"
#include "support/TestMain.h"

#include "cluster/RedisConnection.h"
#include "support/RedisServerProcess.h"

#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>

using sb::cluster::RedisConnection;
using sb::cluster::RedisConnectionOptions;
using sb::cluster::RedisReply;
using sb::cluster::RedisUrl;
using sb::testing::call;
using sb::testing::RedisServerProcess;

namespace {
QStringList g_logLines;
QtMessageHandler g_previousHandler = nullptr;

void captureLog(QtMsgType type, const QMessageLogContext &context, const QString &text)
{
    g_logLines.append(text);
    if (g_previousHandler)
        g_previousHandler(type, context, text);
}
} // namespace

// Commands, replies and handshakes against a real redis-server.
class TestRedisConnection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), sb::testing::startFailure(m_server).constData());
        m_connection = std::make_unique<RedisConnection>(
            m_server.url(), RedisConnectionOptions { QStringLiteral("tests") });
        QSignalSpy connected(m_connection.get(), &RedisConnection::connected);
        m_connection->open();
        QVERIFY(connected.wait(5000));
        QCOMPARE(m_connection->state(), RedisConnection::State::Connected);
    }

    void cleanupTestCase()
    {
        m_connection.reset();
        m_server.stop();
    }

    void setGetBinarySafe()
    {
        const QByteArray key("bin\0key\r\n", 9);
        const QByteArray value("a\0b\0\r\n\xff tail", 12);
        auto set = call(*m_connection, { "SET", key, value }, this);
        QVERIFY(set);
        QVERIFY2(set->isOk(), qPrintable(set->toDebugString()));
        auto get = call(*m_connection, { "GET", key }, this);
        QVERIFY(get && get->isString());
        QCOMPARE(get->bytes(), value);
        QCOMPARE(get->bytes().size(), 12);
        auto missing = call(*m_connection, { "GET", "no-such-key" }, this);
        QVERIFY(missing && missing->isNil());
    }

    void pipelinedIncrsAnsweredInOrder()
    {
        constexpr int kCount = 10000;
        QList<qint64> answers;
        answers.reserve(kCount);
        call(*m_connection, { "DEL", "counter" }, this);
        for (int i = 0; i < kCount; ++i)
            m_connection->command({ "INCR", "counter" }, this,
                [&answers](const RedisReply &r) { answers.append(r.isInteger() ? r.toInteger() : -1); });
        QVERIFY(m_connection->inFlight() > 0); // really pipelined: all sent before any reply
        QTRY_COMPARE_WITH_TIMEOUT(answers.size(), kCount, 20000);
        for (int i = 0; i < kCount; ++i)
            QCOMPARE(answers.at(i), qint64(i + 1));
        QCOMPARE(m_connection->inFlight(), 0);
    }

    void serverErrorSurfacesAsError()
    {
        call(*m_connection, { "SET", "plain", "x" }, this);
        auto reply = call(*m_connection, { "LPUSH", "plain", "y" }, this);
        QVERIFY(reply);
        QVERIFY(reply->isError());
        QVERIFY2(reply->errorMessage().startsWith(u"WRONGTYPE"), qPrintable(reply->errorMessage()));
        QCOMPARE(reply->clientError(), RedisReply::ClientError::None);
        auto unknown = call(*m_connection, { "NOSUCHCOMMAND" }, this);
        QVERIFY(unknown && unknown->isError());
    }

    void nestedArrays()
    {
        call(*m_connection, { "DEL", "h", "s" }, this);
        call(*m_connection, { "HSET", "h", "user", "ada", "node", "n1" }, this);
        auto hash = call(*m_connection, { "HGETALL", "h" }, this);
        QVERIFY(hash && hash->isArray());
        const auto map = hash->toMap();
        QCOMPARE(map.value("user"), QByteArray("ada"));
        QCOMPARE(map.value("node"), QByteArray("n1"));

        call(*m_connection, { "XADD", "s", "1-1", "type", "msg", "body", "hi" }, this);
        call(*m_connection, { "XADD", "s", "2-1", "type", "msg", "body", "there" }, this);
        auto range = call(*m_connection, { "XRANGE", "s", "-", "+" }, this);
        QVERIFY(range && range->isArray());
        // [[id, [field, value, ...]], ...]
        QCOMPARE(range->size(), 2);
        QCOMPARE(range->at(0).at(0).bytes(), QByteArray("1-1"));
        QCOMPARE(range->at(1).at(1).toMap().value("body"), QByteArray("there"));
        QVERIFY(range->at(5).at(3).isNil()); // out-of-range look-ups are safe
    }

    void deletedContextDropsReply()
    {
        bool called = false;
        auto *context = new QObject;
        // A 50 ms BLPOP keeps the reply away until well after the delete.
        m_connection->command(
            { "BLPOP", "nothing-here", "0.05" }, context, [&called](const RedisReply &) { called = true; });
        delete context;
        auto after = call(*m_connection, { "PING" }, this); // replies are ordered: the first has arrived
        QVERIFY(after && after->isStatus());
        QTest::qWait(20);
        QVERIFY(!called);
    }

    void subscribeRefusedOnCommandConnection()
    {
        auto reply = call(*m_connection, { "SUBSCRIBE", "x" }, this);
        QVERIFY(reply && reply->isError());
        QVERIFY(reply->errorMessage().contains(u"RedisSubscriber"));
        auto ping = call(*m_connection, { "PING" }, this); // connection still usable
        QVERIFY(ping && ping->isStatus());
    }

    void inFlightLimitFailsFast()
    {
        RedisConnectionOptions options;
        options.maxInFlight = 10;
        RedisConnection limited(m_server.url(), options);
        QSignalSpy connected(&limited, &RedisConnection::connected);
        limited.open();
        QVERIFY(connected.wait(5000));
        int ok = 0;
        int overloaded = 0;
        for (int i = 0; i < 25; ++i)
            limited.command({ "PING" }, this, [&](const RedisReply &r) {
                if (r.clientError() == RedisReply::ClientError::Overloaded)
                    ++overloaded;
                else if (r.isStatus())
                    ++ok;
            });
        QTRY_COMPARE(ok + overloaded, 25);
        QCOMPARE(ok, 10);
        QCOMPARE(overloaded, 15);
    }

    void notConnectedFailsFastAndAsynchronously()
    {
        RedisConnection idle(m_server.url());
        bool called = false;
        RedisReply reply;
        idle.command({ "PING" }, this, [&](const RedisReply &r) {
            called = true;
            reply = r;
        });
        QVERIFY(!called); // never from inside command()
        QTRY_VERIFY(called);
        QCOMPARE(reply.clientError(), RedisReply::ClientError::NotConnected);
        QVERIFY(reply.errorMessage().contains(u"not connected"));
    }

    void selectsDatabase()
    {
        RedisUrl url = m_server.url();
        url.setDatabase(3);
        RedisConnection db3(url);
        QSignalSpy connected(&db3, &RedisConnection::connected);
        db3.open();
        QVERIFY(connected.wait(5000));
        call(db3, { "SET", "where", "db3" }, this);
        auto here = call(*m_connection, { "GET", "where" }, this);
        QVERIFY(here && here->isNil());
        auto there = call(db3, { "GET", "where" }, this);
        QVERIFY(there && there->bytes() == "db3");
        auto name = call(*m_connection, { "CLIENT", "GETNAME" }, this);
        QCOMPARE(name->bytes(), QByteArray("tests"));
    }

    void callersOnOtherThreads()
    {
        // The connection lives here; the caller and its context live on a worker thread.
        QThread worker;
        worker.start();
        QObject context;
        context.moveToThread(&worker);
        std::atomic<QThread *> callbackThread = nullptr;
        std::atomic<bool> gotPong = false;
        QMetaObject::invokeMethod(&context, [&] {
            m_connection->command({ "PING" }, &context, [&](const RedisReply &r) {
                callbackThread = QThread::currentThread();
                gotPong = r.isStatus() && r.bytes() == "PONG";
            });
        });
        QTRY_VERIFY(gotPong.load());
        QCOMPARE(callbackThread.load(), &worker);
        QMetaObject::invokeMethod(
            &context, [&] { context.moveToThread(thread()); }, Qt::BlockingQueuedConnection);
        worker.quit();
        worker.wait();
    }

    void connectionOnWorkerThread()
    {
        // The deployment shape: the connection on its own thread, callers elsewhere.
        QThread redisThread;
        auto *remote = new RedisConnection(m_server.url());
        remote->moveToThread(&redisThread);
        connect(&redisThread, &QThread::finished, remote, &QObject::deleteLater);
        redisThread.start();
        QSignalSpy connected(remote, &RedisConnection::connected);
        remote->open(); // thread-safe: hops to redisThread
        QVERIFY(connected.wait(5000));
        QThread *callbackThread = nullptr;
        QByteArray value;
        remote->command({ "ECHO", "across" }, this, [&](const RedisReply &r) {
            callbackThread = QThread::currentThread();
            value = r.bytes();
        });
        QTRY_COMPARE(value, QByteArray("across"));
        QCOMPARE(callbackThread, QThread::currentThread());

        // A context deleted before a cross-thread reply arrives is not called.
        bool called = false;
        auto *doomed = new QObject;
        remote->command(
            { "BLPOP", "nothing-here", "0.05" }, doomed, [&called](const RedisReply &) { called = true; });
        delete doomed;
        auto after = call(*remote, { "PING" }, this);
        QVERIFY(after && after->isStatus());
        QTest::qWait(20);
        QVERIFY(!called);
        redisThread.quit();
        redisThread.wait();
    }

    void authWithPassword()
    {
        RedisServerProcess secured({ QStringLiteral("--requirepass"), QStringLiteral("s3cret-pw") });
        QVERIFY2(secured.start(), sb::testing::startFailure(secured).constData());
        RedisUrl url = secured.url();
        url.setPassword(QStringLiteral("s3cret-pw"));
        RedisConnection connection(url);
        QSignalSpy connected(&connection, &RedisConnection::connected);
        connection.open();
        QVERIFY(connected.wait(5000));
        auto set = call(connection, { "SET", "k", "v" }, this);
        QVERIFY(set && set->isOk());

        // Without a password the handshake says so.
        RedisConnection anonymous(secured.url());
        QSignalSpy anonymousDown(&anonymous, &RedisConnection::disconnected);
        anonymous.open();
        QVERIFY(anonymousDown.wait(5000));
        const QString reason = anonymousDown.first().first().toString();
        QVERIFY2(reason.contains(u"requires a password"), qPrintable(reason));
    }

    void wrongPasswordIsAClearErrorAndNeverLogged()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("sb.redis.debug=true"));
        g_logLines.clear();
        g_previousHandler = qInstallMessageHandler(captureLog);

        RedisServerProcess secured({ QStringLiteral("--requirepass"), QStringLiteral("right-pw") });
        QVERIFY2(secured.start(), sb::testing::startFailure(secured).constData());
        RedisUrl url = secured.url();
        url.setPassword(QStringLiteral("wrong-pw-42"));
        RedisConnection connection(url);
        QSignalSpy down(&connection, &RedisConnection::disconnected);
        QSignalSpy connected(&connection, &RedisConnection::connected);
        connection.open();
        QTRY_VERIFY_WITH_TIMEOUT(down.size() >= 2, 5000); // it keeps retrying, with back-off
        const QString reason = down.first().first().toString();
        QVERIFY2(
            reason.contains(u"authentication failed") && reason.contains(u"WRONGPASS"), qPrintable(reason));
        QVERIFY(!reason.contains(u"wrong-pw-42"));
        QCOMPARE(connected.size(), 0);
        QCOMPARE(connection.lastError(), reason);

        qInstallMessageHandler(g_previousHandler);
        QLoggingCategory::setFilterRules(QString());
        QVERIFY(!g_logLines.isEmpty());
        for (const QString &line : std::as_const(g_logLines))
            QVERIFY2(!line.contains(u"wrong-pw-42"), qPrintable(line));
    }

    void aclUser()
    {
        RedisServerProcess acl({ QStringLiteral("--user"), QStringLiteral("alice"), QStringLiteral("on"),
            QStringLiteral(">wonderland"), QStringLiteral("~*"), QStringLiteral("&*"),
            QStringLiteral("+@all") });
        QVERIFY2(acl.start(), sb::testing::startFailure(acl).constData());
        RedisUrl url = RedisUrl::parse(u"redis://alice:wonderland@127.0.0.1:" + QString::number(acl.port()));
        QVERIFY(url.isValid());
        RedisConnection connection(url);
        QSignalSpy connected(&connection, &RedisConnection::connected);
        connection.open();
        QVERIFY(connected.wait(5000));
        auto who = call(connection, { "ACL", "WHOAMI" }, this);
        QVERIFY(who);
        QCOMPARE(who->bytes(), QByteArray("alice"));
    }

    void resolvesHostNamesWithoutBlocking()
    {
        // Names go through QHostInfo (hiredis would call getaddrinfo() on our thread).
        RedisConnection byName(RedisUrl(QStringLiteral("localhost"), m_server.port()));
        QSignalSpy connected(&byName, &RedisConnection::connected);
        byName.open();
        QVERIFY(connected.wait(5000));
        auto ping = call(byName, { "PING" }, this);
        QVERIFY(ping && ping->isStatus());

        RedisConnection unknown(RedisUrl(QStringLiteral("no-such-host.invalid"), 6379));
        QSignalSpy down(&unknown, &RedisConnection::disconnected);
        unknown.open();
        QVERIFY(down.wait(10000));
        QVERIFY2(down.first().first().toString().contains(u"cannot resolve"),
            qPrintable(down.first().first().toString()));
    }

    void invalidUrlReportsAtOpen()
    {
        RedisConnection bad(RedisUrl::parse(QStringLiteral("rediss://h")));
        QSignalSpy down(&bad, &RedisConnection::disconnected);
        bad.open();
        QCOMPARE(down.size(), 1);
        QVERIFY(down.first().first().toString().contains(u"TLS"));
        QCOMPARE(bad.state(), RedisConnection::State::Unconnected);
    }

private:
    RedisServerProcess m_server;
    std::unique_ptr<RedisConnection> m_connection;
};

SB_TEST_GUILESS_MAIN(TestRedisConnection)
#include "tst_redisconnection.moc"
