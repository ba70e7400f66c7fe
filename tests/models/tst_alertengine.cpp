#include "models/AlertEngine.h"
#include "support/TestMain.h"

#include <QJsonArray>
#include <QTest>

#include <functional>

using namespace sb;
using namespace Qt::StringLiterals;
using models::Alert;
using models::AlertEngine;
using models::AlertObservations;
using models::AlertRules;
using models::AlertThresholds;
using models::AlertTransition;
using State = inspect::ReplicaInfo::State;
using inspect::BurrowStatus;

namespace {

const QDateTime kEngineT0 = QDateTime::fromMSecsSinceEpoch(1714550400000, Qt::UTC);

AlertObservations::Replica replica(const QString &id, State state, qint64 connections = 10)
{
    AlertObservations::Replica r;
    r.id = id;
    r.state = state;
    r.stateSince = kEngineT0;
    r.connections = connections;
    return r;
}

AlertObservations threeReady()
{
    AlertObservations o;
    for (const QString &id : { u"node-1"_s, u"node-2"_s, u"node-3"_s })
        o.replicas.append(replica(id, State::Ready));
    return o;
}

// Steps an engine one second at a time, as the console's 1 s timer does; no sleeping.
class Clock
{
public:
    explicit Clock(AlertEngine *engine)
        : m_engine(engine)
    { }
    // Evaluates `o` at each second for `seconds` seconds; returns every transition.
    QList<AlertTransition> run(const AlertObservations &o, int seconds = 1)
    {
        QList<AlertTransition> all;
        for (int i = 0; i < seconds; ++i) {
            all += m_engine->evaluate(o, now());
            ++m_second;
        }
        return all;
    }
    QDateTime now() const { return kEngineT0.addSecs(m_second); }
    int second() const { return m_second; }

private:
    AlertEngine *m_engine;
    int m_second = 0;
};

bool isActive(const AlertEngine &engine, QStringView rule, const QString &subject)
{
    for (const Alert &a : engine.active())
        if (a.rule == rule && a.subject == subject)
            return true;
    return false;
}

// A copy: active() returns its list by value, so a pointer into it would dangle.
std::optional<Alert> activeAlert(const QList<Alert> &alerts, QStringView rule, const QString &subject)
{
    for (const Alert &a : alerts)
        if (a.rule == rule && a.subject == subject)
            return a;
    return std::nullopt;
}

AlertObservations withImbalance(int heavy)
{
    // node-1 holds `heavy`, the other two 10 each: ratio = heavy / ((heavy + 20) / 3).
    AlertObservations o = threeReady();
    o.replicas[0].connections = heavy;
    return o;
}

} // namespace

class TestAlertEngine : public QObject
{
    Q_OBJECT

private slots:
    void replicaDownRaisesOnlyAfterTheHoldTime()
    {
        AlertEngine engine; // raise after 5 s, clear after 10 s
        Clock clock(&engine);
        clock.run(threeReady(), 3);
        AlertObservations down = threeReady();
        down.replicas[1].state = State::Down;
        down.replicas[1].reason = u"connection refused"_s;
        const QDateTime wentDown = clock.now();

        QVERIFY(clock.run(down, engine.thresholds().raiseAfterSeconds).isEmpty()); // held 0..4 s: not yet
        const QList<AlertTransition> raised = clock.run(down);
        QCOMPARE(raised.size(), 1);
        QCOMPARE(raised.first().kind, AlertTransition::Kind::Raised);
        const Alert &alert = raised.first().alert;
        QCOMPARE(alert.rule, AlertRules::ReplicaDown);
        QCOMPARE(alert.subject, u"node-2"_s);
        QCOMPARE(alert.severity, Alert::Severity::Critical);
        QCOMPARE(alert.since, wentDown);
        QCOMPARE(alert.detail, u"connection refused"_s);
        QVERIFY(alert.isActive());
        QCOMPARE(engine.active().size(), 1);
    }

    void replicaDownClearsAfterTheClearHold()
    {
        AlertEngine engine;
        Clock clock(&engine);
        AlertObservations down = threeReady();
        down.replicas[1].state = State::Down;
        clock.run(down, 10);
        QVERIFY(isActive(engine, AlertRules::ReplicaDown, u"node-2"_s));

        QVERIFY(clock.run(threeReady(), engine.thresholds().clearAfterSeconds)
                    .isEmpty()); // back 0..9 s: still active
        QVERIFY(isActive(engine, AlertRules::ReplicaDown, u"node-2"_s));
        const QList<AlertTransition> cleared = clock.run(threeReady());
        QCOMPARE(cleared.size(), 1);
        QCOMPARE(cleared.first().kind, AlertTransition::Kind::Cleared);
        QVERIFY(engine.active().isEmpty());
        QCOMPARE(engine.recent().size(), 1);
        QVERIFY(engine.recent().first().clearedAt.isValid());
    }

