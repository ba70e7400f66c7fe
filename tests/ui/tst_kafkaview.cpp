#include "models/KafkaFigures.h"
#include "models/KafkaGroupModel.h"
#include "models/KafkaPartitionModel.h"
#include "models/KafkaTopicModel.h"
#include "models/SeriesHistory.h"
#include "support/TestMain.h"
#include "ui/HistoryChart.h"
#include "ui/KafkaView.h"

#include <QJsonArray>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace sb::inspect;
using namespace sb::models;
using namespace Qt::StringLiterals;

namespace {

KafkaClusterSnapshot snapshot()
{
    KafkaClusterSnapshot s;
    s.at = QDateTime::currentDateTimeUtc();
    s.poll = 1;
    s.reachable = true;
    s.brokers = 3;
    s.pollMs = 4;
    s.groupsNote
        = u"This cluster does not answer ListGroups/DescribeGroups (Local: Required feature not supported by "
          "broker) — librdkafka's mock cluster does not — so the groups shown are the ones the profile "
          "lists and the replicas announce in the registry; state and members are unknown."_s;
    s.topics = { { u"orders"_s, 2, 90, 3.0, false }, { u"orders.DLT"_s, 1, 2, 0.0, true } };
    KafkaGroupInfo billing { u"billing"_s, u"unknown"_s, -1, u"profile"_s, 30,
        { BurrowStatus::Err, u"1 partition(s) in error"_s }, {}, {} };
    billing.partitions = { { u"orders"_s, 0, 20, 50, 30,
                               { BurrowStatus::Rewind, u"committed offset went back from 60 to 20"_s } },
        { u"orders"_s, 1, 40, 40, 0, { BurrowStatus::Ok, u"caught up: no lag"_s } } };
    KafkaGroupInfo audit { u"audit"_s, u"unknown"_s, -1, u"registry"_s, 5,
        { BurrowStatus::Ok, u"all 1 partition(s) OK"_s }, {}, {} };
    audit.partitions = { { u"orders"_s, 0, 45, 50, 5, { BurrowStatus::Ok, u"lag 5"_s } } };
    s.groups = { audit, billing };
    return s;
}

// The view over its own models, as the console assembles them.
struct ViewFixture
{
    KafkaGroupModel groups;
    KafkaPartitionModel partitions;
    KafkaTopicModel topics;
    SeriesHistory history;
    sb::ui::KafkaView view { &groups, &partitions, &topics, &history };

    // As a poll's snapshot reaches the models.
    void apply(const KafkaClusterSnapshot &s)
    {
        groups.apply(s.groups);
        partitions.apply(s.groups);
        topics.apply(s.topics);
    }
};

} // namespace

// The Kafka view fed by models: figures and the ListGroups note, group selection
// narrowing the partitions (Esc shows all again), DLT rows highlighted, the unreachable
// banner, and state.json as shown.
class TestKafkaView : public QObject
{
    Q_OBJECT

private slots:
    // At a 1280x800 window's Kafka area (717x455 inside its dock, the ListGroups note
    // shown, as on the demo), the group and partition tables each show at least 4 rows
    // (they showed 2 and 3) and the lag chart keeps room for its axis.
    void tablesShowFourRowsAt1280x800()
    {
        ViewFixture f;
        sb::ui::KafkaView &view = f.view;
        view.resize(717, 455);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        KafkaClusterSnapshot s = snapshot();
        for (int i = 0; i < 4; ++i) {
            KafkaGroupInfo more = s.groups.first();
            more.id = u"group-%1"_s.arg(i);
            s.groups.append(more);
        }
        f.apply(s);
        view.showFigures(KafkaFigures::from(s));
        const auto rowsShown = [](const QTableView *table) {
            return table->viewport()->height() / qMax(1, table->rowHeight(0));
        };
        QTRY_VERIFY2(
            rowsShown(view.groupTable()) >= 4, qPrintable(QString::number(rowsShown(view.groupTable()))));
        QVERIFY2(rowsShown(view.partitionTable()) >= 4,
            qPrintable(QString::number(rowsShown(view.partitionTable()))));
        auto *chart = view.findChild<sb::ui::HistoryChart *>();
        QVERIFY(chart);
        QVERIFY2(chart->height() >= 90, qPrintable(QString::number(chart->height())));
    }

    void showsGroupsPartitionsAndTopics()
    {
        ViewFixture f;
        sb::ui::KafkaView &view = f.view;
        view.resize(1000, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));

        const KafkaClusterSnapshot s = snapshot();
        f.apply(s);
        view.showFigures(KafkaFigures::from(s));
        QVERIFY2(
            view.figuresText().contains(u"2 groups (1 in error, 0 lagging)"), qPrintable(view.figuresText()));
        QVERIFY2(view.figuresText().contains(u"total lag 35"), qPrintable(view.figuresText()));
        QVERIFY2(view.figuresText().contains(u"2 dead-lettered"), qPrintable(view.figuresText()));
        QVERIFY(view.noteText().contains(u"ListGroups"));
        // The note is one line at a 1280x800 window's Kafka area width (717 px): what fits of
        // it, the whole note in its tooltip (wrapped, it took three lines there).
        auto *note = view.findChild<QLabel *>(u"kafkaGroupsNote"_s);
        QVERIFY(note && note->isVisible());
        view.resize(717, 700);
        QTRY_VERIFY(note->text() != view.noteText());
        QVERIFY(note->text().endsWith(QChar(0x2026)));
        QVERIFY(note->height() < 2 * note->fontMetrics().height());
        QCOMPARE(note->toolTip(), view.noteText());
        view.resize(1000, 700);

