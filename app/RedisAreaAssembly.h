#pragma once

#include "app/ConsoleWorkerThread.h"
#include "cluster/RedisUrl.h"
#include "models/AttachmentState.h"
#include "models/Freshness.h"

#include <QObject>
#include <QPointer>

#include <memory>
#include <optional>

namespace sb::cluster {
class RedisConnection;
}

namespace sb::inspect {
class RedisKeyActions;
class RedisKeyScanner;
class RedisLatencyProbe;
class RedisKeyspaceWatcher;
class RedisSessionReader;
class RedisValueReader;
} // namespace sb::inspect

namespace sb::models {
class RedisKeyModel;
class SessionModel;
class SessionRowsBuilder;
} // namespace sb::models

namespace sb::ui {
class AreaView;
class RedisView;
} // namespace sb::ui

namespace sb::app {

// Builds the Redis area: one worker thread holding the inspector's RedisConnection with
// the key scanner, value reader, key actions, keyspace-notification watcher and sessions
// reader on it; the GUI-side RedisKeyModel and SessionModel; and the RedisView set as
// the area's content. Worker results reach the GUI by queued signals whose receivers are
// the models and the view, so late results after teardown are dropped; the view's
// requests reach the workers through their thread-safe methods. Health goes to
// AttachmentState (Redis) in words: connecting, up with DBSIZE, or down with the reason
// and the retry delay; while up, with the last PING's round trip (latencyMs), which the
// view's connection line shows too and the redis-latency alert judges. While Redis does not answer, the view
// keeps the keys and sessions it showed, dated ("as of"), with their TTLs stopped where they were; once it
// answers again the rows on screen are re-read.
//
// Usage (GUI thread):
//   auto *redis = new RedisAreaAssembly(area, url, readOnly, &attachment, this);
//   redis->start();
// Destroying it removes the view from the area, closes the connection and lets the thread
// end without waiting for it (ConsoleWorkerThread).
class RedisAreaAssembly : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QByteArray keyPrefix = QByteArrayLiteral("sb:"); // the cluster's Redis prefix (sessions, tokens)
        int sessionsIntervalMs = 5000; // Sessions lens refresh
        bool scanOnConnect = true; // list the first page of keys as soon as connected
        int pingIntervalMs = 2000; // one timed PING (RedisLatencyProbe): the latency in the health
    };

    RedisAreaAssembly(ui::AreaView *area, cluster::RedisUrl url, bool readOnly,
        models::AttachmentState *attachment, QObject *parent = nullptr);
    RedisAreaAssembly(ui::AreaView *area, cluster::RedisUrl url, bool readOnly,
        models::AttachmentState *attachment, Options options, QObject *parent = nullptr);
    ~RedisAreaAssembly() override;

    // Starts the worker thread and connects. An invalid URL is reported in the area and
    // the status bar instead, and nothing runs.
    void start();
    bool isRunning() const { return m_thread.isRunning(); }

    models::RedisKeyModel *keyModel() const { return m_keys.get(); }
    models::SessionModel *sessionModel() const { return m_sessions.get(); }
    ui::RedisView *view() const;
    // Worker-thread object; its public methods are thread-safe (for tests and benchmarks).
    inspect::RedisKeyScanner *scanner() const { return m_scanner; }

signals:
    void connected(); // each time the inspector's connection (re)connects

private:
    void wire();
    void startScan(const QByteArray &pattern, qint64 budget);
    void reportHealth(models::ConnectionHealth::State state, const QString &detail);
    void reportLatency(std::optional<qint64> ms);
    void publishHealth();
    void markAnswered();
    void markUnreachable(const QString &reason);
    void stop();

    QPointer<ui::AreaView> m_area;
    const cluster::RedisUrl m_url;
    const bool m_readOnly;
    const Options m_options;
    QPointer<models::AttachmentState> m_attachment;
    std::unique_ptr<models::RedisKeyModel> m_keys;
    std::unique_ptr<models::SessionModel> m_sessions;
    QPointer<ui::RedisView> m_view;
    bool m_scannedOnce = false;
    qint64 m_dbSize = -1;
    models::ConnectionHealth m_health; // as last reported
    models::Freshness m_freshness;

    ConsoleWorkerThread m_thread;
    QObject *m_workerRoot = nullptr; // lives on m_thread, parent of everything below
    cluster::RedisConnection *m_connection = nullptr;
    inspect::RedisKeyScanner *m_scanner = nullptr;
    inspect::RedisValueReader *m_reader = nullptr;
    inspect::RedisKeyActions *m_actions = nullptr;
    inspect::RedisKeyspaceWatcher *m_watcher = nullptr;
    inspect::RedisSessionReader *m_sessionReader = nullptr;
    inspect::RedisLatencyProbe *m_latency = nullptr;
    models::SessionRowsBuilder *m_sessionRows = nullptr;
};

} // namespace sb::app
