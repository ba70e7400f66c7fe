#include "models/RecordingSaveJob.h"

#include "models/GuiThreadHandOff.h"

#include <QThreadPool>

namespace sb::models {

RecordingSaveJob::RecordingSaveJob(
    RecordingStore recording, ExtrasBuilder extras, QString path, QObject *parent)
    : QObject(parent)
    , m_recording(std::move(recording))
    , m_extras(std::move(extras))
    , m_path(std::move(path))
{ }

RecordingSaveJob *RecordingSaveJob::startSave(
    RecordingStore recording, ExtrasBuilder extras, QString path, QObject *parent, Done done)
{
    auto *job = new RecordingSaveJob(std::move(recording), std::move(extras), std::move(path), parent);
    connect(
        job, &RecordingSaveJob::finished, job, [job, done = std::move(done)](bool ok, const QString &error) {
            job->deleteLater();
            if (done)
                done(ok, error);
        });
    job->start();
    return job;
}

void RecordingSaveJob::start()
{
    if (m_running)
        return;
    m_running = true;
    const auto toGuiThread = guiThreadHandOff(this);
    QThreadPool::globalInstance()->start(
        [toGuiThread, recording = m_recording, extras = m_extras, path = m_path] {
            const auto report = [&toGuiThread](const QString &step) {
                toGuiThread([step](RecordingSaveJob *job) { emit job->progress(step); });
            };
            if (extras)
                report(QStringLiteral("encoding the Traffic frames"));
            const QJsonObject extra = extras ? extras() : QJsonObject();
            QString error;
            const bool ok = recording.save(path, &error, extra, report);
            toGuiThread([ok, error](RecordingSaveJob *job) {
                job->m_running = false;
                emit job->finished(ok, error);
            });
        });
}

} // namespace sb::models
