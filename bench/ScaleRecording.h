#pragma once

#include "models/RecordingStore.h"

#include <QObject>
#include <QTimer>

#include <functional>

namespace sb::app {
class ConsoleController;
}

// The console's session recording, taken by the bench at an interval of its choosing: the
// console records every 5 s (ConsoleController's own timer), so an hour's 720 samples would
// take an hour. This takes the same samples the same way (MainWindow::snapshotState at
// ui::kRecordingTableRows, SnapshotPurpose::RecordingSample, into a RecordingStore) every
// `intervalMs`, and saves them as File → Save recording and --save-recording do: the
// Traffic area's frames since the first sample as the "traffic" section, compact JSON,
// gzip when the name ends in .gz (RecordingStore::save).
class ScaleRecording : public QObject
{
public:
    ScaleRecording(sb::app::ConsoleController *console, int samples, int intervalMs);

    void start(std::function<void()> whenDone);
    bool done() const { return m_store.samples().size() >= m_samples; }

    struct Saved
    {
        qint64 plainBytes = 0;
        qint64 gzipBytes = 0;
        qint64 samplesPlainBytes = 0; // the samples alone, without the traffic section
        qint64 samplesGzipBytes = 0;
        qint64 framesKept = 0;
        qint64 framesOmitted = 0; // captured in the window, beyond TrafficAreaAssembly::kMaxRecordedFrames
        qint64 sectionMs = 0; // the traffic section built
        qint64 plainSaveMs = 0;
        qint64 gzipSaveMs = 0;
    };
    // Saves `base`.sbrec.json and `base`.sbrec.json.gz; false with a message on failure.
    bool save(const QString &base, Saved *saved, QString *error) const;

    int sampleCount() const { return int(m_store.samples().size()); }
    double sampleMsAverage() const { return m_taken ? double(m_sampleNs) / 1e6 / m_taken : 0; }
    double sampleMsMax() const { return double(m_sampleNsMax) / 1e6; }
    double spanSeconds() const;

private:
    void takeSample();

    sb::app::ConsoleController *m_console;
    int m_samples;
    sb::models::RecordingStore m_store;
    QTimer m_timer;
    std::function<void()> m_whenDone;
    int m_taken = 0;
    qint64 m_sampleNs = 0;
    qint64 m_sampleNsMax = 0;
};
