#include "inspect/RedisKeyRecord.h"
#include "models/CountHistory.h"
#include "models/SessionModel.h"
#include "models/SessionRowsBuilder.h"
#include "support/TestMain.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace sb;

namespace {
inspect::RedisSessionSnapshot snapshot(int sessions, int tokens, qint64 when)
{
    inspect::RedisSessionSnapshot s;
    for (int i = 0; i < sessions; ++i)
        s.sessions.append({ "sb:session:" + QByteArray::number(i), QStringLiteral("user-%1").arg(i % 3),
            QStringLiteral("node-%1").arg(i % 2), QStringLiteral("stomp"), QStringLiteral("1700000000000"),
            QStringLiteral("127.0.0.1:1"), 30000 });
    for (int i = 0; i < tokens; ++i)
        s.tokens.append({ "sb:token:" + QByteArray::number(i), QStringLiteral("user-0"), -1 });
    s.observedAtMs = inspect::steadyNowMs();
    s.wallClockMs = when;
    return s;
}
} // namespace

// SessionModel and its aggregates, without a server.
class TestSessionModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void snapshotsReplaceTheRowsAndCount()
    {
        models::SessionModel model(nullptr, 4);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester replicas(
            model.perReplicaModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester users(
            model.perUserModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.applySnapshot(snapshot(5, 2, 1000));
        QCOMPARE(model.rowCount(), 7);
        QCOMPARE(model.sessionCount(), 5);
        QCOMPARE(model.tokenCount(), 2);
        QCOMPARE(model.sessionsPerReplica(),
            (QMap<QString, int> { { QStringLiteral("node-0"), 3 }, { QStringLiteral("node-1"), 2 } }));
        QCOMPARE(model.sessionsPerUser().value(QStringLiteral("user-0")), 2);
        QCOMPARE(model.index(0, models::SessionModel::IdColumn).data().toString(), QStringLiteral("0"));
        QCOMPARE(
            model.index(0, models::SessionModel::KindColumn).data().toString(), QStringLiteral("session"));
        QCOMPARE(model.index(6, models::SessionModel::KindColumn).data().toString(), QStringLiteral("token"));
        QCOMPARE(model.index(0, models::SessionModel::TtlColumn).data().toString(), QStringLiteral("30 s"));
        QCOMPARE(model.perReplicaModel()->index(0, 0).data().toString(),
            QStringLiteral("node-0")); // largest first
        QCOMPARE(model.perReplicaModel()->index(0, 1).data().toInt(), 3);

        model.applySnapshot(snapshot(1, 0, 2000));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.sessionsPerReplica().size(), 1);
        QCOMPARE(model.sessionHistory().points(), (QList<QPointF> { { 1000, 5 }, { 2000, 1 } }));
        QCOMPARE(model.tokenHistory().points(), (QList<QPointF> { { 1000, 2 }, { 2000, 0 } }));
    }

    // The console's path: rows built on the reader's thread, swapped in on this one, and
    // the replaced rows handed back to that thread to be freed there.
    void rowsBuiltOnAWorkerAreShownAndTheOldOnesGoBack()
    {
        QThread worker;
        worker.start();
        auto *builder = new models::SessionRowsBuilder;
        builder->moveToThread(&worker);
        connect(&worker, &QThread::finished, builder, &QObject::deleteLater);
        models::SessionModel model(nullptr, 4);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(builder, &models::SessionRowsBuilder::built, &model, &models::SessionModel::applyRows);
        connect(&model, &models::SessionModel::retired, builder, &models::SessionRowsBuilder::retire);
        QSignalSpy applied(&model, &models::SessionModel::snapshotApplied);
        QSignalSpy retired(&model, &models::SessionModel::retired);

        QThread *builtOn = nullptr;
        connect(
            builder, &models::SessionRowsBuilder::built, builder,
            [&builtOn] { builtOn = QThread::currentThread(); }, Qt::DirectConnection);
        const auto first = snapshot(4, 1, 1000);
        QMetaObject::invokeMethod(builder, [builder, first] { builder->build(first); });
        QTRY_COMPARE(applied.size(), 1);
        QCOMPARE(builtOn, &worker);
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.sessionCount(), 4);
        QCOMPARE(model.sessionsPerUser().value(QStringLiteral("user-1")), 1);
        QCOMPARE(model.index(4, models::SessionModel::IdColumn).data().toString(), QStringLiteral("0"));
        QCOMPARE(retired.size(), 1);
        QVERIFY(retired.at(0).at(0).value<models::SessionRows>().rows.isEmpty()); // nothing shown before

        const auto second = snapshot(2, 0, 2000);
        QMetaObject::invokeMethod(builder, [builder, second] { builder->build(second); });
        QTRY_COMPARE(applied.size(), 2);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(retired.size(), 2);
        QCOMPARE(retired.at(1).at(0).value<models::SessionRows>().rows.size(), 5); // the first pass's rows
        worker.quit();
        worker.wait();
    }

    void aFailedPassKeepsTheLastPicture()
    {
        models::SessionModel model(nullptr, 4);
        model.applySnapshot(snapshot(3, 0, 1000));
        inspect::RedisSessionSnapshot failed;
        failed.error = QStringLiteral("connection lost");
        QCOMPARE(model.readAtMs(), 1000);
        model.applySnapshot(failed);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.lastError(), QStringLiteral("connection lost"));
        // The picture kept is as old as the pass that made it (state.json: sessionsAsOf).
        QCOMPARE(model.readAtMs(), 1000);
        model.applySnapshot(snapshot(2, 1, 6000));
        QCOMPARE(model.readAtMs(), 6000);
    }

    void historyIsAFixedRing()
    {
        models::CountHistory history(3);
        for (int i = 1; i <= 5; ++i)
            history.append(i * 1000, i);
        QCOMPARE(history.size(), 3);
        QCOMPARE(history.points(), (QList<QPointF> { { 3000, 3 }, { 4000, 4 }, { 5000, 5 } }));
        QCOMPARE(history.last(), QPointF(5000, 5));
    }

    void sinceIsReadable()
    {
        QVERIFY(models::SessionModel::formatSince(QStringLiteral("1700000000000"))
                    .startsWith(QStringLiteral("2023-11-1")));
        QCOMPARE(models::SessionModel::formatSince(QStringLiteral("1700000000")),
            models::SessionModel::formatSince(QStringLiteral("1700000000000")));
        QCOMPARE(models::SessionModel::formatSince(QStringLiteral("soon")), QStringLiteral("soon"));
    }
};

SB_TEST_GUILESS_MAIN(TestSessionModel)
#include "tst_sessionmodel.moc"
