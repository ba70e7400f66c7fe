#include "ScaleRecording.h"

#include "app/ConsoleController.h"
#include "app/TrafficAreaAssembly.h"
#include "protocol/Gzip.h"
#include "ui/MainWindow.h"
#include "ui/SnapshotSource.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

using namespace sb;

ScaleRecording::ScaleRecording(app::ConsoleController *console, int samples, int intervalMs)
    : m_console(console)
    , m_samples(samples)
    , m_store(samples)
{
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, [this] { takeSample(); });
}

void ScaleRecording::start(std::function<void()> whenDone)
{
    m_whenDone = std::move(whenDone);
    m_timer.start();
}

void ScaleRecording::takeSample()
{
    if (done())
        return;
    // As ConsoleController::recordSample takes it.
    QElapsedTimer taking;
    taking.start();
    m_store.append(QDateTime::currentDateTimeUtc(),
        m_console->window()->snapshotState(ui::kRecordingTableRows, ui::SnapshotPurpose::RecordingSample));
    const qint64 ns = taking.nsecsElapsed();
    ++m_taken;
    m_sampleNs += ns;
    m_sampleNsMax = qMax(m_sampleNsMax, ns);
    if (done()) {
        m_timer.stop();
        if (m_whenDone)
            m_whenDone();
    }
}

double ScaleRecording::spanSeconds() const
{
    return m_store.samples().size() < 2 ? 0 : double(m_store.firstAt().msecsTo(m_store.lastAt())) / 1000.0;
}

bool ScaleRecording::save(const QString &base, Saved *saved, QString *error) const
{
    QElapsedTimer clock;
    clock.start();
    // As ConsoleController::saveRecording adds it.
    const app::TrafficAreaAssembly *traffic = m_console->trafficArea();
    const QJsonObject extras
        = traffic ? traffic->recordingSection(m_store.firstAt(), m_store.lastAt()) : QJsonObject();
    saved->sectionMs = clock.restart();
    const QJsonObject section = extras.value(QStringLiteral("traffic")).toObject();
    saved->framesKept = section.value(QStringLiteral("frames")).toArray().size();
    saved->framesOmitted = section.value(QStringLiteral("omitted")).toInteger();

    const QString plain = base + QLatin1String(models::RecordingStore::kExtension);
    const QString gzip = plain + QLatin1String(models::RecordingStore::kCompressedSuffix);
    if (!m_store.save(plain, error, extras))
        return false;
    saved->plainSaveMs = clock.restart();
    if (!m_store.save(gzip, error, extras))
        return false;
    saved->gzipSaveMs = clock.elapsed();
    saved->plainBytes = QFileInfo(plain).size();
    saved->gzipBytes = QFileInfo(gzip).size();
    const QByteArray samplesOnly = QJsonDocument(m_store.toJson()).toJson(QJsonDocument::Compact);
    saved->samplesPlainBytes = samplesOnly.size();
    saved->samplesGzipBytes = protocol::Gzip::compress(samplesOnly).size();
    return true;
}
