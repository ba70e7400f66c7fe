#include "cluster/RedisConnection.h"
#include "inspect/RedisLatencyProbe.h"
#include "support/RedisServerProcess.h"
#include "support/TestMain.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>

using namespace sb;
using inspect::RedisLatencyProbe;

namespace {

QList<qint64> figures(const QSignalSpy &spy)
{
    QList<qint64> out;
    for (const QList<QVariant> &args : spy)
        out.append(args.at(0).toLongLong());
    return out;
}

// Another client's CLIENT PAUSE: every client, the probe's included, waits `ms`.
bool pauseServer(cluster::RedisConnection *admin, int ms)
{
    bool answered = false;
    bool ok = false;
    QObject context;
    admin->command(
        { "CLIENT", "PAUSE", QByteArray::number(ms) }, &context, [&](const cluster::RedisReply &reply) {
            answered = true;
            ok = reply.isStatus();
        });
    return QTest::qWaitFor([&] { return answered; }, 5000) && ok;
}

} // namespace

// RedisLatencyProbe against a real redis-server: PINGs on loopback take a few ms; a PING held
// by CLIENT PAUSE is reported at its age while it waits (a server that stops answering reads
// as ever slower), then at its whole round trip; the connection lost under a waiting PING
// says the figure is gone.
class TestRedisLatencyProbe : public QObject
{
    Q_OBJECT

private slots:
    void timesPingsAndCountsAWaitingOneAtItsAge()
    {
        testing::RedisServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        cluster::RedisConnection admin(server.url());
        cluster::RedisConnection connection(server.url());
        RedisLatencyProbe probe(&connection, 100);
        QSignalSpy measured(&probe, &RedisLatencyProbe::measured);
        QSignalSpy lost(&probe, &RedisLatencyProbe::lost);
        probe.start();
        connection.open();
        admin.open();

        QTRY_VERIFY_WITH_TIMEOUT(measured.size() >= 3, 10000);
        const QList<qint64> quick = figures(measured);
        QVERIFY2(*std::max_element(quick.begin(), quick.end()) < 250, "a loopback PING takes a few ms");
        QVERIFY(*std::min_element(quick.begin(), quick.end()) >= 0);
        QTRY_VERIFY_WITH_TIMEOUT(admin.isConnected(), 10000);

        // Paused for 3 s: the PING in flight is reported while it waits, long before its answer.
        measured.clear();
        QElapsedTimer sincePause;
        sincePause.start();
        QVERIFY(pauseServer(&admin, 3000));
        QTRY_VERIFY_WITH_TIMEOUT(!measured.isEmpty() && measured.last().at(0).toLongLong() >= 500, 5000);
        QVERIFY2(sincePause.elapsed() < 2500,
            "a PING still waiting must count at its age, not only once answered");
        // Then its answer, the whole wait, and quick PINGs again.
        QTRY_VERIFY_WITH_TIMEOUT(
            measured.last().at(0).toLongLong() < 250 && sincePause.elapsed() > 3000, 10000);
        const QList<qint64> during = figures(measured);
        QVERIFY2(*std::max_element(during.begin(), during.end()) >= 2000, "the held PING's round trip");
        QCOMPARE(lost.size(), 0);

        // The server dies under a waiting PING: the figure is gone, and no PING goes out while down.
        QVERIFY(pauseServer(&admin, 10000));
        measured.clear();
        QTRY_VERIFY_WITH_TIMEOUT(!measured.isEmpty() && measured.last().at(0).toLongLong() >= 300, 5000);
        server.stop();
        QTRY_COMPARE_WITH_TIMEOUT(lost.size(), 1, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!connection.isConnected(), 5000);
    }
};

SB_TEST_GUILESS_MAIN(TestRedisLatencyProbe)
#include "tst_redislatencyprobe.moc"
