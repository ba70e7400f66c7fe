#pragma once

#include "app/ConsoleSnapshotSettling.h"

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>

namespace sb::app {

// When `--snapshot DIR` is written, and what goes with it. At `--snapshot-after` seconds;
// with `--snapshot-settled` as soon as the console has settled (ConsoleSnapshotSettling) at
// two Replicas polls in a row, that time being the latest. Then the `--save-recording`
// file, saved off the GUI thread (the event loop keeps turning): finished() comes once it is
// written. finished() carries the exit code: 0, or 1 when a write failed (said on stderr).
class ConsoleSnapshotSchedule : public QObject
{
    Q_OBJECT
public:
    struct Writers
    {
        std::function<bool(const QString &directory, QString *error)> snapshot;
        // Starts the save and returns; calls `done` (on this thread) once the file is written
        // or has failed. Empty: no --save-recording.
        using RecordingDone = std::function<void(bool ok, const QString &error)>;
        std::function<void(RecordingDone done)> recording;
    };

    // `settling`: what still moves now; empty for a replay, which never moves.
    ConsoleSnapshotSchedule(QString directory, int afterSeconds, bool whenSettled,
        std::function<ConsoleSnapshotSettling()> settling, QObject *parent = nullptr);

    // Arms the latest time; nothing is written before this.
    void start(Writers writers);
    // After each Replicas poll: with --snapshot-settled, counts the settled ones in a row.
    void replicasPolled();
    // For state.json, with --snapshot-settled: {"settled": bool, "unsettled": [...]}, as judged
    // when the snapshot was taken (once it is).
    QJsonObject settledJson() const;

private:
    bool settled() const { return m_settledPolls >= 2; }
    void takeAtTheLatest();
    void take(QStringList unsettled);

    QString m_directory;
    int m_afterSeconds;
    bool m_whenSettled;
    std::function<ConsoleSnapshotSettling()> m_settling;
    Writers m_writers;
    bool m_started = false;
    bool m_taken = false;
    int m_settledPolls = 0; // Replicas polls in a row that found the console settled
    bool m_settledWhenTaken = false;
    QStringList m_unsettledWhenTaken;

signals:
    void finished(int exitCode);
};

} // namespace sb::app