    // What a settled snapshot waits for (ConsoleSnapshotSettling): a raise under way.
    void pendingRaisesNameWhatIsHalfWayToRaising()
    {
        AlertEngine engine;
        Clock clock(&engine);
        clock.run(threeReady(), 2);
        QCOMPARE(engine.pendingRaises(), QStringList());
        AlertObservations down = threeReady();
        down.replicas[1].state = State::Down;
        clock.run(down);
        QCOMPARE(engine.pendingRaises(), QStringList { u"replica-down node-2 raising"_s });
        clock.run(down, engine.thresholds().raiseAfterSeconds);
        QVERIFY(isActive(engine, AlertRules::ReplicaDown, u"node-2"_s));
        QCOMPARE(engine.pendingRaises(), QStringList()); // raised, its condition still holds
        clock.run(threeReady()); // clearing: not a raise
        QCOMPARE(engine.pendingRaises(), QStringList());
    }

    // And a clear under way: raised, its condition ended, not yet for the clear hold time; a
    // condition that returns ends it. A counter's alert is not clearing while its window
    // still holds growth.
    void pendingClearsNameWhatIsHalfWayToClearing()
    {
        AlertEngine engine;
        Clock clock(&engine);
        AlertObservations down = threeReady();
        down.replicas[1].state = State::Down;
        clock.run(down, engine.thresholds().raiseAfterSeconds + 1);
        QVERIFY(isActive(engine, AlertRules::ReplicaDown, u"node-2"_s));
        QCOMPARE(engine.pendingClears(), QStringList());
        clock.run(threeReady());
        QCOMPARE(engine.pendingClears(), QStringList { u"replica-down node-2 clearing"_s });
        clock.run(down); // down again before the hold: no longer clearing, still active
        QCOMPARE(engine.pendingClears(), QStringList());
        QVERIFY(isActive(engine, AlertRules::ReplicaDown, u"node-2"_s));
        clock.run(threeReady(), engine.thresholds().clearAfterSeconds);
        QCOMPARE(engine.pendingClears(), QStringList { u"replica-down node-2 clearing"_s });
        clock.run(threeReady());
        QVERIFY(!isActive(engine, AlertRules::ReplicaDown, u"node-2"_s));
        QCOMPARE(engine.pendingClears(), QStringList());

        AlertObservations letters;
        letters.deadLetterTopics.append({ u"t.DLT"_s, 0 });
        clock.run(letters);
        letters.deadLetterTopics[0].records = 3;
        clock.run(letters, engine.thresholds().raiseAfterSeconds + 1);
        QVERIFY(isActive(engine, AlertRules::DeadLetters, u"t.DLT"_s));
        clock.run(
            letters, engine.thresholds().counterWindowSeconds - engine.thresholds().raiseAfterSeconds - 2);
        QCOMPARE(engine.pendingClears(), QStringList()); // the growth is still in the window
        clock.run(letters, 3);
        QCOMPARE(engine.pendingClears(), QStringList { u"dead-letters t.DLT clearing"_s });
    }

    void aReplicaFlappingFasterThanTheHoldNeverRaises()
    {
        AlertEngine engine;
        Clock clock(&engine);
        AlertObservations down = threeReady();
        down.replicas[0].state = State::Down;
        QList<AlertTransition> all;
        for (int i = 0; i < 20; ++i)
            all += clock.run(i % 4 < 2 ? down : threeReady()); // down 2 s, up 2 s
        QVERIFY(all.isEmpty());
    }

    void aReplicaGoneAfterDrainingIsNotDown()
    {
        AlertEngine engine;
        Clock clock(&engine);
        AlertObservations draining = threeReady();
        draining.replicas[2].state = State::Draining;
        clock.run(draining, 3);
        AlertObservations gone = threeReady();
        gone.replicas[2].state = State::Down;
        clock.run(gone, 20);
        QVERIFY(!isActive(engine, AlertRules::ReplicaDown, u"node-3"_s));
        // Back (restarted) and then killed: that one is down.
        clock.run(threeReady(), 2);
        clock.run(gone, 6);
        QVERIFY(isActive(engine, AlertRules::ReplicaDown, u"node-3"_s));
    }

