#include "app/TrafficAreaAssembly.h"

#include "inspect/KafkaTopicTailSettings.h"
#include "inspect/RedisPubSubMonitorSettings.h"
#include "inspect/TrafficBatcher.h"
#include "inspect/TrafficCapture.h"
#include "inspect/TrafficRecording.h"
#include "models/SeriesHistory.h"
#include "models/TrafficBuffer.h"
#include "models/TrafficModel.h"
#include "models/TrafficRates.h"
#include "ui/AreaView.h"
#include "ui/TrafficView.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>
#include <QThread>

namespace sb::app {

using inspect::TapSourceStatus;
using models::AttachmentState;
using models::ConnectionHealth;

namespace {
constexpr int kRateTickMs = 1000;
constexpr int kRateHistorySeconds = 3600;
} // namespace

TrafficAreaAssembly::TrafficAreaAssembly(ui::AreaView *area, inspect::TapCredentials credentials,
    QString origin, models::AttachmentState *attachment, QObject *parent)
    : QObject(parent)
    , m_area(area)
    , m_credentials(std::move(credentials))
    , m_origin(std::move(origin))
    , m_attachment(attachment)
    , m_buffer(std::make_unique<models::TrafficBuffer>())
    , m_model(std::make_unique<models::TrafficModel>(m_buffer.get()))
    , m_rateHistory(std::make_unique<models::SeriesHistory>(kRateHistorySeconds))
    , m_rates(std::make_unique<models::TrafficRates>(m_rateHistory.get()))
    // The capture never blocks (sockets are aborted, not waited on): it ends at once.
    , m_thread(QStringLiteral("traffic-capture"), 5000)
{
    m_rateTimer.setInterval(kRateTickMs);
    connect(
        &m_rateTimer, &QTimer::timeout, this, [this] { m_rates->tick(QDateTime::currentMSecsSinceEpoch()); });
}

TrafficAreaAssembly::~TrafficAreaAssembly()
{
    stop();
    delete m_view.data();
}

ui::TrafficView *TrafficAreaAssembly::view() const
{
    return m_view.data();
}

void TrafficAreaAssembly::start()
{
    if (m_thread.isRunning() || m_view)
        return;
    m_view = new ui::TrafficView(m_model.get(), m_rateHistory.get());
    if (m_area)
        m_area->setContent(m_view);
    connect(m_view, &ui::TrafficView::openCaptureRequested, this, &TrafficAreaAssembly::openCapture);
    connect(m_view, &ui::TrafficView::saveCaptureRequested, this, &TrafficAreaAssembly::saveCapture);
    connect(m_view, &ui::TrafficView::backToLiveRequested, this, &TrafficAreaAssembly::backToLive);
    connect(this, &TrafficAreaAssembly::captureSaved, m_view, [this](bool, const QString &message) {
        if (m_offline || !m_view)
            return;
        m_view->setBanner(message, false);
        // A note, not a state: it goes after a while unless something replaced it.
        QTimer::singleShot(8000, m_view, [this, message] {
            if (!m_offline && m_view && m_view->bannerText() == message)
                m_view->setBanner({}, false);
        });
    });
    connect(m_view, &ui::TrafficView::stompProbeRequested, this,
        [this](const inspect::StompProbeSettings &settings) {
            if (!m_capture)
                return;
            QMetaObject::invokeMethod(
                m_capture, [capture = m_capture, settings] { capture->startStompProbe(settings); },
                Qt::QueuedConnection);
        });
    connect(
        m_view, &ui::TrafficView::sseProbeRequested, this, [this](const inspect::SseProbeSettings &settings) {
            if (!m_capture)
                return;
            QMetaObject::invokeMethod(
                m_capture, [capture = m_capture, settings] { capture->startSseProbe(settings); },
                Qt::QueuedConnection);
        });
    connect(m_view, &ui::TrafficView::probeSendRequested, this,
        [this](const QString &destination, const QByteArray &body) {
            if (!m_capture)
                return;
            QMetaObject::invokeMethod(
                m_capture,
                [capture = m_capture, destination, body] { capture->sendWithProbe(destination, body); },
                Qt::QueuedConnection);
        });
    connect(m_view, &ui::TrafficView::probeStopRequested, this, [this] {
        if (!m_capture)
            return;
        QMetaObject::invokeMethod(m_capture, &inspect::TrafficCapture::stopProbe, Qt::QueuedConnection);
    });
    connect(m_view, &ui::TrafficView::redisMonitorRequested, this, &TrafficAreaAssembly::startRedisMonitor);
    connect(m_view, &ui::TrafficView::kafkaTailRequested, this, &TrafficAreaAssembly::startKafkaTail);
    connect(m_view, &ui::TrafficView::bufferCapacityRequested, this,
        [this](qsizetype frames) { m_model->setBufferCapacity(frames); });
    m_health = { ConnectionHealth::State::Connecting, QStringLiteral("waiting for replicas to tap") };
    if (m_attachment)
        m_attachment->setHealth(AttachmentState::Service::Traffic, m_health);

    m_capture = new inspect::TrafficCapture(m_credentials);
    m_batcher = m_capture->batcher();
    // Queued, with the model as context: a batch arriving after teardown is dropped.
    connect(m_capture, &inspect::TrafficCapture::batchReady, m_model.get(),
        [this](const inspect::TrafficBatch &batch) { onBatch(batch); });
    m_thread.start(m_capture);
    m_rateTimer.start();
}

void TrafficAreaAssembly::stop()
{
    m_rateTimer.stop();
    if (!m_thread.isRunning())
        return;
    m_thread.finish([capture = m_capture] { capture->stop(); });
    m_capture = nullptr;
    m_batcher = nullptr;
}

void TrafficAreaAssembly::setEndpoints(const QList<inspect::TapEndpoint> &endpoints)
{
    if (!m_capture)
        return;
    QMetaObject::invokeMethod(
        m_capture, [capture = m_capture, endpoints] { capture->setEndpoints(endpoints); },
        Qt::QueuedConnection);
}

void TrafficAreaAssembly::setClusterSources(const std::optional<cluster::RedisUrl> &redis,
    const cluster::KafkaSettings &kafka, const QString &topicPrefix)
{
    m_redis = redis;
    m_kafka = kafka;
    const QString prefix = topicPrefix.isEmpty() ? QStringLiteral("switchboard") : topicPrefix;
    const QString pattern = QString::fromUtf8(inspect::RedisPubSubMonitorSettings().pattern);
    if (m_view)
        m_view->setSourceSuggestions(
            { prefix + QStringLiteral(".MessageCreatedEvent"), prefix + QStringLiteral(".SseBroadcast") },
            pattern);
    if (m_redis)
        startRedisMonitor(pattern);
}

void TrafficAreaAssembly::startRedisMonitor(const QString &pattern)
{
    if (!m_capture)
        return;
    if (pattern.isEmpty() || !m_redis) {
        QMetaObject::invokeMethod(
            m_capture, &inspect::TrafficCapture::stopRedisMonitor, Qt::QueuedConnection);
        return;
    }
    inspect::RedisPubSubMonitorSettings settings;
    settings.url = *m_redis;
    settings.pattern = pattern.toUtf8();
    QMetaObject::invokeMethod(
        m_capture, [capture = m_capture, settings] { capture->startRedisMonitor(settings); },
        Qt::QueuedConnection);
}

void TrafficAreaAssembly::startKafkaTail(
    const QStringList &topics, int startFrom, qint64 offset, const QDateTime &time)
{
    if (!m_capture)
        return;
    if (topics.isEmpty() || m_kafka.bootstrapServers().isEmpty()) {
        QMetaObject::invokeMethod(m_capture, &inspect::TrafficCapture::stopKafkaTail, Qt::QueuedConnection);
        return;
    }
    inspect::KafkaTopicTailSettings settings;
    settings.kafka = m_kafka;
    settings.topics = topics;
    settings.startFrom
        = inspect::KafkaTopicTailSettings::StartFrom(startFrom); // the dialog's order is the tail's
    settings.startOffset = offset;
    settings.startTimeMs = time.isValid() ? time.toMSecsSinceEpoch() : 0;
    QMetaObject::invokeMethod(
        m_capture, [capture = m_capture, settings] { capture->startKafkaTail(settings); },
        Qt::QueuedConnection);
}

void TrafficAreaAssembly::onBatch(const inspect::TrafficBatch &batch)
{
    if (m_batcher)
        m_batcher->batchApplied();
    m_droppedByConsole = batch.droppedByConsole;
    if (!m_offline) {
        m_rates->count(batch.frames);
        m_model->apply(batch.frames);
    }
    if (m_view)
        m_view->setSources(batch.sources, batch.droppedByConsole);

    int live = 0, taps = 0;
    QStringList problems;
    for (const TapSourceStatus &source : batch.sources) {
        if (source.kind != u"tap")
            continue;
        ++taps;
        if (source.state == TapSourceStatus::State::Live)
            ++live;
        else
            problems.append(QStringLiteral("%1 %2%3").arg(source.id, TapSourceStatus::stateName(source.state),
                source.detail.isEmpty() ? QString() : QStringLiteral(": ") + source.detail));
    }
    ConnectionHealth health;
    if (taps == 0)
        health = { ConnectionHealth::State::Connecting, QStringLiteral("waiting for replicas to tap") };
    else if (live == taps)
        health = { ConnectionHealth::State::Up,
            QStringLiteral("tapping %1 of %2 replicas").arg(live).arg(taps) };
    else if (live == 0)
        health = { ConnectionHealth::State::Down, problems.join(QStringLiteral("; ")) };
    else
        health = { ConnectionHealth::State::Degraded,
            QStringLiteral("tapping %1 of %2 replicas; %3")
                .arg(live)
                .arg(taps)
                .arg(problems.join(QStringLiteral("; "))) };
    if (m_attachment && !(health == m_health))
        m_attachment->setHealth(AttachmentState::Service::Traffic, health);
    m_health = health;
    emit batchApplied(int(batch.frames.size()));
}

void TrafficAreaAssembly::openCapture(const QString &path)
{
    // Read off the GUI thread: a capture can hold millions of frames.
    QPointer<TrafficAreaAssembly> self(this);
    QThread *reader = QThread::create([self, path] {
        QString error;
        auto contents = inspect::TrafficRecording::load(path, &error);
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, path, contents = std::move(contents), error]() mutable {
                if (!self)
                    return;
                if (!contents) {
                    emit self->captureOpened(false, error);
                    if (self->m_view)
                        self->m_view->setBanner(
                            QObject::tr("Could not open the capture: %1").arg(error), self->m_offline);
                    return;
                }
                self->m_offline = true;
                const qsizetype count = contents->frames.size();
                const qint64 from = count ? contents->frames.first().tsMs : 0;
                const qint64 to = count ? contents->frames.last().tsMs : 0;
                if (count > self->m_buffer->capacity())
                    self->m_model->setBufferCapacity(count);
                self->m_model->replaceAll(std::move(contents->frames));
                const auto time = [](qint64 ms) {
                    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
                };
                QString banner
                    = QObject::tr("RECORDING %1%2: %3 frames from %4 to %5. Live capture is hidden.")
                          .arg(path,
                              contents->header.origin.isEmpty()
                                  ? QString()
                                  : QObject::tr(" of %1").arg(contents->header.origin),
                              QLocale().toString(count), time(from), time(to));
                if (!contents->warning.isEmpty())
                    banner += u' ' + contents->warning;
                if (self->m_view)
                    self->m_view->setBanner(banner, true);
                emit self->captureOpened(true, banner);
            },
            Qt::QueuedConnection);
    });
    connect(reader, &QThread::finished, reader, &QObject::deleteLater);
    reader->start();
}

