#include "models/RedisKeyModel.h"
#include "support/TestMain.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace sb;
using inspect::RedisKeyRecord;
using inspect::RedisKeyType;
using models::RedisKeyModel;

namespace {
RedisKeyRecord record(const QByteArray &key, qint64 pttlMs = -1, RedisKeyType type = RedisKeyType::String)
{
    RedisKeyRecord r;
    r.key = key;
    r.type = type;
    r.pttlMs = pttlMs;
    r.memoryBytes = 56;
    r.observedAtMs = inspect::steadyNowMs();
    return r;
}

inspect::RedisKeyBatch batch(int first, int count)
{
    inspect::RedisKeyBatch records;
    for (int i = first; i < first + count; ++i)
        records.append(record("key:" + QByteArray::number(i)));
    return records;
}
} // namespace

// RedisKeyModel without a server: batches, generations, refreshes, removals, TTL text.
class TestRedisKeyModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void batchesAreOneInsertEach()
    {
        RedisKeyModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.reset(1, "*");
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.appendBatch(1, batch(0, 500));
        model.appendBatch(1, batch(500, 500));
        QCOMPARE(inserted.size(), 2);
        QCOMPARE(model.rowCount(), 1000);
        QCOMPARE(model.columnCount(), int(RedisKeyModel::ColumnCount));
        QCOMPARE(model.index(10, RedisKeyModel::KeyColumn).data().toString(), QStringLiteral("key:10"));
        QCOMPARE(model.index(10, RedisKeyModel::TypeColumn).data().toString(), QStringLiteral("string"));
        QCOMPARE(model.index(10, RedisKeyModel::TtlColumn).data().toString(), QStringLiteral("no expiry"));
        QCOMPARE(model.index(10, RedisKeyModel::MemoryColumn).data().toString(), QStringLiteral("56 B"));
        QCOMPARE(model.rowOfKey("key:999"), 999);
    }

    void otherGenerationsAndDuplicatesAreDropped()
    {
        RedisKeyModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.reset(2, "*");
        model.appendBatch(1, batch(0, 100)); // a cancelled scan's late batch
        QCOMPARE(model.rowCount(), 0);
        model.appendBatch(2, batch(0, 100));
        model.appendBatch(2, batch(50, 100)); // SCAN may repeat keys while the table rehashes
        QCOMPARE(model.rowCount(), 150);
        inspect::RedisKeyBatch gone { record("key:gone", RedisKeyRecord::Missing, RedisKeyType::None) };
        model.appendBatch(2, gone); // expired between SCAN and TYPE
        QCOMPARE(model.rowCount(), 150);
    }

    void refreshUpdatesRemovesAndAddsMatching()
    {
        RedisKeyModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.reset(3, "key:*");
        model.appendBatch(3, batch(0, 10));
        inspect::RedisKeyBatch refresh { record("key:2", RedisKeyRecord::Missing, RedisKeyType::None),
            record("key:3", RedisKeyRecord::Missing, RedisKeyType::None),
            record("key:7", RedisKeyRecord::Missing, RedisKeyType::None),
            record("key:5", 5000, RedisKeyType::Hash), record("key:new"), record("other:new") };
        model.applyRefresh(refresh);
        QCOMPARE(model.rowCount(), 10 - 3 + 1);
        QCOMPARE(model.rowOfKey("key:2"), -1);
        QCOMPARE(model.rowOfKey("other:new"), -1); // does not match the listing's pattern
        QCOMPARE(model.keyAt(model.rowOfKey("key:new")), QByteArray("key:new"));
        // The index stays exact after removals shifted rows.
        for (int row = 0; row < model.rowCount(); ++row)
            QCOMPARE(model.rowOfKey(model.keyAt(row)), row);
        const int five = model.rowOfKey("key:5");
        QCOMPARE(model.typeAt(five), RedisKeyType::Hash);
        QVERIFY(model.remainingMs(five) > 4000 && model.remainingMs(five) <= 5000);
    }

    void actionsUpdateTheRow()
    {
        RedisKeyModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.reset(4, "*");
        model.appendBatch(4, batch(0, 3));
        inspect::RedisActionResult expire { inspect::RedisActionResult::Action::Expire, "key:1", true, {},
            60000, inspect::steadyNowMs() };
        model.applyAction(expire);
        QVERIFY(model.remainingMs(1) > 59000);
        inspect::RedisActionResult del { inspect::RedisActionResult::Action::Delete, "key:1", true, {}, -2,
            0 };
        model.applyAction(del);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.rowOfKey("key:2"), 1);
    }

    void ttlCountsDown()
    {
        RedisKeyModel model;
        model.reset(5, "*");
        model.appendBatch(5, { record("t", 3000) });
        const QString first = model.index(0, RedisKeyModel::TtlColumn).data().toString();
        QCOMPARE(first, QStringLiteral("3 s"));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QTest::qWait(1100);
        model.tickTtl(0, 100); // clamped to the rows there are
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>().column(), int(RedisKeyModel::TtlColumn));
        QCOMPARE(model.index(0, RedisKeyModel::TtlColumn).data().toString(), QStringLiteral("2 s"));
    }

    void formats_data()
    {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QString>("text");
        QTest::newRow("none") << qint64(-1) << QStringLiteral("no expiry");
        QTest::newRow("expired") << qint64(0) << QStringLiteral("expired");
        QTest::newRow("rounds up") << qint64(400) << QStringLiteral("1 s");
        QTest::newRow("minutes") << qint64(125000) << QStringLiteral("2 m 05 s");
        QTest::newRow("hours") << qint64(3600000 * 2 + 60000 * 3) << QStringLiteral("2 h 03 m");
        QTest::newRow("days") << qint64(86400000LL * 3 + 3600000) << QStringLiteral("3 d 1 h");
    }

    void formats()
    {
        QFETCH(qint64, ms);
        QFETCH(QString, text);
        QCOMPARE(RedisKeyModel::formatTtl(ms), text);
    }

    // Many rows stay cheap: appended in 500-key batches, looked up in O(1). (The benchmark
    // drives a million through the real scanner; this keeps the unit test quick under ASan.)
    void manyRows()
    {
        RedisKeyModel model;
        model.reset(6, "*");
        QElapsedTimer clock;
        clock.start();
        for (int first = 0; first < 200000; first += 500)
            model.appendBatch(6, batch(first, 500));
        QCOMPARE(model.rowCount(), 200000);
        QCOMPARE(model.rowOfKey("key:199999"), 199999);
        qInfo("200,000 rows appended in %lld ms", clock.elapsed());
    }
};

SB_TEST_GUILESS_MAIN(TestRedisKeyModel)
#include "tst_rediskeymodel.moc"
