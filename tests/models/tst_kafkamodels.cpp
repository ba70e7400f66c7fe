#include "models/KafkaFigures.h"
#include "models/KafkaGroupModel.h"
#include "models/KafkaPartitionModel.h"
#include "models/KafkaTopicModel.h"
#include "support/TestMain.h"

#include <QAbstractItemModelTester>
#include <QBrush>
#include <QSignalSpy>
#include <QTest>

using namespace sb::inspect;
using namespace sb::models;

namespace {

KafkaGroupInfo group(const QString &id, BurrowStatus status, QList<KafkaPartitionLag> partitions)
{
    KafkaGroupInfo g;
    g.id = id;
    g.state = QStringLiteral("unknown");
    g.discoveredBy = QStringLiteral("profile");
    g.verdict = { status, QStringLiteral("because") };
    g.partitions = partitions;
    for (const auto &p : partitions)
        g.totalLag += qMax<qint64>(0, p.lag);
    return g;
}

KafkaPartitionLag partition(const QString &topic, int p, qint64 committed, qint64 end, BurrowStatus status)
{
    return { topic, p, committed, end, end < 0 ? -1 : end - committed,
        { status, QStringLiteral("reason %1").arg(p) } };
}

} // namespace

// The Kafka view's models under QAbstractItemModelTester: groups, partitions and topics,
// updated in place when the rows stay and reset when they change; unknown figures show "—".
class TestKafkaModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void groupModel()
    {
        KafkaGroupModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QList<KafkaGroupInfo> first {
            group(QStringLiteral("a"), BurrowStatus::Ok,
                { partition(QStringLiteral("t"), 0, 5, 5, BurrowStatus::Ok) }),
            group(QStringLiteral("b"), BurrowStatus::Err,
                { partition(QStringLiteral("t"), 0, 1, 9, BurrowStatus::Rewind) })
        };
        model.apply(first);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(1, KafkaGroupModel::Status).data().toString(), QStringLiteral("ERR"));
        QCOMPARE(model.index(1, KafkaGroupModel::Lag).data().toString(), QStringLiteral("8"));
        QCOMPARE(model.index(1, KafkaGroupModel::Members).data().toString(), QStringLiteral("—"));
        // The id whole in the tooltip (the view elides long ids), then the verdict's reason.
        QVERIFY(model.index(1, KafkaGroupModel::Group).data(Qt::ToolTipRole).toString().startsWith(u"b\n"));
        QVERIFY(model.index(1, KafkaGroupModel::Status).data(Qt::ForegroundRole).value<QBrush>().color()
            != model.index(0, KafkaGroupModel::Status).data(Qt::ForegroundRole).value<QBrush>().color());
        KafkaClusterSnapshot snapshot;
        snapshot.groups = first;
        QCOMPARE(KafkaFigures::from(snapshot).groupsInError, 1); // the headline counts what the rows say

        // Same groups: updated in place, no reset.
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
        QList<KafkaGroupInfo> second = first;
        second[0].totalLag = 3;
        model.apply(second);
        QCOMPARE(resets.size(), 0);
        QCOMPARE(changes.size(), 1);
        QCOMPARE(model.index(0, KafkaGroupModel::Lag).data().toString(), QStringLiteral("3"));
        // A group came: reset.
        second.append(group(QStringLiteral("c"), BurrowStatus::NotFound, {}));
        model.apply(second);
        QCOMPARE(resets.size(), 1);
        QCOMPARE(model.rowOf(QStringLiteral("c")), 2);
        model.apply({});
        QCOMPARE(model.rowCount(), 0);
    }

    void partitionModel()
    {
        KafkaPartitionModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.apply({ group(QStringLiteral("a"), BurrowStatus::Warn,
                          { partition(QStringLiteral("t"), 0, 5, 9, BurrowStatus::Warn),
                              partition(QStringLiteral("t"), 1, 3, -1, BurrowStatus::Ok) }),
            group(QStringLiteral("b"), BurrowStatus::Ok,
                { partition(QStringLiteral("u"), 0, 7, 7, BurrowStatus::Ok) }) });
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0, KafkaPartitionModel::Lag).data().toString(), QStringLiteral("4"));
        QCOMPARE(model.index(1, KafkaPartitionModel::LogEnd).data().toString(), QStringLiteral("—"));
        QCOMPARE(model.index(1, KafkaPartitionModel::Lag).data().toString(), QStringLiteral("—"));
        QCOMPARE(model.index(2, KafkaPartitionModel::Group).data().toString(), QStringLiteral("b"));
        QCOMPARE(model.index(0, KafkaPartitionModel::Status).data().toString(), QStringLiteral("WARN"));
        QCOMPARE(model.index(0, KafkaPartitionModel::Reason).data(Qt::ToolTipRole).toString(),
            QStringLiteral("a · t-0\nreason 0"));
        QCOMPARE(model.index(2, KafkaPartitionModel::Group).data(Qt::ToolTipRole).toString(),
            QStringLiteral("b · u-0\nreason 0"));
        QCOMPARE(
            model.index(0, KafkaPartitionModel::Lag).data(KafkaPartitionModel::SortRole).toLongLong(), 4);
        // A group id may hold anything, "%1" included: the tooltip shows it as it is.
        model.apply({ group(QStringLiteral("g%1"), BurrowStatus::Ok,
            { partition(QStringLiteral("t"), 3, 1, 1, BurrowStatus::Ok) }) });
        QCOMPARE(model.index(0, KafkaPartitionModel::Group).data(Qt::ToolTipRole).toString(),
            QStringLiteral("g%1 · t-3\nreason 3"));
        model.apply({});
        QCOMPARE(model.rowCount(), 0);
    }

    void topicModelHighlightsDeadLetters()
    {
        KafkaTopicModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        KafkaTopicInfo orders { QStringLiteral("orders"), 4, 120, 12.5, false };
        KafkaTopicInfo emptyDlt { QStringLiteral("orders.DLT"), 1, 0, std::nullopt, true };
        KafkaTopicInfo fullDlt { QStringLiteral("x.DLT"), 1, 7, 0.0, true };
        model.apply({ orders, emptyDlt, fullDlt });
        QCOMPARE(
            model.index(0, KafkaTopicModel::ProducedPerSecond).data().toString(), QStringLiteral("12.5"));
        QCOMPARE(model.index(1, KafkaTopicModel::ProducedPerSecond).data().toString(), QStringLiteral("—"));
        QVERIFY(!model.index(1, 0).data(KafkaTopicModel::DeadLetterRole).toBool()); // empty: nothing to alarm
        QVERIFY(model.index(2, 0).data(KafkaTopicModel::DeadLetterRole).toBool());
        QVERIFY(model.index(2, 0).data(Qt::BackgroundRole).isValid());
        QVERIFY(!model.index(0, 0).data(Qt::BackgroundRole).isValid());
        QVERIFY(model.index(2, 0).data(Qt::ToolTipRole).toString().contains(u"7 message(s)"));
        QCOMPARE(model.index(0, KafkaTopicModel::Topic).data(Qt::ToolTipRole).toString(),
            QStringLiteral("orders"));
        QCOMPARE(model.index(1, 0).data(Qt::ToolTipRole).toString(),
            QStringLiteral("Dead-letter topic orders.DLT: empty"));
        KafkaClusterSnapshot snapshot;
        snapshot.topics = { orders, emptyDlt, fullDlt };
        QCOMPARE(KafkaFigures::from(snapshot).deadLetters, 7);
    }
};

SB_TEST_GUILESS_MAIN(TestKafkaModels)
#include "tst_kafkamodels.moc"
