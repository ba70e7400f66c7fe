// RecordingReplay (issue 11): which sample holds at a moment, --at's forms and its refusals,
// and the chart series read back from the samples (a down replica is 0, an uncounted one is
// no point, a displayed "1,250" lag is 1250; sessions, tokens and frame rates per sample),
// and the traffic section's frames, kept through a save and a load, in time order.
#include "RecordingFixture.h"
#include "models/RecordingReplay.h"
#include "models/SeriesHistory.h"
#include "support/TestMain.h"

#include <QTemporaryDir>
#include <QTest>

using namespace sb;

class TestRecordingReplay : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sampleAtIsTheLastOneAtOrBefore()
    {
        const models::RecordingReplay replay(test::threeSampleRecording());
        const QDateTime t0 = test::kRecordingStart;
        QCOMPARE(replay.sampleIndexAt(t0.addSecs(-60)), 0);
        QCOMPARE(replay.sampleIndexAt(t0), 0);
        QCOMPARE(replay.sampleIndexAt(t0.addMSecs(4999)), 0);
        QCOMPARE(replay.sampleIndexAt(t0.addSecs(5)), 1);
        QCOMPARE(replay.sampleIndexAt(t0.addSecs(9)), 1);
        QCOMPARE(replay.sampleIndexAt(t0.addSecs(3600)), 2);
        QCOMPARE(models::RecordingReplay(models::RecordingStore()).sampleIndexAt(t0), -1);
    }

    void targetComesFromTheAttachment()
    {
        QCOMPARE(models::RecordingReplay(test::threeSampleRecording()).target(),
            QStringLiteral("embedded demo cluster"));
        models::RecordingStore unnamed;
        unnamed.append(test::kRecordingStart, QJsonObject {});
        QCOMPARE(models::RecordingReplay(unnamed).target(), QStringLiteral("an unnamed cluster"));
    }

    void atAcceptsIsoTimeOfDayAndOffset()
    {
        const models::RecordingReplay replay(test::threeSampleRecording());
        QString error;
        QCOMPARE(replay.parseAt(QStringLiteral("+5"), &error), test::kRecordingStart.addSecs(5));
        QCOMPARE(
            replay.parseAt(QStringLiteral("2025-12-05T23:00:07Z"), &error), test::kRecordingStart.addSecs(7));
        const QString local
            = test::kRecordingStart.addSecs(10).toLocalTime().toString(QStringLiteral("HH:mm:ss"));
        QCOMPARE(replay.parseAt(local, &error), test::kRecordingStart.addSecs(10));
    }

    void atRefusesGarbageAndTimesOutside_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("words") << QStringLiteral("soon") << QStringLiteral("is not a time");
        QTest::newRow("empty") << QString() << QStringLiteral("is not a time");
        QTest::newRow("bad time of day") << QStringLiteral("25:61") << QStringLiteral("is not a time");
        QTest::newRow("past the end") << QStringLiteral("+60") << QStringLiteral("outside the recording");
        QTest::newRow("before the start")
            << QStringLiteral("2025-12-05T22:00:00Z") << QStringLiteral("outside the recording");
    }
    void atRefusesGarbageAndTimesOutside()
    {
        QFETCH(QString, text);
        QFETCH(QString, mentions);
        const models::RecordingReplay replay(test::threeSampleRecording());
        QString error;
        QVERIFY(!replay.parseAt(text, &error));
        QVERIFY2(error.contains(mentions), qPrintable(error));
        QVERIFY(!models::RecordingReplay(models::RecordingStore()).parseAt(QStringLiteral("+0"), &error));
        QVERIFY2(error.contains(QStringLiteral("no samples")), qPrintable(error));
    }

    void replicaConnectionsPerSampleWithDownAsZero()
    {
        const models::RecordingReplay replay(test::threeSampleRecording());
        models::SeriesHistory history(100);
        replay.fillReplicaConnections(&history);
        QList<QPointF> points;
        const qint64 from = test::kRecordingStart.toMSecsSinceEpoch();
        history.points(QStringLiteral("node-1"), from, from + 10000, 100, &points);
        QCOMPARE(points.size(), 3);
        QCOMPARE(points.at(2).y(), 22.0);
        history.points(QStringLiteral("node-2"), from, from + 10000, 100, &points);
        QCOMPARE(points.size(), 3);
        QCOMPARE(points.at(0).y(), 20.0);
        QCOMPARE(points.at(1).y(), 0.0); // down: serves nobody
        history.totalPoints(from, from + 10000, 100, &points);
        QCOMPARE(points.size(), 3);
        QCOMPARE(points.at(0).y(), 40.0);
        QCOMPARE(points.at(1).y(), 21.0);
    }

    void groupLagReadsDisplayedNumbers()
    {
        const models::RecordingReplay replay(test::threeSampleRecording());
        models::SeriesHistory history(100);
        replay.fillGroupLag(&history);
        QList<QPointF> points;
        const qint64 from = test::kRecordingStart.toMSecsSinceEpoch();
        history.points(QStringLiteral("switchboard-notifications"), from, from + 10000, 100, &points);
        QCOMPARE(points.size(), 3);
        QCOMPARE(points.at(1).y(), 10.0);
        QCOMPARE(points.at(2).y(), 1250.0);
    }

    void sessionCountsAndFrameRatesPerSample()
    {
        const models::RecordingReplay replay(test::threeSampleRecording());
        const qint64 from = test::kRecordingStart.toMSecsSinceEpoch();
        QList<QPointF> points;
        models::SeriesHistory sessions(100);
        replay.fillSessionCounts(&sessions);
        sessions.points(QStringLiteral("sessions"), from, from + 10000, 100, &points);
        QCOMPARE(points,
            (QList<QPointF> {
                { double(from), 10 }, { double(from + 5000), 11 }, { double(from + 10000), 12 } }));
        sessions.points(QStringLiteral("tokens"), from, from + 10000, 100, &points);
        QCOMPARE(points.size(), 3);
        QCOMPARE(points.at(2).y(), 7.0);
        models::SeriesHistory rates(100);
        replay.fillFrameRates(&rates);
        QCOMPARE(rates.seriesIds(), QStringList { QStringLiteral("node-1 stomp") });
        rates.points(QStringLiteral("node-1 stomp"), from, from + 10000, 100, &points);
        QCOMPARE(points.size(), 3);
        QCOMPARE(points.at(1).y(), 3.0);
        rates.totalPoints(from, from + 10000, 100, &points);
        QCOMPARE(points.size(), 3);
        QCOMPARE(points.at(2).y(), 7.0);
    }

    void trafficSectionSurvivesSaveAndLoadInTimeOrder()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("r.sbrec.json"));
        QString error;
        QVERIFY2(test::threeSampleRecording().save(path, &error, test::recordedTrafficSection()),
            qPrintable(error));
        auto loaded = models::RecordingStore::load(path, &error);
        QVERIFY2(loaded, qPrintable(error));
        const models::RecordingReplay replay(std::move(*loaded));
        QVERIFY(replay.hasRecordedTraffic());
        QCOMPARE(replay.omittedFrames(), 0);
        const QList<protocol::TrafficFrame> frames = replay.recordedFrames();
        QCOMPARE(frames.size(), 4);
        QStringList order;
        for (const protocol::TrafficFrame &frame : frames)
            order << frame.command + u' ' + frame.user;
        QCOMPARE(order,
            (QStringList { QStringLiteral("SEND alice"), QStringLiteral("MESSAGE alice"),
                QStringLiteral("SEND bob"), QStringLiteral("MESSAGE bob") }));
        QCOMPARE(frames.at(2).tsMs, test::kRecordingStart.addSecs(6).toMSecsSinceEpoch());
        QCOMPARE(frames.at(0).body, QByteArrayLiteral("{\"text\":\"hi\"}"));
        QVERIFY(!models::RecordingReplay(test::threeSampleRecording()).hasRecordedTraffic());
    }
};

SB_TEST_APPLESS_MAIN(TestRecordingReplay)
#include "tst_recordingreplay.moc"
