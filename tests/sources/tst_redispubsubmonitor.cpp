#include "inspect/RedisPubSubMonitor.h"
#include "sources/SourceOnThread.h"
#include "support/RedisServerProcess.h"
#include "support/TestMain.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTest>

using sb::inspect::RedisPubSubMonitor;
using sb::inspect::RedisPubSubMonitorSettings;
using sb::protocol::TrafficFrame;
using sb::testing::RedisServerProcess;
using Monitor = sb::testing::SourceOnThread<RedisPubSubMonitor>;
using MonitorState = RedisPubSubMonitor::State;

namespace {

const QString kUser = QStringLiteral("watcher");
const QString kPassword = QStringLiteral("pub-sub-pw");

// A RESP client of its own (not the project's hiredis code): what publishes in these tests
// is independent of what receives. Blocking calls, fine in a test.
class RespPublisher
{
public:
    bool open(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        if (!m_socket.waitForConnected(5000))
            return false;
        send({ "AUTH", kUser.toUtf8(), kPassword.toUtf8() });
        return readReply() == "+OK";
    }

    // Subscribers that received it (Redis's answer to PUBLISH), or -1 on failure.
    qint64 publish(const QByteArray &channel, const QByteArray &payload)
    {
        send({ "PUBLISH", channel, payload });
        const QByteArray reply = readReply();
        return reply.startsWith(':') ? reply.mid(1).toLongLong() : -1;
    }

    // Many PUBLISHes in one write (pipelined), then their answers.
    bool publishMany(const QByteArray &channel, int count)
    {
        QByteArray all;
        for (int i = 0; i < count; ++i)
            all += encode({ "PUBLISH", channel, QByteArray::number(i) });
        m_socket.write(all);
        for (int i = 0; i < count; ++i) {
            if (!readReply().startsWith(':'))
                return false;
        }
        return true;
    }

private:
    static QByteArray encode(const QList<QByteArray> &argv)
    {
        QByteArray out = '*' + QByteArray::number(argv.size()) + "\r\n";
        for (const QByteArray &arg : argv)
            out += '$' + QByteArray::number(arg.size()) + "\r\n" + arg + "\r\n";
        return out;
    }
    void send(const QList<QByteArray> &argv) { m_socket.write(encode(argv)); }
    // One simple-string, error or integer reply line, without its CRLF.
    QByteArray readReply()
    {
        const QDeadlineTimer deadline(5000);
        while (!m_socket.canReadLine() && !deadline.hasExpired())
            m_socket.waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime())));
        return m_socket.readLine().trimmed();
    }

    QTcpSocket m_socket;
};

QByteArray envelope(const QString &id)
{
    return QByteArrayLiteral(R"({"publishedAtUs":1,"type":"message","message":{"id":")") + id.toUtf8()
        + QByteArrayLiteral(R"(","channel":"general","sender":"alice","text":"hi","ts":1},"recipients":[]})");
}

const TrafficFrame *onChannel(const QList<TrafficFrame> &frames, const QString &channel)
{
    for (const TrafficFrame &frame : frames) {
        if (frame.destination == channel)
            return &frame;
    }
    return nullptr;
}

} // namespace

// RedisPubSubMonitor against a real redis-server that only lets an ACL user in: frames for the
// channels its pattern matches (and none for the others), the message id of the node's bus
// envelope, bodies cut at the limit, bounded batches and rate, and an outage (the server
// killed by pid and restarted on its port) that it reports and recovers from by itself.
class TestRedisPubSubMonitor : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<RedisServerProcess> m_server;

    RedisPubSubMonitorSettings settings() const
    {
        RedisPubSubMonitorSettings settings;
        settings.url = m_server->url();
        settings.url.setUserName(kUser);
        settings.url.setPassword(kPassword);
        return settings;
    }

    static bool waitLive(Monitor &monitor)
    {
        const QDeadlineTimer deadline(10000);
        while (monitor.state() != MonitorState::Live && !deadline.hasExpired())
            QTest::qWait(10);
        return monitor.state() == MonitorState::Live;
    }

