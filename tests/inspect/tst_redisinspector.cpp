#include "RedisInspectorSeed.h"
#include "cluster/RedisTestHelpers.h"
#include "support/TestMain.h"

#include "cluster/RedisConnection.h"
#include "inspect/RedisKeyActions.h"
#include "inspect/RedisKeyScanner.h"
#include "inspect/RedisKeyspaceWatcher.h"
#include "inspect/RedisSessionReader.h"
#include "inspect/RedisValueReader.h"
#include "models/RedisKeyModel.h"
#include "models/SessionModel.h"
#include "support/RedisServerProcess.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QFile>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace sb;
using inspect::RedisKeyType;
using inspect::RedisScanProgress;
using Phase = inspect::RedisScanProgress::Phase;
using sb::testing::InspectorSeed;

namespace {
// Collects a worker-thread signal's argument on this thread (queued). QSignalSpy would
// record it on the worker thread, and Qt 6.4's wait() can miss an emission that lands
// between the request and the wait.
template<typename T> class Received : public QObject
{
public:
    template<typename Sender, typename Signal> Received(Sender *sender, Signal signal)
    {
        connect(sender, signal, this, [this](const T &value) { items.append(value); });
    }
    bool waitFor(qsizetype count, int timeoutMs = 5000)
    {
        return QTest::qWaitFor([&] { return items.size() >= count; }, timeoutMs);
    }
    T takeFirst() { return items.takeFirst(); }
    QList<T> items;
};

double loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    return file.open(QIODevice::ReadOnly) ? file.readAll().split(' ').value(0).toDouble() : 0.0;
}
} // namespace

