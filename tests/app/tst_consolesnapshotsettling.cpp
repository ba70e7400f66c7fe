// `--snapshot-settled` (ConsoleSnapshotSettling): what counts as still moving. Each rule
// on its own: a replica neither ready nor down, a simulated user neither connected nor
// away, a script step not run, a fault effect still watched, the cluster not attached,
// Kafka not read, an announced consumer group with nothing committed.
#include "app/ConsoleSnapshotSettling.h"
#include "support/TestMain.h"

#include <QTest>

using namespace sb;
using State = inspect::ReplicaInfo::State;

namespace {
app::ConsoleSnapshotSettling settledDemo()
{
    app::ConsoleSnapshotSettling settling;
    settling.attached = true;
    settling.replicas = { { QStringLiteral("node-1"), State::Ready },
        { QStringLiteral("node-2"), State::Down }, { QStringLiteral("node-3"), State::Ready } };
    app::DemoPopulationStats population;
    population.users = 60;
    population.connected = 57;
    population.loggedOut = 3;
    settling.population = population;
    settling.scriptSteps = 4;
    settling.scriptStepsRun = 4;
    settling.kafkaReachable = true;
    return settling;
}
} // namespace

class TestConsoleSnapshotSettling : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readyOrDownReplicasConnectedOrAwayUsersAndAFinishedScriptAreSettled()
    {
        QCOMPARE(settledDemo().unsettled(), QStringList());
        app::ConsoleSnapshotSettling profile; // attached to a profile: no population, no script
        profile.attached = true;
        profile.replicas = { { QStringLiteral("a"), State::Ready } };
        QCOMPARE(profile.unsettled(), QStringList());
    }

    // After a fault's effect watch ended: the areas read again, the rules evaluated after
    // that, no alert half-way to raising (a DLT's growth seen by the poison's own watch
    // reaches the Kafka area, then dead-letters, seconds later).
    void aFaultsAftermathWaitsForTheAreasTheRulesAndRaisingAlerts()
    {
        app::ConsoleSnapshotSettling settling = settledDemo();
        const QDateTime ended = QDateTime::fromString(QStringLiteral("2026-12-06T12:00:00Z"), Qt::ISODate);
        settling.lastEffectEndedAt = ended;
        settling.replicasReadAt = ended.addMSecs(-500);
        settling.kafkaReadAt = ended.addMSecs(-500);
        settling.alertsEvaluatedAt = ended.addMSecs(-400);
        QCOMPARE(settling.unsettled(),
            (QStringList { QStringLiteral("Replicas not read since the last fault's effect"),
                QStringLiteral("Kafka not read since the last fault's effect") }));
        settling.replicasReadAt = ended.addMSecs(300);
        settling.kafkaReadAt = ended.addMSecs(900);
        settling.aftermathReadAt = ended.addMSecs(900);
        QCOMPARE(settling.unsettled(),
            QStringList {
                QStringLiteral("alerts not evaluated since the areas read the last fault's effect") });
        settling.alertsEvaluatedAt = ended.addMSecs(1000);
        settling.alertsRaising = QStringList { QStringLiteral("dead-letters t.DLT raising") };
        QCOMPARE(settling.unsettled(), QStringList { QStringLiteral("alert dead-letters t.DLT raising") });
        settling.alertsRaising.clear();
        QCOMPARE(settling.unsettled(), QStringList());
    }

    // An alert clearing (its condition ended, the clear hold not yet met) is waited for once
    // all else has settled, for clearsWaitLimitMs at most: a snapshot then shows it cleared,
    // not active a moment before it clears; one flapping at its threshold cannot hold it.
    void aClearUnderWayIsWaitedForWithABound()
    {
        app::ConsoleSnapshotSettling settling = settledDemo();
        settling.alertsEvaluatedAt
            = QDateTime::fromString(QStringLiteral("2026-12-06T12:00:00Z"), Qt::ISODate);
        settling.alertsClearing = QStringList { QStringLiteral("consumer-group g clearing") };
        settling.clearsWaitLimitMs = 15000;
        QCOMPARE(settling.unsettled(), QStringList { QStringLiteral("alert consumer-group g clearing") });
        QCOMPARE(settling.unsettledButForClears(), QStringList());
        settling.clearsWaitedMs = 14999;
        QCOMPARE(settling.unsettled(), QStringList { QStringLiteral("alert consumer-group g clearing") });
        settling.clearsWaitedMs = 15000;
        QCOMPARE(settling.unsettled(), QStringList());
        settling.clearsWaitedMs = 0;
        settling.alertsClearing.clear();
        QCOMPARE(settling.unsettled(), QStringList());
    }

    void notAttachedIsOnlyThat()
    {
        app::ConsoleSnapshotSettling settling = settledDemo();
        settling.attached = false;
        QCOMPARE(settling.unsettled(), QStringList { QStringLiteral("the cluster is not attached yet") });
    }

    void aReplicaInTransitionIsNamedWithItsState_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<QString>("expected");
        QTest::newRow("up") << int(State::Up) << QStringLiteral("node-3 up");
        QTest::newRow("unready") << int(State::Unready) << QStringLiteral("node-3 unready");
        QTest::newRow("draining") << int(State::Draining) << QStringLiteral("node-3 draining");
    }
    void aReplicaInTransitionIsNamedWithItsState()
    {
        QFETCH(int, state);
        QFETCH(QString, expected);
        app::ConsoleSnapshotSettling settling = settledDemo();
        settling.replicas[2].second = State(state);
        QCOMPARE(settling.unsettled(), QStringList { expected });
    }

    void aReplicaShownAgainstItsProcessIsNotSettled()
    {
        app::ConsoleSnapshotSettling settling = settledDemo();
        settling.runningReplicas = QSet<QString> { QStringLiteral("node-1"), QStringLiteral("node-3") };
        QCOMPARE(settling.unsettled(), QStringList()); // node-2 down and gone: true
        settling.runningReplicas->insert(QStringLiteral("node-2")); // restarted, still shown down
        QCOMPARE(settling.unsettled(), QStringList { QStringLiteral("node-2 shown down, its process runs") });
        settling.runningReplicas
            = QSet<QString> { QStringLiteral("node-1"), QStringLiteral("node-2") }; // node-3 killed
        QCOMPARE(settling.unsettled(),
            (QStringList { QStringLiteral("node-2 shown down, its process runs"),
                QStringLiteral("node-3 shown ready, its process is gone") }));
    }

    // Redis down: the replicas cannot be ready again before it returns; one that has stayed
    // alive-but-unready through three polls is as settled as it gets. Not otherwise.
    void anUnreadyReplicaHeldWhileDiscoveryIsDegradedIsSettled_data()
    {
        QTest::addColumn<bool>("degraded");
        QTest::addColumn<qint64>("heldMs");
        QTest::addColumn<QStringList>("expected");
        const QStringList moving { QStringLiteral("node-3 unready") };
        QTest::newRow("held in an outage") << true << qint64(3000) << QStringList();
        QTest::newRow("just turned unready in an outage") << true << qint64(2999) << moving;
        QTest::newRow("held, registry readable") << false << qint64(60000) << moving;
    }
    void anUnreadyReplicaHeldWhileDiscoveryIsDegradedIsSettled()
    {
        QFETCH(bool, degraded);
        QFETCH(qint64, heldMs);
        QFETCH(QStringList, expected);
        app::ConsoleSnapshotSettling settling = settledDemo();
        settling.replicas[2].second = State::Unready;
        settling.discoveryDegraded = degraded;
        settling.unreadyHeldMs.insert(QStringLiteral("node-3"), heldMs);
        QCOMPARE(settling.unsettled(), expected);
        settling.replicas[2].second = State::Draining; // only "not ready" is waited out
        QCOMPARE(settling.unsettled(), QStringList { QStringLiteral("node-3 draining") });
    }

    void noReplicaSeenIsNotSettled()
    {
        app::ConsoleSnapshotSettling settling = settledDemo();
        settling.replicas.clear();
        QCOMPARE(settling.unsettled(), QStringList { QStringLiteral("no replica seen yet") });
    }

    void usersNeitherConnectedNorAwayAreCounted()
    {
        app::ConsoleSnapshotSettling settling = settledDemo();
        settling.population->connected = 50;
        QCOMPARE(settling.unsettled(), QStringList { QStringLiteral("7 of 60 simulated users connecting") });
        settling.population = app::DemoPopulationStats {};
        settling.population->users = 60; // the population's thread has not counted yet
        QCOMPARE(settling.unsettled(), QStringList { QStringLiteral("60 of 60 simulated users connecting") });
    }

    void scriptStepsToRunAndEffectsWatchedAreCounted()
    {
        app::ConsoleSnapshotSettling settling = settledDemo();
        settling.scriptStepsRun = 1;
        settling.effectsWatching = 2;
        QCOMPARE(settling.unsettled(),
            (QStringList { QStringLiteral("3 of 4 script steps still to run"),
                QStringLiteral("2 fault effects still watched") }));
    }

    void kafkaNotReadAndAnnouncedGroupsWithoutOffsetsAreNamed()
    {
        app::ConsoleSnapshotSettling settling = settledDemo();
        settling.kafkaReachable = false;
        settling.groupsWithoutOffsets = { QStringLiteral("switchboard-notifications") };
        QCOMPARE(settling.unsettled(),
            (QStringList { QStringLiteral("Kafka not read yet"),
                QStringLiteral("group switchboard-notifications has committed no offsets yet") }));
        settling.kafkaReachable.reset(); // a profile without Kafka
        settling.groupsWithoutOffsets.clear();
        QCOMPARE(settling.unsettled(), QStringList());
    }
};

SB_TEST_APPLESS_MAIN(TestConsoleSnapshotSettling)
#include "tst_consolesnapshotsettling.moc"