    void aForgottenReplicaClears()
    {
        AlertEngine engine;
        Clock clock(&engine);
        AlertObservations down = threeReady();
        down.replicas[1].state = State::Down;
        clock.run(down, 6);
        QVERIFY(isActive(engine, AlertRules::ReplicaDown, u"node-2"_s));
        AlertObservations forgotten = threeReady();
        forgotten.replicas.removeAt(1);
        clock.run(forgotten, engine.thresholds().clearAfterSeconds + 1);
        QVERIFY(!isActive(engine, AlertRules::ReplicaDown, u"node-2"_s));
    }

    void unreadyRaisesAWarningWithItsReason()
    {
        AlertEngine engine;
        Clock clock(&engine);
        AlertObservations unready = threeReady();
        unready.replicas[0].state = State::Unready;
        unready.replicas[0].reason = u"Redis unreachable"_s;
        clock.run(unready, 5);
        QVERIFY(!isActive(engine, AlertRules::ReplicaUnready, u"node-1"_s));
        clock.run(unready);
        const std::optional<Alert> alert
            = activeAlert(engine.active(), AlertRules::ReplicaUnready, u"node-1"_s);
        QVERIFY(alert);
        QCOMPARE(alert->severity, Alert::Severity::Warning);
        QCOMPARE(alert->detail, u"Redis unreachable"_s);
        clock.run(threeReady(), 11);
        QVERIFY(!isActive(engine, AlertRules::ReplicaUnready, u"node-1"_s));
    }

    void drainingLongerThanTheGraceRaises()
    {
        AlertThresholds t;
        t.drainGraceSeconds = 30;
        AlertEngine engine(t);
        Clock clock(&engine);
        AlertObservations draining = threeReady();
        draining.replicas[0].state = State::Draining;
        draining.replicas[0].stateSince = clock.now();
        // Over the grace at 31 s, then held 5 s: raised at 36 s, not before.
        QVERIFY(clock.run(draining, 36).isEmpty());
        const QList<AlertTransition> raised = clock.run(draining);
        QCOMPARE(raised.size(), 1);
        QCOMPARE(raised.first().alert.rule, AlertRules::DrainOverdue);
        QVERIFY2(raised.first().alert.figure.contains(u"draining for 36 s"_s),
            qPrintable(raised.first().alert.figure));
    }

    void imbalanceRaisesAboveTheThresholdAndClearsBelowTheLowerOne()
    {
        AlertEngine engine; // raise > 1.5, clear <= 1.3
        Clock clock(&engine);
        const AlertObservations even = withImbalance(10); // 1.0
        const AlertObservations over = withImbalance(40); // 2.0
        const AlertObservations between = withImbalance(18); // 18 / 12.67 = 1.42
        clock.run(even, 2);
        clock.run(over, 5);
        QVERIFY(!isActive(engine, AlertRules::ConnectionImbalance, u"cluster"_s));
        clock.run(over);
        const std::optional<Alert> alert
            = activeAlert(engine.active(), AlertRules::ConnectionImbalance, u"cluster"_s);
        QVERIFY(alert);
        QVERIFY2(alert->figure.startsWith(u"imbalance 2.00"_s), qPrintable(alert->figure));
        // Between the thresholds: not a clear condition, whatever its length.
        clock.run(between, 60);
        QVERIFY(isActive(engine, AlertRules::ConnectionImbalance, u"cluster"_s));
        clock.run(even, 11);
        QVERIFY(!isActive(engine, AlertRules::ConnectionImbalance, u"cluster"_s));
    }

    void imbalanceHoveringAroundTheThresholdDoesNotFlap()
    {
        AlertEngine engine;
        Clock clock(&engine);
        const AlertObservations justOver = withImbalance(24); // 24 / 14.67 = 1.64
        const AlertObservations justUnder = withImbalance(18); // 1.42
        QList<AlertTransition> all;
        for (int i = 0; i < 60; ++i)
            all += clock.run(i % 2 ? justOver : justUnder);
        QVERIFY(all.isEmpty()); // never held above 1.5 for 5 s
        QCOMPARE(clock.run(justOver, 6).size(), 1);
        QVERIFY(isActive(engine, AlertRules::ConnectionImbalance, u"cluster"_s));
        for (int i = 0; i < 60; ++i)
            all += clock.run(i % 2 ? justOver : justUnder);
        QVERIFY(all.isEmpty()); // no clear (nor raise again) while it hovers
        QVERIFY(isActive(engine, AlertRules::ConnectionImbalance, u"cluster"_s));
    }

