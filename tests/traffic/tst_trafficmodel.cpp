#include "models/TrafficModel.h"
#include "support/TestMain.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace sb::models;
using sb::protocol::TrafficFilter;
using sb::protocol::TrafficFrame;
using namespace Qt::StringLiterals;

namespace {

TrafficFrame frame(const QString &source, const QString &command, const QString &id)
{
    TrafficFrame f;
    f.tsMs = 1700000000000;
    f.source = source;
    f.transport = TrafficFrame::Transport::Stomp;
    f.direction = command == u"SEND" ? TrafficFrame::Direction::In : TrafficFrame::Direction::Out;
    f.command = command;
    f.destination = u"/topic/channels.general"_s;
    f.messageId = id;
    f.bytes = 10;
    return f;
}

QList<TrafficFrame> batch(int count, int first = 0)
{
    QList<TrafficFrame> list;
    for (int i = first; i < first + count; ++i)
        list.append(frame(u"node-%1"_s.arg(i % 3 + 1), i % 2 ? u"MESSAGE"_s : u"SEND"_s, QString::number(i)));
    return list;
}

TrafficFilter filterOf(const QString &text)
{
    return *TrafficFilter::parse(text, nullptr);
}

QStringList shownIds(const TrafficModel &model)
{
    QStringList ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids.append(model.index(row, TrafficModel::MessageId).data().toString());
    return ids;
}

} // namespace

class TestTrafficModel : public QObject
{
    Q_OBJECT

private slots:
    void rowsFollowBatchesWithOneInsertEach()
    {
        TrafficBuffer buffer(100);
        TrafficModel model(&buffer);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.apply(batch(10));
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(model.index(3, TrafficModel::Source).data().toString(), u"node-1"_s);
        QCOMPARE(model.index(3, TrafficModel::Command).data().toString(), u"MESSAGE"_s);
        QCOMPARE(model.index(0, TrafficModel::Direction).data().toString(), u"→ in"_s);
        QCOMPARE(model.index(0, TrafficModel::Time).data().toString().size(), 12); // HH:mm:ss.zzz
        QCOMPARE(model.index(0, 0).data(TrafficModel::SeqRole).toLongLong(), 1);
    }

    void ringDropsRowsAtTheTopInOneRemoval()
    {
        TrafficBuffer buffer(8);
        TrafficModel model(&buffer);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.apply(batch(6));
        QSignalSpy removed(&model, &QAbstractItemModel::rowsAboutToBeRemoved);
        model.apply(batch(5, 6));
        QCOMPARE(removed.size(), 1);
        QCOMPARE(removed.first().at(1).toInt(), 0);
        QCOMPARE(removed.first().at(2).toInt(), 2);
        QCOMPARE(model.rowCount(), 8);
        QCOMPARE(shownIds(model).first(), u"3"_s);
        QCOMPARE(shownIds(model).last(), u"10"_s);
    }

    void filterAppliesToWhatIsHeldAndWhatComes()
    {
        TrafficBuffer buffer(100);
        TrafficModel model(&buffer);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.apply(batch(9));
        model.setFilter(filterOf(u"source=node-2 command=MESSAGE"_s));
        QCOMPARE(shownIds(model), (QStringList { u"1"_s, u"7"_s }));
        model.apply(batch(9, 9));
        QCOMPARE(shownIds(model), (QStringList { u"1"_s, u"7"_s, u"13"_s }));
        model.setFilter(TrafficFilter {});
        QCOMPARE(model.rowCount(), 18);
    }

    void pauseFreezesRowsWhileTheBufferFills()
    {
        TrafficBuffer buffer(100);
        TrafficModel model(&buffer);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.apply(batch(4));
        model.setPaused(true);
        model.apply(batch(5, 4));
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(buffer.size(), 9);
        QCOMPARE(model.shownFramesSkippedWhilePaused(), 5);
        // A filter change while paused filters what was shown, not what came meanwhile.
        model.setFilter(filterOf(u"cmd=SEND"_s));
        QCOMPARE(shownIds(model), (QStringList { u"0"_s, u"2"_s }));
        model.setPaused(false);
        QCOMPARE(shownIds(model), (QStringList { u"0"_s, u"2"_s, u"4"_s, u"6"_s, u"8"_s }));
        QCOMPARE(model.shownFramesSkippedWhilePaused(), 0);
    }

    void pausedRowsLeaveWhenTheRingDropsThem()
    {
        TrafficBuffer buffer(5);
        TrafficModel model(&buffer);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.apply(batch(5));
        model.setPaused(true);
        model.apply(batch(3, 5));
        QCOMPARE(shownIds(model), (QStringList { u"3"_s, u"4"_s }));
        model.apply(batch(10, 8));
        QCOMPARE(model.rowCount(), 0);
        model.setPaused(false);
        QCOMPARE(shownIds(model), (QStringList { u"13"_s, u"14"_s, u"15"_s, u"16"_s, u"17"_s }));
    }

    void findWrapsBothWays()
    {
        TrafficBuffer buffer(100);
        TrafficModel model(&buffer);
        model.apply(batch(10));
        const TrafficFilter what = filterOf(u"node-3 cmd=SEND"_s); // ids 2 and 8
        QCOMPARE(model.findRow(what, 0, true), 2);
        QCOMPARE(model.findRow(what, 2, true), 8);
        QCOMPARE(model.findRow(what, 8, true), 2);
        QCOMPARE(model.findRow(what, 2, false), 8);
        QCOMPARE(model.findRow(filterOf(u"nothing-like-this"_s), 0, true), -1);
        QCOMPARE(model.rowOfSeq(9), 8);
        QCOMPARE(model.rowOfSeq(999), -1);
    }

    void coloursAreStablePerSource()
    {
        TrafficBuffer buffer(10);
        TrafficModel model(&buffer);
        model.apply(batch(6));
        const QVariant first = model.index(0, TrafficModel::Source).data(Qt::ForegroundRole);
        QCOMPARE(model.index(3, TrafficModel::Source).data(Qt::ForegroundRole), first); // node-1 again
        QVERIFY(model.index(1, TrafficModel::Source).data(Qt::ForegroundRole) != first);
    }

    void capacityChangeKeepsTheNewestRows()
    {
        TrafficBuffer buffer(100);
        TrafficModel model(&buffer);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.apply(batch(20));
        model.setFilter(filterOf(u"cmd=SEND"_s));
        model.setBufferCapacity(6);
        QCOMPARE(shownIds(model), (QStringList { u"14"_s, u"16"_s, u"18"_s }));
        model.apply(batch(2, 20));
        QCOMPARE(shownIds(model), (QStringList { u"16"_s, u"18"_s, u"20"_s }));
    }

    void replaceAllShowsAnOpenedCapture()
    {
        TrafficBuffer buffer(100);
        TrafficModel model(&buffer);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.apply(batch(5));
        model.setPaused(true);
        model.replaceAll(batch(3, 100));
        QVERIFY(!model.isPaused());
        QCOMPARE(shownIds(model), (QStringList { u"100"_s, u"101"_s, u"102"_s }));
    }

    void clearEmptiesAndKeepsCapturing()
    {
        TrafficBuffer buffer(10);
        TrafficModel model(&buffer);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.apply(batch(6));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        model.apply(batch(2, 6));
        QCOMPARE(shownIds(model), (QStringList { u"6"_s, u"7"_s }));
    }
};

SB_TEST_GUILESS_MAIN(TestTrafficModel)
#include "tst_trafficmodel.moc"
