// ConsoleSnapshotSchedule: when --snapshot is written and what goes with it. With
// --snapshot-settled it is written at the second settled Replicas poll in a row, not before
// and not twice; at the latest time whatever the state; a failed write is exit code 1 and
// stops what follows; a replay (no settling) is written at the time asked.
#include "app/ConsoleSnapshotSchedule.h"
#include "support/TestMain.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using sb::app::ConsoleSnapshotSchedule;
using sb::app::ConsoleSnapshotSettling;

namespace {
// A console that has settled or is still moving (a script step not run), as the test says,
// and counts what the schedule writes.
struct Console
{
    bool moving = false;
    int snapshots = 0;
    int recordings = 0;
    bool snapshotFails = false;
    bool recordingFails = false;

    ConsoleSnapshotSettling settling() const
    {
        ConsoleSnapshotSettling settling;
        settling.attached = true;
        settling.replicas.append({ QStringLiteral("node-1"), sb::inspect::ReplicaInfo::State::Ready });
        settling.scriptSteps = 1;
        settling.scriptStepsRun = moving ? 0 : 1;
        return settling;
    }
    ConsoleSnapshotSchedule::Writers writers(bool withRecording)
    {
        ConsoleSnapshotSchedule::Writers writers;
        writers.snapshot = [this](const QString &, QString *error) {
            ++snapshots;
            if (snapshotFails)
                *error = QStringLiteral("disk full");
            return !snapshotFails;
        };
        if (withRecording) {
            writers.recording = [this](QString *error) {
                ++recordings;
                if (recordingFails)
                    *error = QStringLiteral("disk full");
                return !recordingFails;
            };
        }
        return writers;
    }
};
} // namespace