    void imbalanceNeedsEnoughConnections()
    {
        AlertEngine engine;
        Clock clock(&engine);
        AlertObservations few = threeReady();
        few.replicas[0].connections = 6; // 6 of 8 in all: ratio 2.25, but below 20 connections
        few.replicas[1].connections = 1;
        few.replicas[2].connections = 1;
        QVERIFY(clock.run(few, 30).isEmpty());
    }

    void consumerGroupStatusRaisesWithItsReasonAndEscalates()
    {
        AlertEngine engine;
        Clock clock(&engine);
        AlertObservations o = threeReady();
        o.groups.append(
            { u"switchboard-notifications"_s, BurrowStatus::Warn, u"lag grew in every window"_s, 120 });
        clock.run(o, 6);
        const std::optional<Alert> warn
            = activeAlert(engine.active(), AlertRules::ConsumerGroup, u"switchboard-notifications"_s);
        QVERIFY(warn);
        QCOMPARE(warn->severity, Alert::Severity::Warning);
        QCOMPARE(warn->figure, u"WARN, lag 120"_s);
        QCOMPARE(warn->detail, u"lag grew in every window"_s);

        o.groups[0].status = BurrowStatus::Stall;
        o.groups[0].reason = u"committed offset unchanged while lag is non-zero"_s;
        const QList<AlertTransition> escalated = clock.run(o);
        QCOMPARE(escalated.size(), 1);
        QCOMPARE(escalated.first().kind, AlertTransition::Kind::Escalated);
        QCOMPARE(escalated.first().alert.severity, Alert::Severity::Critical);
        QVERIFY(escalated.first().alert.figure.startsWith(u"STALL"_s));

        o.groups[0].status = BurrowStatus::Ok;
        clock.run(o, 11);
        QVERIFY(!isActive(engine, AlertRules::ConsumerGroup, u"switchboard-notifications"_s));
    }

    void consumerGroupStatuses_data()
    {
        QTest::addColumn<BurrowStatus>("status");
        QTest::addColumn<bool>("alerts");
        QTest::addColumn<Alert::Severity>("severity");
        QTest::newRow("OK") << BurrowStatus::Ok << false << Alert::Severity::Info;
        QTest::newRow("NOTFOUND") << BurrowStatus::NotFound << false << Alert::Severity::Info;
        QTest::newRow("RETIRED") << BurrowStatus::Retired << false << Alert::Severity::Info;
        QTest::newRow("WARN") << BurrowStatus::Warn << true << Alert::Severity::Warning;
        QTest::newRow("ERR") << BurrowStatus::Err << true << Alert::Severity::Critical;
        QTest::newRow("STOP") << BurrowStatus::Stop << true << Alert::Severity::Critical;
        QTest::newRow("STALL") << BurrowStatus::Stall << true << Alert::Severity::Critical;
        QTest::newRow("DOWN") << BurrowStatus::Down << true << Alert::Severity::Critical;
    }

    void consumerGroupStatuses()
    {
        QFETCH(BurrowStatus, status);
        QFETCH(bool, alerts);
        QFETCH(Alert::Severity, severity);
        AlertEngine engine;
        Clock clock(&engine);
        AlertObservations o;
        o.groups.append({ u"g"_s, status, u"why"_s, 5 });
        clock.run(o, 10);
        const std::optional<Alert> alert = activeAlert(engine.active(), AlertRules::ConsumerGroup, u"g"_s);
        QCOMPARE(alert.has_value(), alerts);
        if (alert)
            QCOMPARE(alert->severity, severity);
    }

