#pragma once

#include "models/RecordingReplay.h"
#include "models/SeriesHistory.h"
#include "protocol/TrafficFrame.h"

#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace sb::models {

// Opens a saved recording for replay off the GUI thread (File → Open Recording): on a pool
// thread the file is read, decompressed and parsed, its Traffic section's frames decoded and
// sorted, and the four charts' series filled — an hour's recording is tens of MB of JSON and
// tens of thousands of frames, seconds of work a GUI thread must not do. Each step and the
// outcome come back queued to the GUI thread, which then only builds the window. The pool
// task owns everything it reads: a job destroyed meanwhile drops the result.
class RecordingOpenJob : public QObject
{
    Q_OBJECT
public:
    // What a replay window draws, prepared.
    struct Opened
    {
        RecordingReplay replay;
        QList<protocol::TrafficFrame> frames; // RecordingReplay::recordedFrames(), in time order
        std::unique_ptr<SeriesHistory> connections; // the Replicas chart
        std::unique_ptr<SeriesHistory> lag; // the Kafka chart
        std::unique_ptr<SeriesHistory> sessions; // the Redis chart
        std::unique_ptr<SeriesHistory> frameRates; // the Traffic Rates chart
    };
    using Progress = std::function<void(const QString &step)>;

    static constexpr int kHistoryCapacity = 24 * 3600;

    // The work itself, on the calling thread (the pool's, or --open-recording's before any
    // window shows): decodes and fills; `progress` is told each step as it starts.
    static std::shared_ptr<Opened> prepare(RecordingReplay replay, const Progress &progress = {});

    explicit RecordingOpenJob(QString path, QObject *parent = nullptr);

    void start();
    const QString &path() const { return m_path; }
    bool isRunning() const { return m_running; }

signals:
    void progress(const QString &step); // "decoding 30,000 recorded frames"
    // `opened` is null when the file could not be read, with `error` saying why.
    void finished(std::shared_ptr<sb::models::RecordingOpenJob::Opened> opened, const QString &error);

private:
    QString m_path;
    bool m_running = false;
};

} // namespace sb::models
