#include "models/ReplicaModel.h"
#include "models/SeriesHistory.h"
#include "support/TestMain.h"
#include "ui/HistoryChart.h"
#include "ui/ReplicasView.h"

#include <QAbstractItemModelTester>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineSeries>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTest>
#include <QValueAxis>

using namespace sb;
using namespace Qt::StringLiterals;
using inspect::ReplicaInfo;

namespace {

ReplicaInfo replica(const QString &id, qint64 ws, qint64 sse, ReplicaInfo::State state, const QDateTime &at)
{
    ReplicaInfo r;
    r.id = id;
    r.address = u"127.0.0.1:80"_s + id.right(1);
    r.state = state;
    r.stateSince = at;
    r.lastSeen = at;
    r.started = at.addSecs(-100);
    r.wsConnections = ws;
    r.sseConnections = sse;
    r.subscriptions = ws;
    return r;
}

} // namespace

class TestReplicasView : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_model = std::make_unique<models::ReplicaModel>();
        m_history = std::make_unique<models::SeriesHistory>();
        m_view = std::make_unique<ui::ReplicasView>(m_model.get(), m_history.get());
        m_view->resize(900, 700);
    }

    void cleanup()
    {
        m_view.reset();
        m_history.reset();
        m_model.reset();
    }

    void snapshotStateShowsVisibleRowsAsDisplayed()
    {
        QAbstractItemModelTester tester(
            m_view->proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        feed(now,
            { replica(u"node-1"_s, 30, 0, ReplicaInfo::State::Ready, now),
                replica(u"node-2"_s, 5, 0, ReplicaInfo::State::Ready, now),
                replica(u"node-3"_s, 4, 1, ReplicaInfo::State::Draining, now),
                replica(u"node-4"_s, 9, 9, ReplicaInfo::State::Down, now) });
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));

        // Sorted by WebSocket descending, as a user would click it.
        m_view->table()->sortByColumn(models::ReplicaModel::WsConnections, Qt::DescendingOrder);
        const QJsonObject state = m_view->snapshotState();
        const QJsonArray rows = state.value(u"rows"_s).toArray();
        QCOMPARE(rows.size(), 4);
        QStringList order;
        for (const auto &row : rows)
            order << row.toObject().value(u"Replica"_s).toString();
        QCOMPARE(order, (QStringList { u"node-1"_s, u"node-4"_s, u"node-2"_s, u"node-3"_s }));
        const QJsonObject first = rows.at(0).toObject();
        QCOMPARE(first.value(u"WebSocket"_s).toString(), u"30"_s);
        QCOMPARE(first.value(u"Uptime"_s).toString(), u"1m 40s"_s);
        QCOMPARE(first.value(u"In/s"_s).toString(), u"—"_s);
        QCOMPARE(first.size(), int(models::ReplicaModel::ColumnCount));
        QVERIFY(rows.at(1).toObject().value(u"State"_s).toString().startsWith(u"down since"_s));
        // Each cell as the table shows it.
        QCOMPARE(m_view->proxy()->index(0, models::ReplicaModel::Id).data().toString(), u"node-1"_s);

        const QJsonObject figures = state.value(u"figures"_s).toObject();
        QCOMPARE(figures.value(u"replicasUp"_s).toInt(), 3);
        QCOMPARE(figures.value(u"replicasDown"_s).toInt(), 1);
        QCOMPARE(figures.value(u"totalConnections"_s).toInt(), 40);
        // max 30 / mean (40/3) = 2.25
        QCOMPARE(figures.value(u"imbalance"_s).toDouble(), 2.25);
        QVERIFY(figures.value(u"imbalanceWarning"_s).toBool());
        QVERIFY(m_view->imbalanceWarningShown());
        QVERIFY(m_view->figuresText().contains(u"3 up · 1 down · 40 connections"_s));
        QCOMPARE(state.value(u"chartWindowMinutes"_s).toInt(), 5);
    }

    void balancedClusterHasNoWarning()
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        feed(now,
            { replica(u"a"_s, 10, 0, ReplicaInfo::State::Ready, now),
                replica(u"b"_s, 11, 0, ReplicaInfo::State::Ready, now) });
        QVERIFY(!m_view->imbalanceWarningShown());
        QCOMPARE(
            m_view->snapshotState().value(u"figures"_s).toObject().value(u"imbalance"_s).toDouble(), 1.05);
    }

    void chartWindowSwitchingAndTimerFollowsVisibility()
    {
        ui::HistoryChart *chart = m_view->chart();
        QVERIFY(!chart->isRefreshing()); // hidden: no timer
        // 20 minutes of history, one sample a second.
        const QDateTime end = QDateTime::currentDateTimeUtc();
        for (int s = 20 * 60; s >= 0; --s) {
            const QDateTime at = end.addSecs(-s);
            feed(at,
                { replica(u"a"_s, 5, 0, ReplicaInfo::State::Ready, at),
                    replica(u"b"_s, s < 60 ? 50 : 7, 0, ReplicaInfo::State::Ready, at) });
        }
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
        QVERIFY(chart->isRefreshing());

        auto *box = chart->findChild<QComboBox *>(u"chartWindow"_s);
        QVERIFY(box);
        QCOMPARE(box->count(), 4);

        // 1 and 5 min: every sample; 15 min (901 samples) and 60 min (all 1201): bucketed to
        // whole samples per point so that at most kMaxPoints are drawn.
        const qsizetype expected[] = { 61, 301, 451, 401 };
        const int minutes[] = { 1, 5, 15, 60 };
        for (int i = 0; i < 4; ++i) {
            box->setCurrentIndex(i);
            QCOMPARE(chart->windowMinutes(), minutes[i]);
            // The timer pushes the new window within a few ticks.
            QTRY_VERIFY_WITH_TIMEOUT(qAbs(chart->pointCount(u"a"_s) - expected[i]) <= 2, 2000);
            QVERIFY(chart->pointCount(u""_s) > 0); // the total
            QVERIFY(chart->pointCount(u"a"_s) <= ui::HistoryChart::kMaxPoints);
            QCOMPARE(m_view->snapshotState().value(u"chartWindowMinutes"_s).toInt(), minutes[i]);
        }
        // The total's peak is the last minute's 55, still visible in the 60-minute buckets.
        double peak = 0;
        for (const QPointF &p : chart->points(u""_s))
            peak = qMax(peak, p.y());
        QCOMPARE(peak, 55.0);

        // The value axis ends on a whole tick above the peak: 0 to 60 in steps of 20.
        auto *axis = qobject_cast<QValueAxis *>(
            chart->findChild<QChartView *>(u"historyChartView"_s)->chart()->axes(Qt::Vertical).value(0));
        QVERIFY(axis);
        QCOMPARE(axis->max(), 80.0);
        QCOMPARE(axis->tickCount(), 5);

        m_view->hide();
        QVERIFY(!chart->isRefreshing());
        m_view->show();
        QVERIFY(chart->isRefreshing());
    }

    // Rows stay one line high: sized when "up since …" arrived, the column used to wrap
    // "ready since …" and "draining since …" onto two lines.
    void stateColumnFitsEveryStateOnOneLine()
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        feed(now, { replica(u"a"_s, 1, 0, ReplicaInfo::State::Up, now) });
        auto *table = m_view->findChild<QTableView *>(u"replicasTable"_s);
        QVERIFY(table);
        QVERIFY(!table->wordWrap());
        QVERIFY(table->columnWidth(models::ReplicaModel::State)
            >= table->fontMetrics().horizontalAdvance(u"draining since 00:00:00"_s));
    }

    // Registry unreachable, replicas probed directly: the area says discovery is degraded and
    // why, each row says "alive, not ready: Redis unreachable" on one line, and state.json
    // carries both; when the registry answers again the banner goes.
    void degradedDiscoveryIsSaidOnScreenAndInTheSnapshot()
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        // Columns sized when the rows arrived, for "ready since …"; the longer state comes later.
        feed(now,
            { replica(u"a"_s, 3, 0, ReplicaInfo::State::Ready, now),
                replica(u"b"_s, 2, 1, ReplicaInfo::State::Ready, now) });
        ReplicaInfo a = replica(u"a"_s, 3, 0, ReplicaInfo::State::Unready, now);
        a.stateReason = u"Redis unreachable"_s;
        a.source = u"probe"_s;
        ReplicaInfo b = replica(u"b"_s, 2, 1, ReplicaInfo::State::Down, now);
        b.detail = u"registry unreadable (Redis unreachable: connection refused); its own probes fail: "
                   u"/healthz/live: connection refused"_s;
        feed(now, { a, b });
        const QString reason
            = u"Discovery is degraded: the replica registry cannot be read (Redis unreachable: "
              u"connection refused). The 2 replica(s) it listed last are probed at their own addresses."_s;
        m_view->setDiscoveryDegraded(reason);
        m_view->resize(1920, 400);
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));

        auto *banner = m_view->findChild<QLabel *>(u"discoveryDegradedBanner"_s);
        QVERIFY(banner && banner->isVisible());
        QCOMPARE(banner->toolTip(), reason);
        QCOMPARE(banner->text(), reason); // 1920 px: it fits whole
        // In the Replicas area of a 1280x800 window (557x293) it stays one line, what fits of
        // it, the whole reason in its tooltip: wrapped it took four lines and left one row.
        m_view->resize(557, 293);
        QTRY_VERIFY(banner->text() != reason);
        QVERIFY2(banner->text().startsWith(u"Discovery is degraded: the replica registry cannot be read"_s),
            qPrintable(banner->text()));
        QVERIFY(banner->text().endsWith(QChar(0x2026)));
        QVERIFY(banner->fontMetrics().horizontalAdvance(banner->text()) <= banner->contentsRect().width());
        QVERIFY(banner->height() < 2 * banner->fontMetrics().height());
        QVERIFY(m_view->width() <= 557); // a long reason does not widen the area
        QCOMPARE(banner->toolTip(), reason);
        m_view->resize(1920, 400);
        QTRY_COMPARE(banner->text(), reason);
        QVERIFY(m_view->figuresText().startsWith(u"1 up (1 not ready) · 1 down · 3 connections"_s));
        // The longer state arrived after the columns were sized: its column grew to fit it.
        auto *table = m_view->table();
        const QString shown
            = m_model->index(m_model->rowOf(u"a"_s), models::ReplicaModel::State).data().toString();
        QVERIFY(shown.startsWith(u"alive, not ready: Redis unreachable since "_s));
        QVERIFY2(
            table->columnWidth(models::ReplicaModel::State) >= table->fontMetrics().horizontalAdvance(shown),
            qPrintable(QString::number(table->columnWidth(models::ReplicaModel::State))));

        const QJsonObject state = m_view->snapshotState();
        QVERIFY(state.value(u"discoveryDegraded"_s).toBool());
        QCOMPARE(state.value(u"discoveryDegradedReason"_s).toString(), reason);
        const QJsonArray states = state.value(u"replicaStates"_s).toArray();
        QCOMPARE(states.size(), 2);
        QCOMPARE(states.at(0).toObject().value(u"id"_s).toString(), u"a"_s);
        QCOMPARE(states.at(0).toObject().value(u"state"_s).toString(), u"unready"_s);
        QCOMPARE(states.at(0).toObject().value(u"stateText"_s).toString(),
            u"alive, not ready: Redis unreachable"_s);
        QCOMPARE(states.at(0).toObject().value(u"reason"_s).toString(), u"Redis unreachable"_s);
        QCOMPARE(states.at(0).toObject().value(u"connections"_s).toInt(), 3);
        QCOMPARE(states.at(0).toObject().value(u"source"_s).toString(), u"probe"_s);
        QCOMPARE(states.at(1).toObject().value(u"state"_s).toString(), u"down"_s);
        QVERIFY(states.at(1).toObject().value(u"reason"_s).toString().contains(u"its own probes fail"_s));
        QCOMPARE(state.value(u"figures"_s).toObject().value(u"replicasNotReady"_s).toInt(), 1);

        m_view->setDiscoveryDegraded(QString());
        QVERIFY(!banner->isVisible());
        QVERIFY(!m_view->snapshotState().value(u"discoveryDegraded"_s).toBool());
    }

    // Ticks printed as whole numbers must be whole numbers: 0..7 in 5 ticks printed "%d"
    // read "0 1 3 5 7"; 0..1 read "0 0 0 0 1".
    void valueAxisTicksAreWholeNumbers_data()
    {
        QTest::addColumn<double>("peak");
        QTest::addColumn<qint64>("top");
        QTest::addColumn<int>("ticks");
        QTest::newRow("nothing yet") << 0.0 << qint64(1) << 2;
        QTest::newRow("one") << 1.0 << qint64(2) << 3;
        QTest::newRow("seven") << 7.0 << qint64(8) << 5;
        QTest::newRow("fifty-five") << 55.0 << qint64(80) << 5;
        QTest::newRow("lag of 1234") << 1234.0 << qint64(1500) << 4;
        QTest::newRow("a million") << 1e6 << qint64(1500000) << 4;
    }
    void valueAxisTicksAreWholeNumbers()
    {
        QFETCH(double, peak);
        QFETCH(qint64, top);
        QFETCH(int, ticks);
        const ui::HistoryChart::IntegerScale scale = ui::HistoryChart::integerScale(peak);
        QCOMPARE(scale.top, top);
        QCOMPARE(scale.ticks, ticks);
        QVERIFY(scale.top >= peak);
        QCOMPARE(scale.top % (scale.ticks - 1), 0); // every tick a whole number
    }

    void crowdedValueLabelsTakeFewerSteps()
    {
        QCOMPARE(ui::HistoryChart::valueStepLimit(400, 15), 5);
        QCOMPARE(ui::HistoryChart::valueStepLimit(105, 15), 2);
        QCOMPARE(ui::HistoryChart::valueStepLimit(40, 15), 1);
        // The legend only where its entries fit: wide enough, tall enough, not dozens.
        QVERIFY(ui::HistoryChart::legendFits(4, 600, 200, 15));
        QVERIFY(!ui::HistoryChart::legendFits(4, 400, 200, 15));
        QVERIFY(!ui::HistoryChart::legendFits(5, 700, 90, 15)); // five entries of 21 px in 90 px
        QVERIFY(!ui::HistoryChart::legendFits(51, 1600, 1200, 15));
        // 55 in two steps: 0, 50, 100; in one: 0, 100.
        QCOMPARE(ui::HistoryChart::integerScale(55, 2).top, qint64(100));
        QCOMPARE(ui::HistoryChart::integerScale(55, 2).ticks, 3);
        QCOMPARE(ui::HistoryChart::integerScale(55, 1).ticks, 2);
    }

    void timeLabelsFitTheirWidth()
    {
        QCOMPARE(ui::HistoryChart::timeTickCount(200, 50), 2);
        QCOMPARE(ui::HistoryChart::timeTickCount(400, 50), 4);
        QCOMPARE(ui::HistoryChart::timeTickCount(2000, 50), 6);
        QCOMPARE(ui::HistoryChart::timeTickCount(0, 50), 2);
    }

    // Replicas with equal connection counts: every line stays visible, not just the one
    // drawn last on top of the others.
    void equalLinesStayVisible()
    {
        const QDateTime end = QDateTime::currentDateTimeUtc();
        for (int s = 120; s >= 0; --s) {
            const QDateTime at = end.addSecs(-s);
            feed(at,
                { replica(u"a"_s, 5, 0, ReplicaInfo::State::Ready, at),
                    replica(u"b"_s, 5, 0, ReplicaInfo::State::Ready, at),
                    replica(u"c"_s, 5, 0, ReplicaInfo::State::Ready, at) });
        }
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
        ui::HistoryChart *chart = m_view->chart();
        QTRY_VERIFY(chart->pointCount(u"c"_s) > 100);
        auto *view = chart->findChild<QChartView *>(u"historyChartView"_s);
        QVERIFY(view);
        QHash<QString, QColor> colours;
        for (QAbstractSeries *series : view->chart()->series())
            if (auto *line = qobject_cast<QLineSeries *>(series); line && line->name().size() == 1)
                colours.insert(line->name(), line->color());
        QCOMPARE(colours.size(), 3);
        QCOMPARE(
            QSet<QRgb>({ colours[u"a"_s].rgb(), colours[u"b"_s].rgb(), colours[u"c"_s].rgb() }).size(), 3);

        auto pixelsOf = [&](const QImage &image, const QColor &colour) {
            int n = 0;
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x)
                    n += image.pixelColor(x, y).rgb() == colour.rgb() ? 1 : 0;
            return n;
        };
        // Each line shows along most of the plot (the plot is hundreds of pixels wide).
        QString counts;
        auto everyLineShows = [&] {
            const QImage image = view->grab().toImage();
            bool all = true;
            counts.clear();
            for (auto it = colours.cbegin(); it != colours.cend(); ++it) {
                const int n = pixelsOf(image, it.value());
                counts += it.key() + u": "_s + QString::number(n) + u" px  "_s;
                all = all && n >= 150;
            }
            return all;
        };
        QTRY_VERIFY2_WITH_TIMEOUT(everyLineShows(), qPrintable(counts), 3000);
    }

private:
    void feed(const QDateTime &at, const QList<ReplicaInfo> &replicas)
    {
        inspect::ReplicaSnapshot snapshot;
        snapshot.at = at;
        snapshot.replicas = replicas;
        m_history->appendReplicaConnections(snapshot);
        m_model->apply(snapshot);
    }

    std::unique_ptr<models::ReplicaModel> m_model;
    std::unique_ptr<models::SeriesHistory> m_history;
    std::unique_ptr<ui::ReplicasView> m_view;
};

SB_TEST_MAIN(TestReplicasView)
#include "tst_replicasview.moc"
