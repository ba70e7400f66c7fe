#pragma once

#include "app/ConsoleTrafficRecording.h"
#include "app/ConsoleWorkerThread.h"
#include "cluster/KafkaSettings.h"
#include "cluster/RedisUrl.h"
#include "inspect/TapEndpoint.h"
#include "inspect/TrafficBatch.h"
#include "models/AttachmentState.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>
#include <optional>

namespace sb::inspect {
class TrafficCapture;
class TrafficBatcher;
} // namespace sb::inspect

namespace sb::models {
class SeriesHistory;
class TrafficBuffer;
class TrafficModel;
class TrafficRates;
} // namespace sb::models

namespace sb::ui {
class AreaView;
class TrafficView;
} // namespace sb::ui

namespace sb::app {

// Builds the Traffic area: a `traffic-capture` worker thread running TrafficCapture (one
// tap client per replica), the GUI-side buffer, model and rates, and the TrafficView.
// Batches cross to the GUI thread by queued connection with the model as context and are
// acknowledged once applied (the batcher's back-pressure). Captures open and save on
// short-lived threads of their own, never on the GUI thread. Health goes to
// AttachmentState (Traffic).
class TrafficAreaAssembly : public QObject
{
    Q_OBJECT
public:
    TrafficAreaAssembly(ui::AreaView *area, inspect::TapCredentials credentials, QString origin,
        models::AttachmentState *attachment, QObject *parent = nullptr);
    ~TrafficAreaAssembly() override;

    void start();
    // The replicas to tap (from the Replicas area); departed ones are let go.
    void setEndpoints(const QList<inspect::TapEndpoint> &endpoints);
    // Where the Redis pub/sub monitor and the Kafka tail read: the cluster's Redis (the
    // monitor starts at once, on the stage-2 bus pattern) and Kafka (tailed on request).
    void setClusterSources(const std::optional<cluster::RedisUrl> &redis, const cluster::KafkaSettings &kafka,
        const QString &topicPrefix);
    void startRedisMonitor(const QString &pattern); // empty: stop
    void startKafkaTail(
        const QStringList &topics, int startFrom, qint64 offset, const QDateTime &time); // none: stop
    void openCapture(const QString &path);
    void saveCapture(const QString &path, bool shownOnly);
    void backToLive();

    // {"traffic": {"format", "origin", "from", "to", "frames": [tap frame objects], "omitted"}}:
    // the frames captured between `from` and `to` (the newest kMaxRecordedFrames), for the
    // session recording (File → Save Recording).
    static constexpr qsizetype kMaxRecordedFrames = 50000;
    QJsonObject recordingSection(const QDateTime &from, const QDateTime &to) const;
    // The same frames, copied cheaply on this (GUI) thread, their JSON left to be built
    // (ConsoleTrafficRecording::toJson) on the thread that saves the recording.
    ConsoleTrafficRecording recordingFrames(const QDateTime &from, const QDateTime &to) const;

    models::TrafficModel *model() const { return m_model.get(); }
    ui::TrafficView *view() const;
    bool isOffline() const { return m_offline; }
    // Frames the capture's batcher dropped because this (GUI) thread had not taken its
    // earlier batches (TrafficBatcher): a counter since start(); nullopt before the first
    // batch. The tap-drops alert judges it as its `console` subject.
    std::optional<qint64> droppedByConsole() const { return m_droppedByConsole; }

signals:
    void batchApplied(int frames); // tests and benchmarks watch the console as its user would
    void captureOpened(bool ok, const QString &message);
    void captureSaved(bool ok, const QString &message);

private:
    void onBatch(const inspect::TrafficBatch &batch);
    void stop();

    QPointer<ui::AreaView> m_area;
    inspect::TapCredentials m_credentials;
    QString m_origin;
    QPointer<models::AttachmentState> m_attachment;
    std::unique_ptr<models::TrafficBuffer> m_buffer;
    std::unique_ptr<models::TrafficModel> m_model;
    std::unique_ptr<models::SeriesHistory> m_rateHistory;
    std::unique_ptr<models::TrafficRates> m_rates;
    QPointer<ui::TrafficView> m_view;
    ConsoleWorkerThread m_thread;
    inspect::TrafficCapture *m_capture = nullptr; // lives on m_thread
    inspect::TrafficBatcher *m_batcher = nullptr; // the capture's, for acknowledgements (thread-safe)
    QTimer m_rateTimer;
    bool m_offline = false;
    std::optional<qint64> m_droppedByConsole;
    std::optional<cluster::RedisUrl> m_redis;
    cluster::KafkaSettings m_kafka;
    models::ConnectionHealth m_health;
};

} // namespace sb::app