    void deadLettersGrowingRaisesThenClearsOnceTheWindowIsQuiet()
    {
        AlertThresholds t;
        t.counterWindowSeconds = 20;
        AlertEngine engine(t);
        Clock clock(&engine);
        AlertObservations o;
        o.deadLetterTopics.append({ u"switchboard.MessageCreatedEvent.DLT"_s, 7 });
        clock.run(o, 30); // what was there before the console looked is not growth
        QVERIFY(engine.active().isEmpty());
        o.deadLetterTopics[0].records = 9;
        QVERIFY(clock.run(o, 5).isEmpty());
        const QList<AlertTransition> raised = clock.run(o);
        QCOMPARE(raised.size(), 1);
        QCOMPARE(raised.first().alert.rule, AlertRules::DeadLetters);
        QVERIFY2(raised.first().alert.figure.startsWith(u"+2 dead-lettered records in 20 s"_s),
            qPrintable(raised.first().alert.figure));
        // The growth leaves the window 20 s after it happened; clear 10 s after that.
        clock.run(o, 14 + 9);
        QVERIFY(isActive(engine, AlertRules::DeadLetters, u"switchboard.MessageCreatedEvent.DLT"_s));
        clock.run(o, 2);
        QVERIFY(!isActive(engine, AlertRules::DeadLetters, u"switchboard.MessageCreatedEvent.DLT"_s));
    }

    void counterRules_data()
    {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<QString>("subject");
        QTest::addColumn<std::function<void(AlertObservations *, qint64)>>("set");
        using Set = std::function<void(AlertObservations *, qint64)>;
        QTest::newRow("heart-beat timeouts")
            << AlertRules::HeartbeatTimeouts.toString() << u"node-2"_s
            << Set([](AlertObservations *o, qint64 n) { o->replicas[1].heartbeatTimeouts = n; });
        QTest::newRow("slow-consumer drops")
            << AlertRules::SlowConsumerDrops.toString() << u"node-3"_s
            << Set([](AlertObservations *o, qint64 n) { o->replicas[2].slowConsumerDrops = n; });
        QTest::newRow("tap drops by a replica")
            << AlertRules::TapDrops.toString() << u"node-1"_s << Set([](AlertObservations *o, qint64 n) {
                   o->tapSources = { { u"node-1"_s, n } };
               });
        QTest::newRow("tap drops by the console")
            << AlertRules::TapDrops.toString() << u"console"_s
            << Set([](AlertObservations *o, qint64 n) { o->tapDroppedByConsole = n; });
    }

    void counterRules()
    {
        QFETCH(QString, rule);
        QFETCH(QString, subject);
        QFETCH(std::function<void(AlertObservations *, qint64)>, set);
        AlertThresholds t;
        t.counterWindowSeconds = 10;
        AlertEngine engine(t);
        Clock clock(&engine);
        AlertObservations o = threeReady();
        set(&o, 3);
        clock.run(o, 12);
        QVERIFY(!isActive(engine, rule, subject));
        set(&o, 4); // rising
        clock.run(o, 5);
        QVERIFY(!isActive(engine, rule, subject)); // held 0..4 s
        clock.run(o);
        QVERIFY(isActive(engine, rule, subject));
        clock.run(o, 4 + 9); // the rise is in the window until 10 s after it; then 10 s clear hold
        QVERIFY(isActive(engine, rule, subject));
        clock.run(o, 2);
        QVERIFY(!isActive(engine, rule, subject));
        // A restarted replica's counter starts again at 0: what it counts since is new.
        set(&o, 0);
        clock.run(o, 3);
        set(&o, 2);
        clock.run(o, 6);
        QVERIFY(isActive(engine, rule, subject));
    }

    void aCounterBelowItsThresholdIsInTheBand()
    {
        AlertThresholds t;
        t.counterWindowSeconds = 30;
        t.heartbeatTimeoutsRaise = 3;
        AlertEngine engine(t);
        Clock clock(&engine);
        AlertObservations o = threeReady();
        o.replicas[0].heartbeatTimeouts = 0;
        clock.run(o, 2);
        o.replicas[0].heartbeatTimeouts = 2; // +2 < 3
        clock.run(o, 8);
        QVERIFY(!isActive(engine, AlertRules::HeartbeatTimeouts, u"node-1"_s));
        o.replicas[0].heartbeatTimeouts = 3;
        clock.run(o, 6);
        QVERIFY(isActive(engine, AlertRules::HeartbeatTimeouts, u"node-1"_s));
    }

    void redisUnreachableRaisesAndClears()
    {
        AlertEngine engine;
        Clock clock(&engine);
        AlertObservations o;
        o.redisReachable = false;
        o.redisDetail = u"connection refused"_s;
        clock.run(o, 5);
        QVERIFY(!isActive(engine, AlertRules::RedisUnreachable, u"redis"_s));
        clock.run(o);
        const std::optional<Alert> alert
            = activeAlert(engine.active(), AlertRules::RedisUnreachable, u"redis"_s);
        QVERIFY(alert);
        QCOMPARE(alert->severity, Alert::Severity::Critical);
        QCOMPARE(alert->detail, u"connection refused"_s);
        o.redisReachable = true;
        clock.run(o, 10);
        QVERIFY(isActive(engine, AlertRules::RedisUnreachable, u"redis"_s));
        clock.run(o);
        QVERIFY(!isActive(engine, AlertRules::RedisUnreachable, u"redis"_s));
    }