void TrafficAreaAssembly::saveCapture(const QString &path, bool shownOnly)
{
    // The frames are copied (cheap: their strings are shared) and written off the GUI thread.
    QList<protocol::TrafficFrame> frames;
    if (shownOnly) {
        frames.reserve(m_model->rowCount());
        for (int row = 0; row < m_model->rowCount(); ++row)
            if (const auto *frame = m_model->frameAt(row))
                frames.append(*frame);
    } else {
        frames.reserve(m_buffer->size());
        for (qsizetype i = 0; i < m_buffer->size(); ++i)
            frames.append(m_buffer->at(i));
    }
    const inspect::TrafficRecording::Header header { m_origin, QDateTime::currentDateTimeUtc(),
        frames.size() };
    QPointer<TrafficAreaAssembly> self(this);
    QThread *writer = QThread::create([self, path, header, frames = std::move(frames)] {
        QString error;
        const bool ok = inspect::TrafficRecording::save(
            path, header,
            [&frames](const std::function<bool(const protocol::TrafficFrame &)> &visit) {
                for (const auto &frame : frames)
                    if (!visit(frame))
                        return;
            },
            &error);
        const QString message
            = ok ? QObject::tr("saved %1 frames to %2").arg(frames.size()).arg(path) : error;
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, ok, message] {
                if (self)
                    emit self->captureSaved(ok, message);
            },
            Qt::QueuedConnection);
    });
    connect(writer, &QThread::finished, writer, &QObject::deleteLater);
    writer->start();
}

