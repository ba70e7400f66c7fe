#pragma once

#include "models/RecordingStore.h"

#include <QJsonObject>
#include <QObject>

#include <functional>

namespace sb::models {

// Saves a session recording off the GUI thread. What is saved is taken when the job is made,
// on the GUI thread and cheaply: a copy of the store (its samples shared, not copied; the
// live store goes on recording) and a builder for the extra sections that holds its own
// copies (the Traffic frames). On a pool thread the builder runs, and the JSON is made,
// compressed and written atomically (RecordingStore::save, QSaveFile); each step and the
// outcome come back queued to the GUI thread. The pool task owns everything it reads: if
// the job or its window is destroyed meanwhile the file is still finished, and the
// application waits for the global pool before it exits.
class RecordingSaveJob : public QObject
{
    Q_OBJECT
public:
    // Runs on the pool thread: it may read only what it holds.
    using ExtrasBuilder = std::function<QJsonObject()>;

    RecordingSaveJob(RecordingStore recording, ExtrasBuilder extras, QString path, QObject *parent = nullptr);
    // A job that starts at once, calls `done` on the GUI thread once the file is written or
    // has failed, then deletes itself: the headless `--save-recording` (ConsoleController),
    // which has no window to report to. `done` is not called if `parent` is destroyed first.
    using Done = std::function<void(bool ok, const QString &error)>;
    static RecordingSaveJob *startSave(
        RecordingStore recording, ExtrasBuilder extras, QString path, QObject *parent, Done done);

    void start();
    const QString &path() const { return m_path; }
    bool isRunning() const { return m_running; }

signals:
    void progress(const QString &step); // "compressing 82.4 MB"
    void finished(bool ok, const QString &error);

private:
    RecordingStore m_recording;
    ExtrasBuilder m_extras;
    QString m_path;
    bool m_running = false;
};

} // namespace sb::models
