#include "models/ReplicaModel.h"
#include "support/TestMain.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace sb;
using namespace Qt::StringLiterals;
using inspect::ReplicaInfo;
using inspect::ReplicaSnapshot;
using models::ReplicaModel;

namespace {

const QDateTime kReplicaT0 = QDateTime::fromMSecsSinceEpoch(1714550400000, Qt::UTC);

ReplicaInfo replica(
    const QString &id, qint64 ws, qint64 sse, ReplicaInfo::State state = ReplicaInfo::State::Ready)
{
    ReplicaInfo r;
    r.id = id;
    r.address = u"127.0.0.1:1"_s;
    r.state = state;
    r.stateSince = kReplicaT0;
    r.started = kReplicaT0.addSecs(-3700);
    r.lastSeen = kReplicaT0;
    r.wsConnections = ws;
    r.sseConnections = sse;
    return r;
}

ReplicaSnapshot snapshot(int second, QList<ReplicaInfo> replicas)
{
    ReplicaSnapshot s;
    s.at = kReplicaT0.addSecs(second);
    s.replicas = std::move(replicas);
    return s;
}

} // namespace

class TestReplicaModel : public QObject
{
    Q_OBJECT

private slots:
    void insertsOncePerPollAndKeepsRowsInPlace()
    {
        ReplicaModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

        model.apply(snapshot(0, { replica(u"b"_s, 1, 0), replica(u"a"_s, 2, 0), replica(u"c"_s, 3, 0) }));
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 2);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), int(ReplicaModel::ColumnCount));

        // Two new replicas in one poll: one more insert, appended; existing rows stay put.
        model.apply(snapshot(1,
            { replica(u"a"_s, 2, 0), replica(u"b"_s, 1, 0), replica(u"c"_s, 3, 0), replica(u"d"_s, 0, 0),
                replica(u"e"_s, 0, 0) }));
        QCOMPARE(inserted.size(), 2);
        QCOMPARE(inserted.at(1).at(1).toInt(), 3);
        QCOMPARE(inserted.at(1).at(2).toInt(), 4);
        QCOMPARE(model.rowOf(u"b"_s), 0);
        QCOMPARE(model.rowOf(u"e"_s), 4);
        QCOMPARE(removed.size(), 0);
        QCOMPARE(reset.size(), 0);
    }

    void dataChangedCoversOnlyWhatMoved()
    {
        ReplicaModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QList<ReplicaInfo> rows { replica(u"a"_s, 1, 0), replica(u"b"_s, 1, 0), replica(u"c"_s, 1, 0),
            replica(u"d"_s, 1, 0) };
        model.apply(snapshot(0, rows));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        // Same poll time, only c's SSE count moved: exactly that cell.
        rows[2].sseConnections = 5;
        model.apply(snapshot(0, rows));
        QCOMPARE(changed.size(), 1);
        auto topLeft = changed.at(0).at(0).value<QModelIndex>();
        auto bottomRight = changed.at(0).at(1).value<QModelIndex>();
        QCOMPARE(topLeft.row(), 2);
        QCOMPARE(bottomRight.row(), 2);
        QCOMPARE(topLeft.column(), int(ReplicaModel::SseConnections));
        QCOMPARE(bottomRight.column(), int(ReplicaModel::SseConnections));

        // Nothing moved: no signal at all.
        changed.clear();
        model.apply(snapshot(0, rows));
        QCOMPARE(changed.size(), 0);

        // A new poll time moves uptime and last seen everywhere: one range over all rows,
        // spanning only Uptime..LastSeen.
        for (auto &r : rows)
            r.lastSeen = kReplicaT0.addSecs(1);
        model.apply(snapshot(1, rows));
        QCOMPARE(changed.size(), 1);
        topLeft = changed.at(0).at(0).value<QModelIndex>();
        bottomRight = changed.at(0).at(1).value<QModelIndex>();
        QCOMPARE(topLeft.row(), 0);
        QCOMPARE(bottomRight.row(), 3);
        QCOMPARE(topLeft.column(), int(ReplicaModel::Uptime));
        QCOMPARE(bottomRight.column(), int(ReplicaModel::LastSeen));
    }

    void downRowsStayWithTheirTimeAndGoWhenForgotten()
    {
        ReplicaModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.apply(snapshot(0,
            { replica(u"a"_s, 5, 0), replica(u"b"_s, 5, 0), replica(u"c"_s, 5, 0), replica(u"d"_s, 5, 0) }));
        ReplicaInfo down = replica(u"b"_s, 5, 0, ReplicaInfo::State::Down);
        down.stateSince = kReplicaT0.addSecs(2);
        down.detail = u"registry key sb:node:b is gone"_s;
        model.apply(
            snapshot(2, { replica(u"a"_s, 5, 0), down, replica(u"c"_s, 5, 0), replica(u"d"_s, 5, 0) }));
        const QModelIndex state = model.index(model.rowOf(u"b"_s), ReplicaModel::State);
        QCOMPARE(state.data().toString(),
            u"down since "_s + kReplicaT0.addSecs(2).toLocalTime().toString(u"HH:mm:ss"_s));
        QVERIFY(state.data(Qt::ToolTipRole).toString().contains(u"sb:node:b is gone"_s));
        QVERIFY(state.data(Qt::BackgroundRole).isValid());
        QVERIFY(model.index(model.rowOf(u"b"_s), ReplicaModel::Id).data(Qt::ForegroundRole).isValid());
        QCOMPARE(model.index(model.rowOf(u"b"_s), ReplicaModel::Uptime).data().toString(), u"—"_s);
        QCOMPARE(model.figures().replicasDown, 1);
        QCOMPARE(model.figures().totalConnections, 15);

        // Discovery forgets b and d (not adjacent): one removal per poll, the rest next poll.
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        model.apply(snapshot(3, { replica(u"a"_s, 5, 0), replica(u"c"_s, 5, 0) }));
        QCOMPARE(removed.size(), 1);
        QCOMPARE(model.rowCount(), 3);
        model.apply(snapshot(4, { replica(u"a"_s, 5, 0), replica(u"c"_s, 5, 0) }));
        QCOMPARE(removed.size(), 2);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.rowOf(u"c"_s), 1);
    }

    // Registry down, replica alive but refusing traffic: a state of its own, with its reason,
    // never "down"; it still counts as up (with its connections), and as not ready.
    void aliveNotReadyIsItsOwnStateWithItsReason()
    {
        ReplicaModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.apply(snapshot(0, { replica(u"a"_s, 4, 1), replica(u"b"_s, 2, 0) }));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        ReplicaInfo a = replica(u"a"_s, 4, 1, ReplicaInfo::State::Unready);
        a.stateReason = u"dependencies down"_s;
        a.stateSince = kReplicaT0.addSecs(1);
        a.detail = u"not in the registry: registry unreadable (Redis unreachable: connection refused)"_s;
        ReplicaInfo b = replica(u"b"_s, 2, 0, ReplicaInfo::State::Unready);
        b.stateReason = u"Redis unreachable"_s;
        b.stateSince = kReplicaT0.addSecs(1);
        model.apply(snapshot(0, { a, b }));
        const QModelIndex state = model.index(model.rowOf(u"b"_s), ReplicaModel::State);
        QCOMPARE(state.data().toString(),
            u"alive, not ready: Redis unreachable since "_s
                + kReplicaT0.addSecs(1).toLocalTime().toString(u"HH:mm:ss"_s));
        QCOMPARE(state.data(ReplicaModel::StateRole).toInt(), int(ReplicaInfo::State::Unready));
        QVERIFY(!model.index(model.rowOf(u"b"_s), ReplicaModel::Id)
                     .data(Qt::ForegroundRole)
                     .isValid()); // not greyed as down
        const QVariant unreadyColour = state.data(Qt::BackgroundRole);
        QVERIFY(unreadyColour.isValid());
        QVERIFY(model.index(model.rowOf(u"a"_s), ReplicaModel::State)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(u"registry unreadable"_s));
        QCOMPARE(model.figures().replicasUp, 2);
        QCOMPARE(model.figures().replicasNotReady, 2);
        QCOMPARE(model.figures().replicasDown, 0);
        QCOMPARE(model.figures().totalConnections, 7);
        QCOMPARE(model.figures().toJson().value(u"replicasNotReady"_s).toInt(), 2);
        QVERIFY(changed.size() >= 1);

        // Only the reason changes (the registry answers again, the replica's Kafka is what
        // is down): the State cell is repainted.
        changed.clear();
        b.stateReason = u"dependencies down"_s;
        model.apply(snapshot(0, { a, b }));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>().column(), int(ReplicaModel::State));
        QVERIFY(model.index(model.rowOf(u"b"_s), ReplicaModel::State)
                    .data()
                    .toString()
                    .startsWith(u"alive, not ready: dependencies down since "_s));

        // Ready again: the colour is not the not-ready one, the figures say so.
        model.apply(snapshot(1, { replica(u"a"_s, 4, 1), replica(u"b"_s, 2, 0) }));
        QVERIFY(
            model.index(model.rowOf(u"b"_s), ReplicaModel::State).data(Qt::BackgroundRole) != unreadyColour);
        QCOMPARE(model.figures().replicasNotReady, 0);
    }

    void displayAndSortValues()
    {
        ReplicaModel model;
        ReplicaInfo r = replica(u"a"_s, 7, 2);
        r.subscriptions = 11;
        r.messagesInPerSecond = 2.25;
        r.heartbeatTimeouts = std::nullopt;
        model.apply(snapshot(0, { r }));
        auto cell = [&](int column, int role = Qt::DisplayRole) { return model.index(0, column).data(role); };
        QCOMPARE(cell(ReplicaModel::WsConnections).toString(), u"7"_s);
        QCOMPARE(cell(ReplicaModel::SseConnections).toString(), u"2"_s);
        QCOMPARE(cell(ReplicaModel::Subscriptions).toString(), u"11"_s);
        QCOMPARE(cell(ReplicaModel::MessagesInPerSecond).toString(), u"2.3"_s);
        QCOMPARE(cell(ReplicaModel::MessagesOutPerSecond).toString(), u"—"_s);
        QCOMPARE(cell(ReplicaModel::HeartbeatTimeouts).toString(), u"—"_s);
        QCOMPARE(cell(ReplicaModel::Uptime).toString(), u"1h 01m"_s);
        QCOMPARE(cell(ReplicaModel::WsConnections, ReplicaModel::SortRole).toDouble(), 7.0);
        QCOMPARE(cell(ReplicaModel::HeartbeatTimeouts, ReplicaModel::SortRole).toDouble(), -1.0);
        QCOMPARE(model.headerData(ReplicaModel::State, Qt::Horizontal).toString(), u"State"_s);

        // Slow-consumer drops: its own column, unknown until a source says, then the count.
        QCOMPARE(cell(ReplicaModel::SlowConsumerDrops).toString(), u"—"_s);
        QCOMPARE(
            model.headerData(ReplicaModel::SlowConsumerDrops, Qt::Horizontal).toString(), u"Slow drops"_s);
        QVERIFY(model.headerData(ReplicaModel::SlowConsumerDrops, Qt::Horizontal, Qt::ToolTipRole)
                    .toString()
                    .contains(u"--limit-outbound-bytes"_s));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        r.slowConsumerDrops = 3;
        model.apply(snapshot(0, { r }));
        QCOMPARE(cell(ReplicaModel::SlowConsumerDrops).toString(), u"3"_s);
        QCOMPARE(cell(ReplicaModel::SlowConsumerDrops, ReplicaModel::SortRole).toDouble(), 3.0);
        QCOMPARE(cell(ReplicaModel::SlowConsumerDrops, Qt::TextAlignmentRole).toInt(),
            int(Qt::AlignRight | Qt::AlignVCenter));
        QCOMPARE(changed.size(), 1); // the one cell that changed
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>().column(), int(ReplicaModel::SlowConsumerDrops));
        QCOMPARE(changed.at(0).at(1).value<QModelIndex>().column(), int(ReplicaModel::SlowConsumerDrops));
        QCOMPARE(ReplicaModel::formatDuration(59), u"59s"_s);
        QCOMPARE(ReplicaModel::formatDuration(61), u"1m 01s"_s);
        QCOMPARE(ReplicaModel::formatDuration(90061), u"1d 1h"_s);
    }

    void imbalanceFigure_data()
    {
        QTest::addColumn<QList<qint64>>("connections");
        QTest::addColumn<int>("downIndex"); // -1: none
        QTest::addColumn<double>("imbalance"); // -1: none
        QTest::addColumn<bool>("warning");
        QTest::newRow("even") << QList<qint64> { 10, 10, 10 } << -1 << 1.0 << false;
        QTest::newRow("skewed") << QList<qint64> { 30, 5, 5 } << -1 << 30.0 / (40.0 / 3) << true;
        QTest::newRow("just under") << QList<qint64> { 14, 10, 6 } << -1 << 1.4 << false;
        QTest::newRow("down ignored") << QList<qint64> { 10, 10, 100 } << 2 << 1.0 << false;
        QTest::newRow("no connections") << QList<qint64> { 0, 0 } << -1 << -1.0 << false;
    }

    void imbalanceFigure()
    {
        QFETCH(QList<qint64>, connections);
        QFETCH(int, downIndex);
        QFETCH(double, imbalance);
        QFETCH(bool, warning);
        QList<ReplicaInfo> rows;
        for (int i = 0; i < connections.size(); ++i)
            rows.append(replica(QString::number(i), connections[i], 0,
                i == downIndex ? ReplicaInfo::State::Down : ReplicaInfo::State::Ready));
        const auto figures = models::ReplicaFigures::from(rows);
        QCOMPARE(figures.imbalance.value_or(-1.0), imbalance);
        QCOMPARE(figures.imbalanced(), warning);
        QCOMPARE(figures.replicasDown, downIndex >= 0 ? 1 : 0);
    }
};

SB_TEST_MAIN(TestReplicaModel)
#include "tst_replicamodel.moc"
