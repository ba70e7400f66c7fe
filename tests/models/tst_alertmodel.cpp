#include "models/AlertEngine.h"
#include "models/AlertModel.h"
#include "models/AlertObservationsBuilder.h"
#include "models/KafkaGroupModel.h"
#include "models/KafkaTopicModel.h"
#include "models/ReplicaModel.h"
#include "support/TestMain.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace sb;
using namespace Qt::StringLiterals;
using inspect::BurrowStatus;
using inspect::ReplicaInfo;
using models::Alert;
using models::AlertModel;
using models::AlertObservations;
using models::AlertObservationsBuilder;
using models::AlertTransition;

namespace {

const QDateTime kAlertModelT0 = QDateTime::fromMSecsSinceEpoch(1714550400000, Qt::UTC);

ReplicaInfo replicaInfo(const QString &id, ReplicaInfo::State state)
{
    ReplicaInfo r;
    r.id = id;
    r.state = state;
    r.stateSince = kAlertModelT0;
    r.wsConnections = 7;
    r.sseConnections = 3;
    r.heartbeatTimeouts = 2;
    r.slowConsumerDrops = 5;
    return r;
}

Alert alert(const QString &rule, const QString &subject, Alert::Severity severity, int raisedSecond)
{
    Alert a;
    a.rule = rule;
    a.subject = subject;
    a.severity = severity;
    a.figure = u"figure"_s;
    a.since = kAlertModelT0;
    a.raisedAt = kAlertModelT0.addSecs(raisedSecond);
    return a;
}

} // namespace

// What the console reads into the alert rules, from the areas' own models, and the
// Alerts panel's table.
class TestAlertModel : public QObject
{
    Q_OBJECT

private slots:
    void readsReplicasFromTheReplicaModel()
    {
        models::ReplicaModel replicas;
        inspect::ReplicaSnapshot snapshot;
        snapshot.at = kAlertModelT0;
        ReplicaInfo down = replicaInfo(u"node-2"_s, ReplicaInfo::State::Down);
        down.detail = u"connection refused"_s;
        ReplicaInfo unready = replicaInfo(u"node-3"_s, ReplicaInfo::State::Unready);
        unready.stateReason = u"Redis unreachable"_s;
        unready.slowConsumerDrops = std::nullopt; // no source said
        snapshot.replicas = { replicaInfo(u"node-1"_s, ReplicaInfo::State::Ready), down, unready };
        replicas.apply(snapshot);

        AlertObservations o;
        AlertObservationsBuilder::addReplicas(&o, replicas);
        QCOMPARE(o.replicas.size(), 3);
        QCOMPARE(o.replicas.at(0).id, u"node-1"_s);
        QCOMPARE(o.replicas.at(0).connections, 10);
        QCOMPARE(o.replicas.at(0).heartbeatTimeouts, 2);
        QCOMPARE(o.replicas.at(0).slowConsumerDrops, 5);
        QCOMPARE(o.replicas.at(2).slowConsumerDrops, std::nullopt);
        QCOMPARE(o.replicas.at(1).state, ReplicaInfo::State::Down);
        QCOMPARE(o.replicas.at(1).reason, u"connection refused"_s);
        QCOMPARE(o.replicas.at(2).reason, u"Redis unreachable"_s);
        QCOMPARE(o.replicas.at(1).stateSince, kAlertModelT0);
    }

