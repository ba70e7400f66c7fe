#include "models/RecordingOpenJob.h"

#include "models/GuiThreadHandOff.h"

#include <QLocale>
#include <QThreadPool>

namespace sb::models {

std::shared_ptr<RecordingOpenJob::Opened> RecordingOpenJob::prepare(
    RecordingReplay replay, const Progress &progress)
{
    const auto report = [&progress](const QString &step) {
        if (progress)
            progress(step);
    };
    auto opened = std::shared_ptr<Opened>(new Opened { std::move(replay), {},
        std::make_unique<SeriesHistory>(kHistoryCapacity), std::make_unique<SeriesHistory>(kHistoryCapacity),
        std::make_unique<SeriesHistory>(kHistoryCapacity),
        std::make_unique<SeriesHistory>(kHistoryCapacity) });
    if (opened->replay.hasRecordedTraffic()) {
        report(QStringLiteral("decoding the recorded frames"));
        opened->frames = opened->replay.recordedFrames();
    }
    report(QStringLiteral("drawing %1 samples").arg(QLocale().toString(opened->replay.sampleCount())));
    opened->replay.fillReplicaConnections(opened->connections.get());
    opened->replay.fillGroupLag(opened->lag.get());
    opened->replay.fillSessionCounts(opened->sessions.get());
    opened->replay.fillFrameRates(opened->frameRates.get());
    return opened;
}

RecordingOpenJob::RecordingOpenJob(QString path, QObject *parent)
    : QObject(parent)
    , m_path(std::move(path))
{
    qRegisterMetaType<std::shared_ptr<sb::models::RecordingOpenJob::Opened>>();
}

void RecordingOpenJob::start()
{
    if (m_running)
        return;
    m_running = true;
    const auto toGuiThread = guiThreadHandOff(this);
    QThreadPool::globalInstance()->start([toGuiThread, path = m_path] {
        const auto report = [&toGuiThread](const QString &step) {
            toGuiThread([step](RecordingOpenJob *job) { emit job->progress(step); });
        };
        report(QStringLiteral("reading %1").arg(path));
        QString error;
        auto loaded = RecordingStore::load(path, &error);
        std::shared_ptr<Opened> opened;
        if (loaded)
            opened = prepare(RecordingReplay(std::move(*loaded)), report);
        toGuiThread([opened, error](RecordingOpenJob *job) {
            job->m_running = false;
            emit job->finished(opened, error);
        });
    });
}

} // namespace sb::models