        // No selection: every group's partitions. Selecting billing narrows to its two.
        QCOMPARE(view.partitionTable()->model()->rowCount(), 3);
        view.groupTable()->setFocus();
        const int billingRow = 1; // sorted by group id: audit, billing
        QCOMPARE(view.groupTable()->model()->index(billingRow, 0).data().toString(), u"billing"_s);
        view.groupTable()->selectRow(billingRow);
        QCOMPARE(view.selectedGroup(), u"billing"_s);
        QCOMPARE(view.partitionTable()->model()->rowCount(), 2);
        QVERIFY(view.partitionTable()->isColumnHidden(KafkaPartitionModel::Group)); // the caption names it
        QTest::keyClick(view.groupTable(), Qt::Key_Escape);
        QCOMPARE(view.selectedGroup(), QString());
        QCOMPARE(view.partitionTable()->model()->rowCount(), 3);
        QVERIFY(!view.partitionTable()->isColumnHidden(KafkaPartitionModel::Group));

        // A poll with the same rows keeps the selection.
        view.groupTable()->selectRow(billingRow);
        f.apply(s);
        QCOMPARE(view.selectedGroup(), u"billing"_s);
        QCOMPARE(view.partitionTable()->model()->rowCount(), 2);

        const QJsonObject state = view.snapshotState();
        QCOMPARE(state.value(u"groups"_s).toArray().size(), 2);
        QCOMPARE(state.value(u"rows"_s).toArray(), state.value(u"groups"_s).toArray());
        QCOMPARE(state.value(u"partitions"_s).toArray().size(), 2);
        const QJsonObject rewound = state.value(u"partitions"_s).toArray().at(0).toObject();
        QCOMPARE(rewound.value(u"Status"_s).toString(), u"REWIND"_s);
        QCOMPARE(rewound.value(u"Lag"_s).toString(), u"30"_s);
        QCOMPARE(state.value(u"topics"_s).toArray().size(), 2);
        QCOMPARE(state.value(u"figures"_s).toObject().value(u"totalLag"_s).toInt(), 35);
        QCOMPARE(state.value(u"selectedGroup"_s).toString(), u"billing"_s);
        // The recording's samples keep each table's first rows only, and all the figures.
        const QJsonObject sample = view.snapshotState(1);
        QCOMPARE(sample.value(u"partitions"_s).toArray().size(), 1);
        QCOMPARE(sample.value(u"partitions"_s).toArray().at(0), state.value(u"partitions"_s).toArray().at(0));
        QCOMPARE(sample.value(u"groups"_s).toArray().size(), 1);
        QCOMPARE(sample.value(u"figures"_s), state.value(u"figures"_s));