    void readsTheWorstPartitionStatusAndDeadLetterTopics()
    {
        models::KafkaGroupModel groups;
        inspect::KafkaGroupInfo g;
        g.id = u"switchboard-notifications"_s;
        g.verdict = { BurrowStatus::Err, u"a partition is in error"_s };
        g.totalLag = 42;
        g.partitions = { { u"t"_s, 0, 1, 1, 0, { BurrowStatus::Ok, u"fine"_s } },
            { u"t"_s, 1, 5, 47, 42, { BurrowStatus::Stall, u"offsets not moving"_s } } };
        inspect::KafkaGroupInfo retired;
        retired.id = u"switchboard-broadcast-node-9"_s;
        retired.verdict = { BurrowStatus::Retired, u"its replica drained"_s };
        retired.partitions = { { u"b"_s, 0, 1, 100, 99, { BurrowStatus::Stop, u"nobody reads"_s } } };
        groups.apply({ g, retired });
        models::KafkaTopicModel topics;
        inspect::KafkaTopicInfo dlt { u"switchboard.MessageCreatedEvent.DLT"_s, 1, 3, std::nullopt, true };
        inspect::KafkaTopicInfo plain { u"switchboard.MessageCreatedEvent"_s, 3, 900, std::nullopt, false };
        topics.apply({ plain, dlt });

        AlertObservations o;
        AlertObservationsBuilder::addKafka(&o, groups, topics);
        QCOMPARE(o.groups.size(), 2);
        QCOMPARE(o.groups.at(0).status, BurrowStatus::Stall); // ERR because of partition 1: say which
        QCOMPARE(o.groups.at(0).reason, u"t[1]: offsets not moving"_s);
        QCOMPARE(o.groups.at(0).lag, 42);
        QCOMPARE(o.groups.at(1).status, BurrowStatus::Retired); // a retired group's partitions are no alarm
        QCOMPARE(o.deadLetterTopics.size(), 1);
        QCOMPARE(o.deadLetterTopics.at(0).topic, dlt.name);
        QCOMPARE(o.deadLetterTopics.at(0).records, 3);
    }

    void readsRedisHealthAndTapSources()
    {
        AlertObservations o;
        AlertObservationsBuilder::addRedis(
            &o, { models::ConnectionHealth::State::Down, u"connection refused"_s });
        QCOMPARE(o.redisReachable, false);
        QCOMPARE(o.redisDetail, u"connection refused"_s);
        QCOMPARE(o.redisLatencyMs, std::nullopt);
        AlertObservationsBuilder::addRedis(&o, { models::ConnectionHealth::State::Up, {} });
        QCOMPARE(o.redisReachable, true);
        QCOMPARE(o.redisLatencyMs, std::nullopt); // connected, no PING timed yet
        AlertObservationsBuilder::addRedis(&o, { models::ConnectionHealth::State::Up, {}, 320 });
        QCOMPARE(o.redisLatencyMs, 320);
        AlertObservationsBuilder::addRedis(&o, { models::ConnectionHealth::State::Degraded, {}, 12 });
        QCOMPARE(o.redisLatencyMs, 12);
        // A figure left over from before the connection went is not judged: down is its own alert.
        AlertObservationsBuilder::addRedis(&o, { models::ConnectionHealth::State::Down, u"lost"_s, 320 });
        QCOMPARE(o.redisLatencyMs, std::nullopt);
        AlertObservationsBuilder::addRedis(&o, { models::ConnectionHealth::State::Connecting, {} });
        QVERIFY(!o.redisReachable); // not known yet: no alert either way
        QCOMPARE(o.redisLatencyMs, std::nullopt);

        inspect::TapSourceStatus tap;
        tap.id = u"node-1"_s;
        tap.droppedBySource = 12;
        inspect::TapSourceStatus probe;
        probe.id = u"probe"_s;
        probe.kind = u"probe"_s;
        AlertObservationsBuilder::addTap(&o, { tap, probe }, 4);
        QCOMPARE(o.tapSources.size(), 1);
        QCOMPARE(o.tapSources.at(0).droppedBySource, 12);
        QCOMPARE(o.tapDroppedByConsole, 4);
        AlertObservations before;
        AlertObservationsBuilder::addTap(&before, { tap }, std::nullopt); // the capture has no batch yet
        QCOMPARE(before.tapDroppedByConsole, std::nullopt);
    }