ConsoleTrafficRecording TrafficAreaAssembly::recordingFrames(const QDateTime &from, const QDateTime &to) const
{
    ConsoleTrafficRecording recording;
    recording.origin = m_origin;
    recording.fromMs = from.isValid() ? from.toMSecsSinceEpoch() : 0;
    // The last sample is up to one interval old: frames since then belong to the recording too.
    recording.toMs = qMax(to.isValid() ? to.toMSecsSinceEpoch() : 0, QDateTime::currentMSecsSinceEpoch());
    // The ring is in arrival order and a source's clock may run behind another's (a Kafka
    // record carries its produce time): scan back a minute past `from` before stopping.
    constexpr qint64 kArrivalSkewMs = 60000;
    std::vector<qsizetype> newestFirst;
    qint64 inWindow = 0;
    for (qsizetype i = m_buffer->size() - 1; i >= 0; --i) {
        const qint64 ts = m_buffer->at(i).tsMs;
        if (ts < recording.fromMs - kArrivalSkewMs)
            break;
        if (ts < recording.fromMs || ts > recording.toMs)
            continue;
        ++inWindow;
        if (qsizetype(newestFirst.size()) < kMaxRecordedFrames)
            newestFirst.push_back(i);
    }
    recording.frames.reserve(qsizetype(newestFirst.size()));
    for (auto it = newestFirst.rbegin(); it != newestFirst.rend(); ++it)
        recording.frames.append(m_buffer->at(*it));
    recording.omitted = inWindow - qint64(newestFirst.size());
    return recording;
}

QJsonObject TrafficAreaAssembly::recordingSection(const QDateTime &from, const QDateTime &to) const
{
    return recordingFrames(from, to).toJson();
}

void TrafficAreaAssembly::backToLive()
{
    m_offline = false;
    m_model->clear();
    if (m_view)
        m_view->setBanner({}, false);
}

} // namespace sb::app
