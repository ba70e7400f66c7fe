// The fault event log: rows as actions come, effects appended with their time, the watch's
// end recorded once, bounded (the oldest dropped), the JSON that state.json and GET /events carry.
#include "app/FaultEventLog.h"
#include "support/TestMain.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using sb::app::FaultEventLog;

class TestFaultEventLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void recordsActionsAndWhatTheySaw()
    {
        FaultEventLog log;
        QAbstractItemModelTester tester(&log, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy finished(&log, &FaultEventLog::finished);
        const int kill
            = log.add(QStringLiteral("kill"), { { QStringLiteral("replica"), QStringLiteral("node-2") } },
                true, QStringLiteral("SIGKILL sent"));
        const int refused
            = log.add(QStringLiteral("start"), { { QStringLiteral("replica"), QStringLiteral("node-9") } },
                false, QStringLiteral("no such replica 'node-9'"));
        QCOMPARE(log.rowCount(), 2);
        QVERIFY(kill != refused);
        log.observe(kill, QStringLiteral("/healthz/live refused"));
        log.finish(kill, FaultEventLog::EffectState::Observed, QStringLiteral("ready again"));
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.at(0).at(0).toInt(), kill);

        const QJsonArray json = log.toJson();
        QCOMPARE(json.size(), 2);
        const QJsonObject first = json.at(0).toObject();
        QCOMPARE(first.value(QStringLiteral("action")).toString(), QStringLiteral("kill"));
        QCOMPARE(first.value(QStringLiteral("effectState")).toString(), QStringLiteral("observed"));
        const QJsonArray effect = first.value(QStringLiteral("effect")).toArray();
        QCOMPARE(effect.size(), 2);
        QVERIFY2(effect.at(0).toString().startsWith(u'+')
                && effect.at(0).toString().endsWith(QStringLiteral("s: /healthz/live refused")),
            qPrintable(effect.at(0).toString()));
        const QJsonObject second = json.at(1).toObject();
        QCOMPARE(second.value(QStringLiteral("accepted")).toBool(), false);
        QCOMPARE(second.value(QStringLiteral("effectState")).toString(), QStringLiteral("none"));
        QVERIFY(log.data(log.index(1, FaultEventLog::Outcome))
                    .toString()
                    .startsWith(QStringLiteral("refused: ")));
        QVERIFY(
            log.data(log.index(0, FaultEventLog::Effect)).toString().contains(QStringLiteral("ready again")));
        QCOMPARE(
            log.data(log.index(0, FaultEventLog::Arguments)).toString(), QStringLiteral("replica=node-2"));
    }

    void isBoundedDroppingTheOldest()
    {
        FaultEventLog log;
        QAbstractItemModelTester tester(&log, QAbstractItemModelTester::FailureReportingMode::QtTest);
        int first = 0;
        for (int i = 0; i < FaultEventLog::kMaxEvents + 3; ++i) {
            const int id = log.add(QStringLiteral("poison"), {}, true, QString::number(i));
            if (i == 0)
                first = id;
        }
        QCOMPARE(log.rowCount(), FaultEventLog::kMaxEvents);
        QVERIFY(!log.eventWithId(first));
        QCOMPARE(log.events().first().outcome, QStringLiteral("3"));
        // An effect for a dropped event goes nowhere.
        log.finish(first, FaultEventLog::EffectState::Observed, QStringLiteral("late"));
        QCOMPARE(log.rowCount(), FaultEventLog::kMaxEvents);
    }

    // A watch can end several ways (seen, its deadline, its replica gone); the first ending
    // stands, and a later one adds no effect line and no second finished().
    void anEventEndsOnce()
    {
        FaultEventLog log;
        QSignalSpy finished(&log, &FaultEventLog::finished);
        const int id = log.add(QStringLiteral("slow-consumer"), {}, true, QStringLiteral("a client"));
        log.finish(id, FaultEventLog::EffectState::Observed, QStringLiteral("dropped"));
        log.finish(id, FaultEventLog::EffectState::NotObserved, QStringLiteral("node-1 exited"));
        QCOMPARE(finished.size(), 1);
        QCOMPARE(log.eventWithId(id)->effectState, FaultEventLog::EffectState::Observed);
        QCOMPARE(log.eventWithId(id)->effect.size(), 1);
        // A refused action has nothing to end.
        const int refused = log.add(QStringLiteral("kill"), {}, false, QStringLiteral("no such replica"));
        log.finish(refused, FaultEventLog::EffectState::Observed, QStringLiteral("late"));
        QCOMPARE(log.eventWithId(refused)->effectState, FaultEventLog::EffectState::None);
        QCOMPARE(finished.size(), 1);
    }

    // The console attached to a devcluster shows the devcluster's log: read back from its
    // JSON (GET /events), the mirror is the same log; as the other log moves on (effects
    // seen, rows added, the oldest dropped at the bound) the mirror follows row by row.
    void mirrorsAnotherLog()
    {
        auto read = [](const QJsonArray &json) {
            QList<FaultEventLog::Event> events;
            for (const QJsonValue &value : json)
                if (auto event = FaultEventLog::eventFromJson(value.toObject()))
                    events.append(*event);
            return events;
        };
        FaultEventLog devcluster;
        FaultEventLog console;
        QAbstractItemModelTester tester(&console, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy finished(&console, &FaultEventLog::finished);
        const int kill = devcluster.add(QStringLiteral("kill"),
            { { QStringLiteral("replica"), QStringLiteral("node-2") } }, true,
            QStringLiteral("SIGKILL sent"));
        devcluster.observe(kill, QStringLiteral("node-2 killed by signal 9"));
        devcluster.add(QStringLiteral("start"), {}, false, QStringLiteral("no such replica"));
        console.mirror(read(devcluster.toJson()));
        QCOMPARE(console.toJson(), devcluster.toJson());
        QVERIFY(finished.isEmpty());

        devcluster.finish(kill, FaultEventLog::EffectState::Observed, QStringLiteral("down, as asked"));
        QSignalSpy inserted(&console, &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(&console, &QAbstractItemModel::modelReset);
        for (int i = 0; i < FaultEventLog::kMaxEvents; ++i) // the first two rows dropped
            devcluster.add(QStringLiteral("poison"), {}, true, QString::number(i));
        console.mirror(read(devcluster.toJson()));
        QCOMPARE(console.toJson(), devcluster.toJson());
        QCOMPARE(console.rowCount(), FaultEventLog::kMaxEvents);
        QCOMPARE(reset.size(), 0); // followed, not rebuilt
        QCOMPARE(inserted.size(), 1);

        QVERIFY(!FaultEventLog::eventFromJson({ { QStringLiteral("id"), 1 } })); // no time, no action
        FaultEventLog other; // another devcluster: its rows replace these
        other.add(QStringLiteral("drain"), {}, true, QStringLiteral("SIGTERM sent"));
        console.mirror(read(other.toJson()));
        QCOMPARE(console.toJson(), other.toJson());
    }
};

SB_TEST_GUILESS_MAIN(TestFaultEventLog)
#include "tst_faulteventlog.moc"