    // The three figures the builder now reads, judged by the rules: each raises its alert
    // once it moves as the rule says (slow-consumer drops and the console's tap drops
    // growing, the Redis PING over its threshold), and says where the figure came from.
    void newFiguresReachTheirRules()
    {
        models::AlertThresholds t;
        t.raiseAfterSeconds = 0;
        models::AlertEngine engine(t);
        auto observe = [&](qint64 drops, std::optional<qint64> pingMs, qint64 tapDrops) {
            models::ReplicaModel replicas;
            inspect::ReplicaSnapshot snapshot;
            snapshot.at = kAlertModelT0;
            ReplicaInfo r = replicaInfo(u"node-1"_s, ReplicaInfo::State::Ready);
            r.slowConsumerDrops = drops;
            snapshot.replicas = { r };
            replicas.apply(snapshot);
            AlertObservations o;
            AlertObservationsBuilder::addReplicas(&o, replicas);
            AlertObservationsBuilder::addRedis(&o, { models::ConnectionHealth::State::Up, {}, pingMs });
            AlertObservationsBuilder::addTap(&o, {}, tapDrops);
            return o;
        };
        engine.evaluate(observe(0, 5, 0), kAlertModelT0);
        QVERIFY(engine.active().isEmpty());
        engine.evaluate(observe(2, 400, 30), kAlertModelT0.addSecs(1));
        engine.evaluate(observe(2, 400, 30), kAlertModelT0.addSecs(2));
        QStringList raised;
        for (const Alert &a : engine.active())
            raised << QString(a.rule + QLatin1Char('/') + a.subject + u": "_s + a.figure);
        raised.sort();
        QCOMPARE(raised,
            (QStringList { u"redis-latency/redis: latency 400 ms (threshold 250 ms)"_s,
                u"slow-consumer-drops/node-1: +2 slow consumers dropped in 60 s (2 in all)"_s,
                u"tap-drops/console: +30 tap frames dropped by the console in 60 s (30 in all)"_s }));
    }

    void listsActiveFirstThenRecentAndCountsThem()
    {
        AlertModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy counts(&model, &AlertModel::countsChanged);
        QSignalSpy transitions(&model, &AlertModel::transitioned);
        const Alert down = alert(u"replica-down"_s, u"node-2"_s, Alert::Severity::Critical, 5);
        const Alert imbalance = alert(u"connection-imbalance"_s, u"cluster"_s, Alert::Severity::Warning, 6);
        Alert cleared = alert(u"replica-unready"_s, u"node-1"_s, Alert::Severity::Warning, 1);
        cleared.clearedAt = kAlertModelT0.addSecs(4);
        model.apply({ down, imbalance }, { cleared }, { { AlertTransition::Kind::Raised, down } }, {});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.activeCount(), 2);
        QCOMPARE(model.criticalCount(), 1);
        QCOMPARE(counts.size(), 1);
        QCOMPARE(transitions.size(), 1);
        QCOMPARE(model.index(0, AlertModel::Rule).data().toString(), u"Replica down"_s);
        QCOMPARE(model.index(0, AlertModel::Severity).data().toString(), u"critical"_s);
        QVERIFY(model.index(0, AlertModel::Severity).data(Qt::ForegroundRole).isValid());
        QVERIFY(model.index(2, AlertModel::Cleared).data().toString().size() > 0);
        QVERIFY(!model.index(2, 0).data(AlertModel::ActiveRole).toBool());
        QVERIFY(model.index(0, AlertModel::Figure).data(Qt::ToolTipRole).toString().contains(u"node-2"_s));

        // The same alerts with a newer figure: updated in place, no reset, no count signal.
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        Alert worse = down;
        worse.figure = u"down for longer"_s;
        model.apply({ worse, imbalance }, { cleared }, {}, {});
        QCOMPARE(reset.size(), 0);
        QCOMPARE(counts.size(), 1);
        QVERIFY(model.index(0, AlertModel::Figure).data().toString().startsWith(u"down for longer"_s));

        const QJsonObject json = model.toJson();
        QCOMPARE(json.value(u"active"_s).toArray().size(), 2);
        QCOMPARE(json.value(u"recent"_s).toArray().size(), 1);
        QCOMPARE(json.value(u"counts"_s).toObject().value(u"critical"_s).toInt(), 1);

        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(counts.size(), 2);
    }
};

SB_TEST_GUILESS_MAIN(TestAlertModel)
#include "tst_alertmodel.moc"