    void redisLatencyHasHysteresis()
    {
        AlertEngine engine; // raise > 250 ms, clear <= 150 ms
        Clock clock(&engine);
        AlertObservations o;
        o.redisLatencyMs = 300;
        clock.run(o, 6);
        QVERIFY(isActive(engine, AlertRules::RedisLatency, u"redis"_s));
        o.redisLatencyMs = 200; // between: stays
        clock.run(o, 30);
        QVERIFY(isActive(engine, AlertRules::RedisLatency, u"redis"_s));
        o.redisLatencyMs = 100;
        clock.run(o, 11);
        QVERIFY(!isActive(engine, AlertRules::RedisLatency, u"redis"_s));
    }

    void activeListsTheMostSevereFirstAndRecentIsBounded()
    {
        AlertEngine engine;
        Clock clock(&engine);
        AlertObservations o = threeReady();
        o.replicas[0].state = State::Unready;
        clock.run(o, 2);
        o.replicas[1].state = State::Down;
        clock.run(o, 6);
        const QList<Alert> active = engine.active();
        QCOMPARE(active.size(), 2);
        QCOMPARE(active.at(0).rule, AlertRules::ReplicaDown); // critical, though newer
        QCOMPARE(active.at(1).rule, AlertRules::ReplicaUnready);

        AlertThresholds quick;
        quick.raiseAfterSeconds = 0;
        quick.clearAfterSeconds = 0;
        engine.setThresholds(quick);
        AlertObservations down = threeReady();
        down.replicas[2].state = State::Down;
        for (int i = 0; i < AlertEngine::kRecentLimit + 5; ++i) {
            clock.run(down);
            clock.run(threeReady());
        }
        QCOMPARE(engine.recent().size(), AlertEngine::kRecentLimit);
        QVERIFY(engine.recent().at(0).clearedAt > engine.recent().at(1).clearedAt);
    }

    void jsonCarriesActiveAndRecent()
    {
        AlertEngine engine;
        Clock clock(&engine);
        AlertObservations down = threeReady();
        down.replicas[1].state = State::Down;
        clock.run(down, 6);
        const QJsonObject json = engine.toJson();
        const QJsonArray active = json.value(u"active"_s).toArray();
        QCOMPARE(active.size(), 1);
        const QJsonObject alert = active.at(0).toObject();
        QCOMPARE(alert.value(u"rule"_s).toString(), u"replica-down"_s);
        QCOMPARE(alert.value(u"subject"_s).toString(), u"node-2"_s);
        QCOMPARE(alert.value(u"severity"_s).toString(), u"critical"_s);
        QCOMPARE(alert.value(u"since"_s).toString(), kEngineT0.toString(Qt::ISODateWithMs));
        QVERIFY(!alert.value(u"figure"_s).toString().isEmpty());
        QVERIFY(json.value(u"recent"_s).toArray().isEmpty());
    }

    void thresholdsTakeDefaultsForWhatIsAbsent()
    {
        AlertThresholds t;
        t.imbalanceRaise = 2.5;
        t.raiseAfterSeconds = 9;
        QCOMPARE(AlertThresholds::fromJson(t.toJson()), t);
        const AlertThresholds partial = AlertThresholds::fromJson(
            QJsonObject { { u"drainGraceSeconds"_s, 45 }, { u"imbalanceRaise"_s, u"high"_s } });
        QCOMPARE(partial.drainGraceSeconds, 45);
        QCOMPARE(partial.imbalanceRaise, AlertThresholds().imbalanceRaise);
        QCOMPARE(partial.clearAfterSeconds, AlertThresholds().clearAfterSeconds);
        QVERIFY(AlertThresholds().validationError().isEmpty());
        AlertThresholds bad;
        bad.imbalanceClear = 2.0; // above raise: no hysteresis band
        QVERIFY(!bad.validationError().isEmpty());
    }
};

SB_TEST_GUILESS_MAIN(TestAlertEngine)
#include "tst_alertengine.moc"