class TestConsoleSnapshotSchedule : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writtenAtTheSecondSettledPollInARow()
    {
        Console console;
        ConsoleSnapshotSchedule schedule(
            QStringLiteral("/tmp/unused"), 600, true, [&] { return console.settling(); });
        QSignalSpy finished(&schedule, &ConsoleSnapshotSchedule::finished);
        schedule.replicasPolled(); // before start(): nothing is counted
        schedule.start(console.writers(true));
        schedule.replicasPolled();
        QCOMPARE(console.snapshots, 0);
        console.moving = true;
        schedule.replicasPolled(); // the row is broken
        console.moving = false;
        schedule.replicasPolled();
        QCOMPARE(console.snapshots, 0);
        QCOMPARE(schedule.settledJson().value(QStringLiteral("settled")).toBool(), false);
        schedule.replicasPolled();
        QCOMPARE(console.snapshots, 1);
        QCOMPARE(console.recordings, 1);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.at(0).at(0).toInt(), 0);
        QCOMPARE(schedule.settledJson().value(QStringLiteral("settled")).toBool(), true);
        QVERIFY(schedule.settledJson().value(QStringLiteral("unsettled")).toArray().isEmpty());
        schedule.replicasPolled();
        schedule.replicasPolled();
        QCOMPARE(console.snapshots, 1); // once
    }

    void stateSaysWhatTheSnapshotWasTakenOn()
    {
        // A simulated user churning between the settled poll and the write (seen in the
        // sanitizer suite: "1 of 60 simulated users connecting" in a snapshot taken settled).
        Console console;
        ConsoleSnapshotSchedule schedule(
            QStringLiteral("/tmp/unused"), 600, true, [&] { return console.settling(); });
        QJsonObject written;
        ConsoleSnapshotSchedule::Writers writers;
        writers.snapshot = [&](const QString &, QString *) {
            console.moving = true;
            written = schedule.settledJson();
            return true;
        };
        schedule.start(writers);
        schedule.replicasPolled();
        schedule.replicasPolled();
        QCOMPARE(written.value(QStringLiteral("settled")).toBool(), true);
        QVERIFY(written.value(QStringLiteral("unsettled")).toArray().isEmpty());
        QCOMPARE(schedule.settledJson(), written); // and it stays what it was
    }

    void writtenAtTheLatestTimeWhenNeverSettled()
    {
        Console console;
        console.moving = true;
        ConsoleSnapshotSchedule schedule(
            QStringLiteral("/tmp/unused"), 0, true, [&] { return console.settling(); });
        QSignalSpy finished(&schedule, &ConsoleSnapshotSchedule::finished);
        schedule.start(console.writers(false));
        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(finished.at(0).at(0).toInt(), 0);
        QCOMPARE(console.snapshots, 1);
        const QJsonObject settled = schedule.settledJson();
        QCOMPARE(settled.value(QStringLiteral("settled")).toBool(), false);
        QCOMPARE(settled.value(QStringLiteral("unsettled")).toArray().size(), 1);
    }

    void withoutSettlingOnlyTheTimeCounts()
    {
        Console console;
        ConsoleSnapshotSchedule schedule(
            QStringLiteral("/tmp/unused"), 0, false, [&] { return console.settling(); });
        QSignalSpy finished(&schedule, &ConsoleSnapshotSchedule::finished);
        schedule.start(console.writers(false));
        schedule.replicasPolled();
        schedule.replicasPolled();
        QCOMPARE(console.snapshots, 0); // not at a poll: at the time
        QVERIFY(schedule.settledJson().isEmpty());
        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(console.snapshots, 1);

        // A replay: no settling at all, even when --snapshot-settled was given.
        Console replay;
        ConsoleSnapshotSchedule replaySchedule(QStringLiteral("/tmp/unused"), 0, true, {});
        QSignalSpy replayFinished(&replaySchedule, &ConsoleSnapshotSchedule::finished);
        replaySchedule.start(replay.writers(false));
        QVERIFY(replaySchedule.settledJson().isEmpty());
        QTRY_COMPARE(replayFinished.size(), 1);
        QCOMPARE(replayFinished.at(0).at(0).toInt(), 0);
        QCOMPARE(replay.snapshots, 1);
    }

    void aFailedWriteIsExitCodeOne()
    {
        Console console;
        console.snapshotFails = true;
        ConsoleSnapshotSchedule schedule(
            QStringLiteral("/tmp/unused"), 600, true, [&] { return console.settling(); });
        QSignalSpy finished(&schedule, &ConsoleSnapshotSchedule::finished);
        schedule.start(console.writers(true));
        schedule.replicasPolled();
        schedule.replicasPolled();
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.at(0).at(0).toInt(), 1);
        QCOMPARE(console.recordings, 0); // no recording after a failed snapshot

        Console recording;
        recording.recordingFails = true;
        ConsoleSnapshotSchedule second(
            QStringLiteral("/tmp/unused"), 600, true, [&] { return recording.settling(); });
        QSignalSpy secondFinished(&second, &ConsoleSnapshotSchedule::finished);
        second.start(recording.writers(true));
        second.replicasPolled();
        second.replicasPolled();
        QCOMPARE(recording.snapshots, 1);
        QCOMPARE(secondFinished.size(), 1);
        QCOMPARE(secondFinished.at(0).at(0).toInt(), 1);
    }

    void noDirectoryNoSnapshot()
    {
        Console console;
        ConsoleSnapshotSchedule schedule(QString(), 0, true, [&] { return console.settling(); });
        QSignalSpy finished(&schedule, &ConsoleSnapshotSchedule::finished);
        schedule.start(console.writers(false));
        schedule.replicasPolled();
        schedule.replicasPolled();
        QTest::qWait(50); // the 0 s timer would have fired by now, had it been armed
        QCOMPARE(finished.size(), 0);
        QCOMPARE(console.snapshots, 0);
    }
};

SB_TEST_GUILESS_MAIN(TestConsoleSnapshotSchedule)
#include "tst_consolesnapshotschedule.moc"