private Q_SLOTS:
    void initTestCase()
    {
        // The default user is off: only an AUTH as the ACL user gets in.
        m_server = std::make_unique<RedisServerProcess>(
            QStringList { QStringLiteral("--user"), QStringLiteral("default"), QStringLiteral("off"),
                QStringLiteral("--user"), kUser, QStringLiteral("on"), u'>' + kPassword, QStringLiteral("~*"),
                QStringLiteral("&*"), QStringLiteral("+@all") });
        QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    }

    void busMessageId_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("id");
        QTest::newRow("message envelope") << envelope(QStringLiteral("m-1")) << QStringLiteral("m-1");
        QTest::newRow("leading space") << (" \n" + envelope(QStringLiteral("m-2"))) << QStringLiteral("m-2");
        QTest::newRow("numeric id") << QByteArray(R"({"type":"message","message":{"id":42}})")
                                    << QStringLiteral("42");
        QTest::newRow("presence envelope")
            << QByteArray(R"({"type":"presence","user":"bob","online":true})") << QString();
        QTest::newRow("top-level id only") << QByteArray(R"({"id":"x"})") << QString();
        QTest::newRow("not JSON") << QByteArray("hello") << QString();
        QTest::newRow("broken JSON") << QByteArray(R"({"message":{"id":"m-3")") << QString();
        QTest::newRow("array") << QByteArray(R"([{"message":{"id":"m-4"}}])") << QString();
        QTest::newRow("empty") << QByteArray() << QString();
    }

    void busMessageId()
    {
        QFETCH(QByteArray, payload);
        QFETCH(QString, id);
        QCOMPARE(RedisPubSubMonitor::busMessageId(payload), id);
    }

    void framesForMatchingChannelsOnly()
    {
        RedisPubSubMonitorSettings s = settings();
        s.bodyLimit = 32;
        Monitor monitor(s);
        monitor.start();
        QVERIFY2(waitLive(monitor), qPrintable(monitor.history()));
        QVERIFY2(monitor.reason().contains(u"sb:bus:*"), qPrintable(monitor.reason()));

        RespPublisher publisher;
        QVERIFY(publisher.open(m_server->port()));
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        const QByteArray bus = envelope(QStringLiteral("msg-7"));
        // Redis itself counts the monitor as a receiver of matching channels only.
        QCOMPARE(publisher.publish("sb:bus:broadcast", bus), 1);
        QCOMPARE(publisher.publish("sb:node:node-1", "not on the bus"), 0);
        QCOMPARE(publisher.publish("other:bus:broadcast", "nor this"), 0);
        QCOMPARE(publisher.publish("sb:bus:audit", "short"), 1);
        QTRY_COMPARE_WITH_TIMEOUT(monitor.frames.size(), 2, 10000);
        const qint64 after = QDateTime::currentMSecsSinceEpoch();
        // Messages come in publish order: a third frame, from the non-matching ones, would
        // have come before the last.
        QCOMPARE(monitor.frames.size(), 2);

        const TrafficFrame *broadcast = onChannel(monitor.frames, QStringLiteral("sb:bus:broadcast"));
        QVERIFY(broadcast);
        QCOMPARE(broadcast->transport, TrafficFrame::Transport::Redis);
        QCOMPARE(broadcast->direction, TrafficFrame::Direction::In);
        QCOMPARE(broadcast->command, QStringLiteral("PUBLISH"));
        QCOMPARE(broadcast->source, QStringLiteral("redis"));
        QCOMPARE(broadcast->header(QStringLiteral("pattern")), QStringLiteral("sb:bus:*"));
        QCOMPARE(broadcast->messageId, QStringLiteral("msg-7"));
        QCOMPARE(broadcast->bytes, bus.size());
        QCOMPARE(broadcast->body, bus.left(32));
        QVERIFY(broadcast->truncated);
        QVERIFY2(broadcast->tsMs >= before && broadcast->tsMs <= after,
            QByteArray::number(broadcast->tsMs).constData());

        const TrafficFrame *audit = onChannel(monitor.frames, QStringLiteral("sb:bus:audit"));
        QVERIFY(audit);
        QCOMPARE(audit->body, QByteArray("short"));
        QCOMPARE(audit->bytes, 5);
        QVERIFY(!audit->truncated);
        QVERIFY(audit->messageId.isEmpty());

        // Stopped: unsubscribed at the server (it counts no receiver any more), no frame.
        monitor.stop();
        QTRY_COMPARE_WITH_TIMEOUT(monitor.state(), MonitorState::Stopped, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(publisher.publish("sb:bus:broadcast", "after stop"), 0, 5000);
        QCOMPARE(monitor.frames.size(), 2);
    }

    void otherPatterns()
    {
        RedisPubSubMonitorSettings s = settings();
        s.pattern = "chat.*";
        Monitor monitor(s);
        monitor.start();
        QVERIFY2(waitLive(monitor), qPrintable(monitor.history()));
        RespPublisher publisher;
        QVERIFY(publisher.open(m_server->port()));
        QCOMPARE(publisher.publish("sb:bus:broadcast", "bus"), 0);
        QCOMPARE(publisher.publish("chat.room-1", "room"), 1);
        QTRY_COMPARE_WITH_TIMEOUT(monitor.frames.size(), 1, 10000);
        QCOMPARE(monitor.frames.first().destination, QStringLiteral("chat.room-1"));
        QCOMPARE(monitor.frames.first().header(QStringLiteral("pattern")), QStringLiteral("chat.*"));
    }

    void wrongPasswordIsAnError()
    {
        RedisPubSubMonitorSettings s = settings();
        s.url.setPassword(QStringLiteral("not-the-pw-99"));
        Monitor monitor(s);
        monitor.start();
        QTRY_VERIFY_WITH_TIMEOUT(monitor.saw(MonitorState::Error, QStringLiteral("retrying in")), 10000);
        QVERIFY2(monitor.reason().contains(u"cannot connect to"), qPrintable(monitor.reason()));
        QVERIFY2(!monitor.history().contains(u"not-the-pw-99"), qPrintable(monitor.history()));
        QVERIFY(!monitor.saw(MonitorState::Live));
    }

    void batchesAreBounded()
    {
        RedisPubSubMonitorSettings s = settings();
        s.maxBatchFrames = 40;
        Monitor monitor(s);
        monitor.start();
        QVERIFY2(waitLive(monitor), qPrintable(monitor.history()));
        RespPublisher publisher;
        QVERIFY(publisher.open(m_server->port()));
        QVERIFY(publisher.publishMany("sb:bus:broadcast", 1000));
        QTRY_COMPARE_WITH_TIMEOUT(monitor.frames.size(), 1000, 15000);
        for (qsizetype size : std::as_const(monitor.batchSizes))
            QVERIFY2(size >= 1 && size <= 40, QByteArray::number(size).constData());
        QVERIFY(monitor.batchSizes.size() >= 25);
        for (int i = 0; i < 1000; ++i)
            QCOMPARE(monitor.frames.at(i).body, QByteArray::number(i));
    }

    void rateIsBounded()
    {
        RedisPubSubMonitorSettings s = settings();
        s.maxFramesPerSecond = 100;
        Monitor monitor(s);
        qint64 dropped = 0;
        connect(monitor.source(), &RedisPubSubMonitor::framesDropped, this,
            [&dropped](qint64 total) { dropped = total; });
        monitor.start();
        QVERIFY2(waitLive(monitor), qPrintable(monitor.history()));
        RespPublisher publisher;
        QVERIFY(publisher.open(m_server->port()));
        QElapsedTimer burst;
        burst.start();
        QVERIFY(publisher.publishMany("sb:bus:broadcast", 500));
        // Every message is either handed over or counted.
        QTRY_COMPARE_WITH_TIMEOUT(monitor.frames.size() + dropped, 500, 10000);
        // At most the rate per one-second window the burst touched (two when it took under a
        // second, more only on a machine stalled that long).
        const qint64 windows = burst.elapsed() / 1000 + 2;
        QVERIFY2(monitor.frames.size() >= 100 && monitor.frames.size() <= 100 * windows,
            qPrintable(QString::number(monitor.frames.size()) + u" frames in "
                + QString::number(burst.elapsed()) + u" ms"));
        QVERIFY(dropped > 0);
    }

    // Last: it kills the shared server.
    void reportsAnOutageAndResumes()
    {
        RedisPubSubMonitorSettings s = settings();
        s.reconnectMin = std::chrono::milliseconds(100);
        s.reconnectMax = std::chrono::milliseconds(800);
        Monitor monitor(s);
        monitor.start();
        QVERIFY2(waitLive(monitor), qPrintable(monitor.history()));
        const qint64 pid = m_server->pid();
        QVERIFY(pid > 0);
        m_server->stop(); // SIGKILL to its pid

        QTRY_VERIFY2_WITH_TIMEOUT(monitor.saw(MonitorState::Error, QStringLiteral("lost connection to")),
            qPrintable(monitor.history()), 10000);
        // Each failed attempt waits longer (100, 200, 400 ms ceilings, 75–100 % each).
        const QRegularExpression retry(QStringLiteral("retrying in (\\d+) ms"));
        QList<int> delays;
        const QDeadlineTimer deadline(15000);
        while (delays.size() < 3 && !deadline.hasExpired()) {
            QTest::qWait(20);
            delays.clear();
            for (const auto &[state, reason] : std::as_const(monitor.states)) {
                if (const auto match = retry.match(reason); state == MonitorState::Error && match.hasMatch())
                    delays.append(match.captured(1).toInt());
            }
        }
        QVERIFY2(delays.size() >= 3, qPrintable(monitor.history()));
        QVERIFY2(delays.at(0) < delays.at(1) && delays.at(1) < delays.at(2), qPrintable(monitor.history()));
        QVERIFY2(monitor.saw(MonitorState::Error, QStringLiteral("cannot connect to")),
            qPrintable(monitor.history()));
        QVERIFY(!monitor.history().contains(kPassword));

        QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
        QVERIFY(m_server->pid() != pid);
        monitor.states.clear();
        QVERIFY2(waitLive(monitor), qPrintable(monitor.history()));
        RespPublisher publisher;
        QVERIFY(publisher.open(m_server->port()));
        QCOMPARE(publisher.publish("sb:bus:broadcast", envelope(QStringLiteral("after-outage"))), 1);
        QTRY_COMPARE_WITH_TIMEOUT(monitor.frames.size(), 1, 10000);
        QCOMPARE(monitor.frames.first().messageId, QStringLiteral("after-outage"));
    }
};

SB_TEST_GUILESS_MAIN(TestRedisPubSubMonitor)
#include "tst_redispubsubmonitor.moc"
