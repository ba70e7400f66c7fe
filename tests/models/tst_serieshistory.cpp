#include "models/SeriesHistory.h"
#include "support/TestMain.h"

#include <QJsonArray>
#include <QTest>

using namespace sb;
using namespace Qt::StringLiterals;
using models::SeriesHistory;

class TestSeriesHistory : public QObject
{
    Q_OBJECT

private slots:
    void replicaConnectionsPerSeriesAndTotal()
    {
        SeriesHistory history;
        const QDateTime t0 = QDateTime::fromMSecsSinceEpoch(1714550400000, Qt::UTC);
        for (int s = 0; s < 5; ++s) {
            inspect::ReplicaSnapshot snapshot;
            snapshot.at = t0.addSecs(s);
            inspect::ReplicaInfo a;
            a.id = u"a"_s;
            a.wsConnections = 10 + s;
            inspect::ReplicaInfo b;
            b.id = u"b"_s;
            b.sseConnections = 3;
            b.state = s >= 3 ? inspect::ReplicaInfo::State::Down : inspect::ReplicaInfo::State::Ready;
            snapshot.replicas = { a, b };
            history.appendReplicaConnections(snapshot);
        }
        QCOMPARE(history.seriesIds(), (QStringList { u"a"_s, u"b"_s }));
        QCOMPARE(history.sampleCount(u"a"_s), 5);
        QList<QPointF> points;
        history.points(u"b"_s, 0, t0.addSecs(10).toMSecsSinceEpoch(), 100, &points);
        QCOMPARE(points.size(), 5);
        QCOMPARE(points.at(2).y(), 3.0);
        QCOMPARE(points.at(3).y(), 0.0); // down serves nobody
        history.totalPoints(0, t0.addSecs(10).toMSecsSinceEpoch(), 100, &points);
        QCOMPARE(points.size(), 5);
        QCOMPARE(points.at(0).y(), 13.0);
        QCOMPARE(points.at(4).y(), 14.0); // b is down
        QCOMPARE(qint64(points.at(4).x()), t0.addSecs(4).toMSecsSinceEpoch());

        const QJsonObject json = history.toJson(t0.addSecs(3).toMSecsSinceEpoch());
        QCOMPARE(json.value(u"format"_s).toString(), u"switchboard-series-history/1"_s);
        QCOMPARE(json.value(u"total"_s).toArray().size(), 2);
        QCOMPARE(json.value(u"series"_s).toObject().value(u"a"_s).toArray().at(0).toArray().at(1).toDouble(),
            13.0);
    }

    void ringIsBoundedAndKeepsTheNewest()
    {
        SeriesHistory history(100);
        const qint64 t0 = 1714550400000;
        for (int i = 0; i < 1000; ++i)
            history.append(u"a"_s, t0 + i * 1000, i);
        QCOMPARE(history.sampleCount(u"a"_s), 100);
        QList<QPointF> points;
        history.points(u"a"_s, 0, t0 + 2000000, 1000, &points);
        QCOMPARE(points.size(), 100);
        QCOMPARE(points.first().y(), 900.0);
        QCOMPARE(points.last().y(), 999.0);
        // A window picks its samples by time.
        history.points(u"a"_s, t0 + 990000, t0 + 995000, 1000, &points);
        QCOMPARE(points.size(), 6);
        QCOMPARE(points.first().y(), 990.0);
    }

    void downsamplingKeepsPeaks()
    {
        SeriesHistory history;
        const qint64 t0 = 1714550400000;
        for (int i = 0; i < 3600; ++i)
            history.append(u"a"_s, t0 + i * 1000, i == 1234 ? 500 : 10);
        QList<QPointF> points;
        history.points(u"a"_s, t0, t0 + 3600 * 1000, 600, &points);
        QVERIFY(points.size() <= 600);
        QVERIFY(points.size() >= 590);
        double peak = 0;
        for (const QPointF &p : std::as_const(points))
            peak = qMax(peak, p.y());
        QCOMPARE(peak, 500.0);
    }

    void seriesCountIsBounded()
    {
        SeriesHistory history(10);
        for (int i = 0; i < SeriesHistory::kMaxSeries + 10; ++i)
            history.append(QString::number(i), 1000, 1);
        QCOMPARE(history.seriesIds().size(), SeriesHistory::kMaxSeries);
    }
};

SB_TEST_APPLESS_MAIN(TestSeriesHistory)
#include "tst_serieshistory.moc"