        // The DLT row is highlighted; the Topics tab is one Alt+T away.
        QVERIFY(view.topicTable()->model()->index(1, 0).data(KafkaTopicModel::DeadLetterRole).toBool());
        QTest::keyClick(&view, Qt::Key_T, Qt::AltModifier);
        QCOMPARE(view.tabs()->currentIndex(), 1);
    }

    void longNamesGiveWayWhenTheFiguresWouldNotFit()
    {
        ViewFixture f;
        sb::ui::KafkaView &view = f.view;
        view.resize(3000, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));

        KafkaClusterSnapshot s = snapshot();
        const QString longGroup = u"switchboard-broadcast-a-rather-long-service-name-node-1-cc60b7c7"_s;
        const QString longTopic = u"com.example.notifications.MessageCreatedEventWithAVeryLongName"_s;
        s.groups[0].id = longGroup;
        s.groups[0].partitions[0].topic = longTopic;
        s.topics[0].name = longTopic;
        f.apply(s);
        QTableView *table = view.partitionTable();
        const QFontMetrics metrics = table->fontMetrics();
        QVERIFY(!table->wordWrap()); // a name wrapped at '-' would be elided piece by piece
        QCOMPARE(table->textElideMode(), Qt::ElideMiddle);

        // Room enough: names whole.
        QVERIFY(table->columnWidth(KafkaPartitionModel::Group) >= metrics.horizontalAdvance(longGroup));
        QVERIFY(table->columnWidth(KafkaPartitionModel::Topic) >= metrics.horizontalAdvance(longTopic));

        // Narrow: the names give way, down to their floor, and every figure column keeps its
        // contents' width.
        const int lagWidth = table->columnWidth(KafkaPartitionModel::Lag);
        const int statusWidth = table->columnWidth(KafkaPartitionModel::Status);
        view.resize(900, 600);
        QTRY_VERIFY(table->columnWidth(KafkaPartitionModel::Group) < metrics.horizontalAdvance(longGroup));
        QVERIFY(table->columnWidth(KafkaPartitionModel::Topic) < metrics.horizontalAdvance(longTopic));
        QVERIFY(table->columnWidth(KafkaPartitionModel::Group) >= metrics.averageCharWidth() * 14);
        QCOMPARE(table->columnWidth(KafkaPartitionModel::Lag), lagWidth);
        QCOMPARE(table->columnWidth(KafkaPartitionModel::Status), statusWidth);

        // A group selected: its column goes (the caption names it) and the topic takes the room.
        const int narrowTopic = table->columnWidth(KafkaPartitionModel::Topic);
        view.groupTable()->setFocus();
        view.groupTable()->selectRow(1); // sorted: audit, switchboard-…
        QCOMPARE(view.selectedGroup(), longGroup);
        QVERIFY(table->isColumnHidden(KafkaPartitionModel::Group));
        QVERIFY(table->columnWidth(KafkaPartitionModel::Topic) > narrowTopic);

        // A column the user sized stays as sized when the view is resized.
        table->setColumnWidth(KafkaPartitionModel::Topic, 123);
        view.resize(1000, 600);
        QTest::qWait(50);
        QCOMPARE(table->columnWidth(KafkaPartitionModel::Topic), 123);

        // Every name is whole in its tooltip.
        const QModelIndex topicCell = table->model()->index(0, KafkaPartitionModel::Topic);
        QVERIFY(topicCell.data(Qt::ToolTipRole).toString().contains(longTopic));
        const QModelIndex groupCell = view.groupTable()->model()->index(1, KafkaGroupModel::Group);
        QVERIFY(groupCell.data(Qt::ToolTipRole).toString().startsWith(longGroup));
    }

    void unreachableSaysSo()
    {
        ViewFixture f;
        sb::ui::KafkaView &view = f.view;
        KafkaClusterSnapshot s;
        s.poll = 1;
        s.error = u"metadata: Local: Broker transport failure"_s;
        s.retryInMs = 4000;
        view.showFigures(KafkaFigures::from(s));
        const QJsonObject state = view.snapshotState();
        QVERIFY2(state.value(u"error"_s).toString().contains(u"unreachable: metadata"),
            qPrintable(state.value(u"error"_s).toString()));
        QVERIFY2(state.value(u"error"_s).toString().contains(u"retrying in 4 s"),
            qPrintable(state.value(u"error"_s).toString()));
        QVERIFY(view.figuresText().contains(u"No answer"));
    }

    // Kafka stops answering after it answered: the view keeps the last poll's picture and
    // says how old it is (banner "as of", state.json's stale and asOf), never zeros.
    void unreachableAfterAnswersShowsTheLastPictureAsOf()
    {
        ViewFixture f;
        sb::ui::KafkaView &view = f.view;
        view.resize(1000, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        KafkaClusterSnapshot good = snapshot();
        good.at = QDateTime::currentDateTimeUtc().addSecs(-30);
        f.apply(good);
        view.showFigures(KafkaFigures::from(good));
        QJsonObject state = view.snapshotState();
        QVERIFY2(state.contains(u"stale"_s), "state.json carries no stale flag");
        QVERIFY(!state.value(u"stale"_s).toBool());
        QCOMPARE(state.value(u"asOf"_s).toString(), good.at.toString(Qt::ISODateWithMs));

        KafkaClusterSnapshot lost;
        lost.at = QDateTime::currentDateTimeUtc();
        lost.poll = 2;
        lost.error = u"metadata: Local: Broker transport failure"_s;
        lost.retryInMs = 4000;
        view.showFigures(KafkaFigures::from(lost));
        state = view.snapshotState();
        QVERIFY(state.value(u"stale"_s).toBool());
        QCOMPARE(state.value(u"asOf"_s).toString(), good.at.toString(Qt::ISODateWithMs));
        QCOMPARE(state.value(u"figures"_s).toObject().value(u"totalLag"_s).toInt(), 35);
        QCOMPARE(state.value(u"figures"_s).toObject().value(u"brokers"_s).toInt(), 3);
        QVERIFY2(view.figuresText().contains(u"total lag 35"), qPrintable(view.figuresText()));
        QCOMPARE(state.value(u"groups"_s).toArray().size(), 2);
        auto *banner = view.findChild<QLabel *>(u"staleBanner"_s);
        QVERIFY(banner && banner->isVisible());
        const QString shownAt = good.at.toLocalTime().toString(u"HH:mm:ss"_s);
        QVERIFY2(banner->text().contains(u"as of "_s + shownAt), qPrintable(banner->text()));
        QVERIFY2(banner->text().contains(u"Broker transport failure"_s), qPrintable(banner->text()));

        KafkaClusterSnapshot back = snapshot();
        back.poll = 3;
        f.apply(back);
        view.showFigures(KafkaFigures::from(back));
        QVERIFY(!view.snapshotState().value(u"stale"_s).toBool());
        QVERIFY(!banner->isVisible());
    }
};

SB_TEST_MAIN(TestKafkaView)
#include "tst_kafkaview.moc"