// The Redis inspector against a real redis-server holding 100,000 keys: the scanner on a
// worker thread feeding RedisKeyModel on this (GUI-like) thread, as the console runs it.
class TestRedisInspector : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), sb::testing::startFailure(m_server).constData());
        sb::testing::RedisSeeder seed;
        InspectorSeed::fill(seed);
        QString error;
        QVERIFY2(seed.run(m_server.port(), &error), qPrintable(error));

        m_direct = std::make_unique<cluster::RedisConnection>(m_server.url());
        QSignalSpy up(m_direct.get(), &cluster::RedisConnection::connected);
        m_direct->open();
        QVERIFY(up.wait(5000));
        QCOMPARE(directInteger({ "DBSIZE" }), qint64(InspectorSeed::Total));
        // Any SCAN slower than 5 ms on the server lands in the slow log; it must stay empty.
        QVERIFY(direct({ "CONFIG", "SET", "slowlog-log-slower-than", "5000" }).isOk());
        QVERIFY(direct({ "SLOWLOG", "RESET" }).isOk());

        m_worker.start();
        m_connection = new cluster::RedisConnection(m_server.url());
        m_scanner = new inspect::RedisKeyScanner(m_connection, m_connection);
        m_reader = new inspect::RedisValueReader(m_connection, m_connection);
        m_actions = new inspect::RedisKeyActions(m_connection, m_connection);
        m_watcher = new inspect::RedisKeyspaceWatcher(m_connection, m_server.url(), m_connection);
        m_sessions = new inspect::RedisSessionReader(m_connection, "sb:", m_connection);
        m_connection->moveToThread(&m_worker);
        QSignalSpy workerUp(m_connection, &cluster::RedisConnection::connected);
        m_connection->open();
        QVERIFY(workerUp.wait(5000));

        connect(
            m_scanner, &inspect::RedisKeyScanner::batchReady, &m_model, &models::RedisKeyModel::appendBatch);
        connect(m_scanner, &inspect::RedisKeyScanner::keysRefreshed, &m_model,
            &models::RedisKeyModel::applyRefresh);
        connect(m_scanner, &inspect::RedisKeyScanner::progressChanged, this,
            [this](const RedisScanProgress &p) { m_progress = p; });
    }

    void cleanupTestCase()
    {
        if (m_connection)
            QMetaObject::invokeMethod(m_connection, &QObject::deleteLater, Qt::QueuedConnection);
        m_worker.quit();
        QVERIFY(m_worker.wait(5000));
        m_direct.reset();
        m_server.stop();
    }

    // Scan in pages, pause, resume, then to the end: every key exactly once, no SCAN slow.
    void fullScanInPagesListsEveryKey()
    {
        QElapsedTimer clock;
        clock.start();
        startScan("*", 5000);
        qint64 firstThousandMs = -1;
        while (m_model.rowCount() < 1000 && clock.elapsed() < 5000) {
            QTest::qWait(1);
        }
        firstThousandMs = clock.elapsed();
        QVERIFY2(firstThousandMs < 1000, qPrintable(QString::number(firstThousandMs) + u" ms to 1,000 keys"));

        // The budget pauses the scan, resumable from its cursor.
        QTRY_VERIFY_WITH_TIMEOUT(m_progress.phase == Phase::Paused && m_progress.budgetLeft == 0, 10000);
        QTest::qWait(100); // let the last batch land
        const int afterFirstPage = m_model.rowCount();
        QVERIFY2(afterFirstPage >= 5000 && afterFirstPage < 5000 + 2000,
            qPrintable(QString::number(afterFirstPage)));
        QCOMPARE(m_progress.dbSize, qint64(InspectorSeed::Total));

        m_scanner->scanMore(5000);
        QTRY_VERIFY_WITH_TIMEOUT(m_model.rowCount() >= afterFirstPage + 5000, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(m_progress.phase == Phase::Paused && m_progress.budgetLeft == 0, 10000);

        // An explicit pause holds the scan where it is.
        m_scanner->scanAll();
        QTRY_VERIFY_WITH_TIMEOUT(m_model.rowCount() > 30000, 20000);
        m_scanner->pause();
        QTRY_VERIFY_WITH_TIMEOUT(m_progress.phase == Phase::Paused, 5000);
        QTest::qWait(200);
        const int whilePaused = m_model.rowCount();
        QTest::qWait(300);
        QCOMPARE(m_model.rowCount(), whilePaused);
        QVERIFY(whilePaused < InspectorSeed::Total);

        m_scanner->resume();
        QTRY_VERIFY_WITH_TIMEOUT(m_progress.phase == Phase::Finished, 60000);
        QCOMPARE(m_model.rowCount(), int(directInteger({ "DBSIZE" })));
        QCOMPARE(m_progress.keysReturned, qint64(InspectorSeed::Total)); // no key returned twice
        qInfo("first 1,000 keys after %lld ms; %lld SCAN calls, slowest round trip %.2f ms, final COUNT %d",
            firstThousandMs, m_progress.calls, m_progress.maxCallMs, m_progress.count);

        // Types as TYPE reports them, counted over the whole listing.
        QMap<RedisKeyType, int> types;
        for (int row = 0; row < m_model.rowCount(); ++row)
            ++types[m_model.typeAt(row)];
        QCOMPARE(types.value(RedisKeyType::Hash), InspectorSeed::Hashes + InspectorSeed::Sessions + 1);
        QCOMPARE(types.value(RedisKeyType::String), InspectorSeed::Strings + InspectorSeed::Tokens);
        QCOMPARE(types.value(RedisKeyType::List), InspectorSeed::Lists + 1);
        QCOMPARE(types.value(RedisKeyType::Set), InspectorSeed::Sets);
        QCOMPARE(types.value(RedisKeyType::ZSet), InspectorSeed::ZSets);
        QCOMPARE(types.value(RedisKeyType::Stream), InspectorSeed::Streams);
        const int bigHash = m_model.rowOfKey("big:hash");
        QVERIFY(bigHash >= 0);
        QVERIFY(m_model.index(bigHash, 0).data(models::RedisKeyModel::MemoryBytesRole).toLongLong() > 10000);

        // The server's own record: SCAN calls stay under 5 ms. The slow log measures wall
        // time, so whenever other work competes for the cores (CTest runs tests in
        // parallel, CI compiles alongside) the server can be descheduled in the middle of a
        // SCAN: such stragglers are tolerated, at most 5 % of the calls and none near 50 ms
        // (a COUNT too large for the server makes most calls slow, and each slow by itself;
        // CI once saw 2 stragglers of 140 calls, 5.5 and 6.7 ms, at load 3.25 on 2 cores);
        // each is printed.
        const cluster::RedisReply slowlog = direct({ "SLOWLOG", "GET", "1000" });
        QVERIFY(slowlog.isArray());
        qint64 slowScans = 0;
        qint64 slowestMicros = 0;
        for (const cluster::RedisReply &entry : slowlog.elements()) {
            const cluster::RedisReply args = entry.at(3);
            if (args.at(0).bytes().toUpper() == "SCAN") {
                ++slowScans;
                slowestMicros = qMax(slowestMicros, entry.at(2).toInteger());
                qWarning("slow SCAN on the server: %s", qPrintable(entry.toDebugString()));
            }
        }
        QVERIFY2(slowScans * 20 <= m_progress.calls,
            qPrintable(QStringLiteral("%1 slow SCANs of %2 (load %3 on %4 cores)")
                           .arg(slowScans)
                           .arg(m_progress.calls)
                           .arg(loadAverage())
                           .arg(QThread::idealThreadCount())));
        QVERIFY2(slowestMicros < 50000, qPrintable(QStringLiteral("a SCAN took %1 µs").arg(slowestMicros)));
    }

    void ttlCountsDownWithoutAskingTheServer()
    {
        const int row = m_model.rowOfKey("k:str:0"); // SET ... EX 1000
        QVERIFY(row >= 0);
        const qint64 before = m_model.remainingMs(row);
        QVERIFY2(before > 900000 && before <= 1000000, qPrintable(QString::number(before)));
        QTest::qWait(1100);
        const qint64 after = m_model.remainingMs(row);
        QVERIFY2(
            before - after >= 1000 && before - after < 1500, qPrintable(QString::number(before - after)));
        const qint64 server = directInteger({ "PTTL", "k:str:0" });
        QVERIFY2(qAbs(server - after) < 1000, qPrintable(QString::number(server - after)));
        QCOMPARE(m_model.index(row, models::RedisKeyModel::TtlColumn).data().toString(),
            models::RedisKeyModel::formatTtl(m_model.remainingMs(row)));
        QCOMPARE(m_model.remainingMs(m_model.rowOfKey("k:str:1")), qint64(-1)); // no expiry
    }

    // A newer scan replaces an older one: nothing of the old one reaches the model.
    void newerScanDropsTheOlderOne()
    {
        m_scanner->start("*", -1); // superseded at once
        startScan("sb:session:*", -1);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_progress.phase == Phase::Finished && m_progress.pattern == "sb:session:*", 30000);
        QTest::qWait(100);
        QCOMPARE(m_model.rowCount(), InspectorSeed::Sessions);
        for (int row = 0; row < m_model.rowCount(); ++row) {
            QVERIFY(m_model.keyAt(row).startsWith("sb:session:"));
            QCOMPARE(m_model.typeAt(row), RedisKeyType::Hash);
        }
        QCOMPARE(m_progress.dbSize, qint64(InspectorSeed::Total));
        QVERIFY(m_progress.visitedFraction == 1.0);
    }

    // Visible-row refresh: gone keys leave, changed TTLs update, new matching keys arrive.
    void refreshUpdatesRemovesAndAdds()
    {
        QVERIFY(direct({ "DEL", "sb:session:s-1" }).isInteger());
        QVERIFY(direct({ "EXPIRE", "sb:session:s-2", "5" }).isInteger());
        QVERIFY(direct({ "HSET", "sb:session:new", "user", "u" }).isInteger());
        QVERIFY(direct({ "SET", "k:unrelated", "x" }).isOk());
        Received<inspect::RedisKeyBatch> refreshed(m_scanner, &inspect::RedisKeyScanner::keysRefreshed);
        m_scanner->refreshKeys({ "sb:session:s-1", "sb:session:s-2", "sb:session:new", "k:unrelated" });
        QVERIFY(refreshed.waitFor(1));
        QTest::qWait(50); // the model's own queued delivery
        QCOMPARE(m_model.rowOfKey("sb:session:s-1"), -1);
        QVERIFY(m_model.rowOfKey("sb:session:new") >= 0);
        QCOMPARE(m_model.rowOfKey("k:unrelated"), -1); // does not match sb:session:*
        const qint64 left = m_model.remainingMs(m_model.rowOfKey("sb:session:s-2"));
        QVERIFY2(left > 3000 && left <= 5000, qPrintable(QString::number(left)));
        QCOMPARE(m_model.rowCount(), InspectorSeed::Sessions); // one gone, one new
        QVERIFY(direct({ "DEL", "sb:session:new", "k:unrelated" }).isInteger());
        QVERIFY(direct({ "PERSIST", "sb:session:s-2" }).isInteger());
    }

    void valuePages_data()
    {
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("expected");
        QTest::newRow("hash 10k") << QByteArray("big:hash") << int(RedisKeyType::Hash)
                                  << InspectorSeed::BigElements;
        QTest::newRow("list 10k") << QByteArray("big:list") << int(RedisKeyType::List)
                                  << InspectorSeed::BigElements;
        QTest::newRow("set") << QByteArray("k:set:1") << int(RedisKeyType::Set) << 3;
        QTest::newRow("zset") << QByteArray("k:zset:1") << int(RedisKeyType::ZSet) << 2;
        QTest::newRow("stream") << QByteArray("k:stream:1") << int(RedisKeyType::Stream) << 3;
    }

    // The value viewer's reader: pages until complete, every element exactly once.
    void valuePages()
    {
        QFETCH(QByteArray, key);
        QFETCH(int, type);
        QFETCH(int, expected);
        Received<inspect::RedisValuePage> pages(m_reader, &inspect::RedisValueReader::pageReady);
        inspect::RedisValueRequest request;
        request.key = key;
        request.type = RedisKeyType(type);
        request.pageSize = 500;
        QSet<QByteArray> seen;
        QList<QByteArray> order;
        int calls = 0;
        for (;;) {
            request.id = quint64(++calls);
            m_reader->fetch(request);
            QVERIFY(pages.waitFor(1));
            const inspect::RedisValuePage page = pages.takeFirst();
            QVERIFY2(page.error.isEmpty(), qPrintable(page.error));
            QCOMPARE(page.requestId, request.id);
            QCOMPARE(page.totalLength, qint64(expected));
            QVERIFY(page.entries.size() <= 500 * 2); // HSCAN's COUNT is a hint, bounded in practice
            for (const inspect::RedisValueEntry &entry : page.entries) {
                seen.insert(entry.first);
                order.append(entry.second);
            }
            if (page.complete)
                break;
            request.cursor = page.nextCursor;
            QVERIFY(calls < 1000);
        }
        QCOMPARE(seen.size(), expected);
        if (key == "big:list") {
            QCOMPARE(calls, InspectorSeed::BigElements / 500 + 1);
            QCOMPARE(order.constFirst(), QByteArray("element-0"));
            QCOMPARE(order.constLast(), QByteArray("element-9999"));
        }
        if (key == "big:hash")
            QVERIFY(calls > 1); // really paged
    }

    void stringValueIsReadWhole()
    {
        Received<inspect::RedisValuePage> pages(m_reader, &inspect::RedisValueReader::pageReady);
        m_reader->fetch({ 7, "k:str:3", RedisKeyType::String, {}, 200 });
        QVERIFY(pages.waitFor(1));
        const inspect::RedisValuePage page = pages.takeFirst();
        QCOMPARE(page.text, QByteArray("{\"id\":3,\"tags\":[\"a\",\"b\"]}"));
        QCOMPARE(page.totalLength, qint64(page.text.size()));
        QVERIFY(page.complete);
    }

    void keyActionsReportTheNewTtl()
    {
        Received<inspect::RedisActionResult> finished(m_actions, &inspect::RedisKeyActions::finished);
        m_actions->expireKey("k:str:5", 120);
        QVERIFY(finished.waitFor(1));
        auto result = finished.takeFirst();
        QVERIFY(result.ok);
        QVERIFY(result.pttlMs > 110000 && result.pttlMs <= 120000);
        QVERIFY(directInteger({ "TTL", "k:str:5" }) > 100);

        m_actions->persistKey("k:str:5");
        QVERIFY(finished.waitFor(1));
        result = finished.takeFirst();
        QVERIFY(result.ok);
        QCOMPARE(result.pttlMs, qint64(-1));

        m_actions->deleteKey("k:str:5");
        QVERIFY(finished.waitFor(1));
        result = finished.takeFirst();
        QVERIFY(result.ok);
        QCOMPARE(result.pttlMs, qint64(-2));
        QCOMPARE(directInteger({ "EXISTS", "k:str:5" }), qint64(0));

        m_actions->deleteKey("k:str:5");
        QVERIFY(finished.waitFor(1));
        result = finished.takeFirst();
        QVERIFY(!result.ok);
        QCOMPARE(result.message, QStringLiteral("no such key"));
    }

    // Off: say so and offer the exact CONFIG SET (never run it). On: changed keys arrive.
    void keyspaceNotifications()
    {
        Received<inspect::RedisNotificationState> states(
            m_watcher, &inspect::RedisKeyspaceWatcher::stateChanged);
        m_watcher->check();
        QVERIFY(states.waitFor(1));
        auto state = states.takeFirst();
        QCOMPARE(state.mode, inspect::RedisNotificationState::Mode::Disabled);
        QCOMPARE(state.enableCommand, QStringLiteral("CONFIG SET notify-keyspace-events KA"));
        QVERIFY(state.text.contains(state.enableCommand));
        QCOMPARE(
            direct({ "CONFIG", "GET", "notify-keyspace-events" }).at(1).bytes(), QByteArray("")); // untouched

        // An application's own flags are kept in the suggestion.
        QCOMPARE(inspect::RedisKeyspaceWatcher::suggestedFlags(QStringLiteral("Ex")), QStringLiteral("ExKA"));

        QVERIFY(direct({ "CONFIG", "SET", "notify-keyspace-events", "KA" }).isOk()); // the operator's move
        Received<QList<QByteArray>> changed(m_watcher, &inspect::RedisKeyspaceWatcher::keysChanged);
        m_watcher->check();
        QVERIFY(states.waitFor(1));
        state = states.takeFirst();
        QCOMPARE(state.mode, inspect::RedisNotificationState::Mode::Enabled);
        // The subscription is asynchronous: write until the notifications come back, for
        // every type the cluster writes (a token index is a set, a replay log a stream).
        const QSet<QByteArray> written { "k:notified", "k:notified:set", "k:notified:stream" };
        QSet<QByteArray> keys;
        QDeadlineTimer deadline(5000);
        while (!keys.contains(written) && !deadline.hasExpired()) {
            QVERIFY(direct({ "SET", "k:notified", "1" }).isOk());
            QVERIFY(direct({ "SADD", "k:notified:set", "1" }).isInteger());
            QVERIFY(!direct({ "XADD", "k:notified:stream", "*", "f", "1" }).isError());
            if (changed.waitFor(1, 300))
                for (const QByteArray &key : changed.takeFirst())
                    keys.insert(key);
        }
        QVERIFY2(keys.contains(written), keys.values().join(' ').constData());
        m_watcher->stop();
        QVERIFY(direct({ "CONFIG", "SET", "notify-keyspace-events", "" }).isOk());
        QCOMPARE(direct({ "DEL", "k:notified", "k:notified:set", "k:notified:stream" }).toInteger(), 3);
    }

    // The Sessions lens counts what the nodes wrote, per replica and per user.
    void sessionsLensCountsPerReplica()
    {
        models::SessionModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester replicaTester(
            model.perReplicaModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(m_sessions, &inspect::RedisSessionReader::snapshotReady, &model,
            &models::SessionModel::applySnapshot);
        QSignalSpy applied(&model, &models::SessionModel::snapshotApplied);
        m_sessions->start(60000);
        QVERIFY(applied.wait(20000));
        m_sessions->stop();
        QVERIFY2(model.lastError().isEmpty(), qPrintable(model.lastError()));
        // refreshUpdatesRemovesAndAdds deleted s-1 (a node-1 session).
        QMap<QString, int> expected = InspectorSeed::expectedPerReplica();
        --expected[QString::fromLatin1(InspectorSeed::nodeOf(1))];
        QCOMPARE(model.sessionsPerReplica(), expected);
        QCOMPARE(model.sessionCount(), InspectorSeed::Sessions - 1);
        QCOMPARE(model.tokenCount(), InspectorSeed::Tokens);
        QCOMPARE(model.sessionsPerUser().size(), 50);
        QCOMPARE(model.rowCount(), InspectorSeed::Sessions - 1 + InspectorSeed::Tokens);
        QCOMPARE(model.sessionHistory().size(), 1);
        QCOMPARE(model.sessionHistory().last().y(), double(InspectorSeed::Sessions - 1));
    }

private:
    void startScan(const QByteArray &pattern, qint64 budget)
    {
        m_model.reset(m_scanner->start(pattern, budget), pattern);
    }

    cluster::RedisReply direct(QList<QByteArray> argv)
    {
        const auto reply = sb::testing::call(*m_direct, std::move(argv), this);
        return reply ? *reply : cluster::RedisReply::error("no reply");
    }

    qint64 directInteger(QList<QByteArray> argv) { return direct(std::move(argv)).toInteger(); }

    sb::testing::RedisServerProcess m_server;
    std::unique_ptr<cluster::RedisConnection> m_direct;
    QThread m_worker;
    cluster::RedisConnection *m_connection = nullptr;
    inspect::RedisKeyScanner *m_scanner = nullptr;
    inspect::RedisValueReader *m_reader = nullptr;
    inspect::RedisKeyActions *m_actions = nullptr;
    inspect::RedisKeyspaceWatcher *m_watcher = nullptr;
    inspect::RedisSessionReader *m_sessions = nullptr;
    models::RedisKeyModel m_model;
    RedisScanProgress m_progress;
};

SB_TEST_GUILESS_MAIN(TestRedisInspector)
#include "tst_redisinspector.moc"
