#include "app/RedisAreaAssembly.h"

#include "cluster/RedisConnection.h"
#include "inspect/RedisKeyActions.h"
#include "inspect/RedisKeyRecord.h"
#include "inspect/RedisKeyScanner.h"
#include "inspect/RedisKeyspaceWatcher.h"
#include "inspect/RedisLatencyProbe.h"
#include "inspect/RedisSessionReader.h"
#include "inspect/RedisValueReader.h"
#include "models/RedisKeyModel.h"
#include "models/SessionModel.h"
#include "models/SessionRowsBuilder.h"
#include "ui/AreaView.h"
#include "ui/RedisKeyBrowser.h"
#include "ui/RedisView.h"

#include <QLocale>

namespace sb::app {

using models::AttachmentState;
using RedisHealth = models::ConnectionHealth::State;

RedisAreaAssembly::RedisAreaAssembly(
    ui::AreaView *area, cluster::RedisUrl url, bool readOnly, AttachmentState *attachment, QObject *parent)
    : RedisAreaAssembly(area, std::move(url), readOnly, attachment, Options(), parent)
{ }

RedisAreaAssembly::RedisAreaAssembly(ui::AreaView *area, cluster::RedisUrl url, bool readOnly,
    AttachmentState *attachment, Options options, QObject *parent)
    : QObject(parent)
    , m_area(area)
    , m_url(std::move(url))
    , m_readOnly(readOnly)
    , m_options(std::move(options))
    , m_attachment(attachment)
    , m_keys(std::make_unique<models::RedisKeyModel>())
    , m_sessions(std::make_unique<models::SessionModel>())
    // Nothing there blocks on the network: it ends as soon as its loop sees the quit.
    , m_thread(QStringLiteral("redis-inspector"), 5000)
{ }

RedisAreaAssembly::~RedisAreaAssembly()
{
    stop();
}

ui::RedisView *RedisAreaAssembly::view() const
{
    return m_view;
}

void RedisAreaAssembly::start()
{
    if (m_thread.isRunning())
        return;
    if (!m_url.isValid()) {
        const QString why = u"Redis URL is not valid: " + m_url.errorString();
        if (m_area)
            m_area->setEmptyDetail(why);
        reportHealth(RedisHealth::NotConfigured, why);
        return;
    }
    // Every worker object is created here, moved as one tree, and deleted on its own
    // thread when the thread finishes (RedisConnection must die on its thread).
    m_workerRoot = new QObject;
    cluster::RedisConnectionOptions connectionOptions;
    connectionOptions.name = QStringLiteral("switchboard-console-inspector");
    m_connection = new cluster::RedisConnection(m_url, connectionOptions, m_workerRoot);
    m_scanner = new inspect::RedisKeyScanner(m_connection, m_workerRoot);
    m_reader = new inspect::RedisValueReader(m_connection, m_workerRoot);
    m_actions = new inspect::RedisKeyActions(m_connection, m_workerRoot);
    m_watcher = new inspect::RedisKeyspaceWatcher(m_connection, m_url, m_workerRoot);
    m_sessionReader = new inspect::RedisSessionReader(m_connection, m_options.keyPrefix, m_workerRoot);
    m_sessionRows = new models::SessionRowsBuilder(m_workerRoot);
    m_latency = new inspect::RedisLatencyProbe(m_connection, m_options.pingIntervalMs, m_workerRoot);

    m_view = new ui::RedisView(m_keys.get(), m_sessions.get(), m_readOnly);
    if (m_area)
        m_area->setContent(m_view);
    wire();
    reportHealth(RedisHealth::Connecting, u"connecting to " + m_url.redacted());
    m_thread.start(m_workerRoot);
    m_connection->open();
    m_sessionReader->start(m_options.sessionsIntervalMs);
    m_latency->start();
}

void RedisAreaAssembly::wire()
{
    ui::RedisKeyBrowser *browser = m_view->keyBrowser();
    models::RedisKeyModel *keys = m_keys.get();

    // Worker -> GUI: queued, received by the model or the view (dropped if they are gone).
    connect(m_scanner, &inspect::RedisKeyScanner::batchReady, keys, &models::RedisKeyModel::appendBatch);
    connect(m_scanner, &inspect::RedisKeyScanner::keysRefreshed, keys, &models::RedisKeyModel::applyRefresh);
    // Anything the server answered dates the picture (the connection's state decides, not
    // the order in which queued answers and the disconnect arrive).
    connect(m_scanner, &inspect::RedisKeyScanner::keysRefreshed, this, [this] { markAnswered(); });
    connect(m_sessions.get(), &models::SessionModel::snapshotApplied, this, [this] {
        if (m_sessions->lastError().isEmpty())
            markAnswered();
    });
    connect(
        m_scanner, &inspect::RedisKeyScanner::progressChanged, browser, &ui::RedisKeyBrowser::setProgress);
    connect(m_scanner, &inspect::RedisKeyScanner::progressChanged, this,
        [this](const inspect::RedisScanProgress &progress) {
            // A full listing will hold DBSIZE rows: size the model once (capped), so no
            // rehash of a million-key index ever stalls the GUI thread.
            if (progress.generation == m_keys->generation() && progress.pattern == "*" && progress.dbSize > 0)
                m_keys->reserve(qMin<qint64>(progress.dbSize, 5000000));
            markAnswered();
            if (progress.dbSize == m_dbSize || !m_connection->isConnected())
                return;
            m_dbSize = progress.dbSize;
            reportHealth(
                RedisHealth::Up, m_url.redacted() + u" connected; DBSIZE " + QLocale().toString(m_dbSize));
        });
    connect(m_reader, &inspect::RedisValueReader::pageReady, browser, &ui::RedisKeyBrowser::showValuePage);
    connect(m_actions, &inspect::RedisKeyActions::finished, keys, &models::RedisKeyModel::applyAction);
    connect(m_actions, &inspect::RedisKeyActions::finished, browser, &ui::RedisKeyBrowser::showActionResult);
    connect(m_watcher, &inspect::RedisKeyspaceWatcher::stateChanged, browser,
        &ui::RedisKeyBrowser::setNotificationState);
    // Sessions: rows built (and the replaced ones freed) on the worker; the GUI swaps them in.
    connect(m_sessionReader, &inspect::RedisSessionReader::snapshotReady, m_sessionRows,
        &models::SessionRowsBuilder::build);
    connect(m_sessionRows, &models::SessionRowsBuilder::built, m_sessions.get(),
        &models::SessionModel::applyRows);
    connect(
        m_sessions.get(), &models::SessionModel::retired, m_sessionRows, &models::SessionRowsBuilder::retire);
    // Worker -> worker (same thread): notified keys are re-read, then update the model.
    connect(m_watcher, &inspect::RedisKeyspaceWatcher::keysChanged, m_scanner,
        &inspect::RedisKeyScanner::refreshKeys);

    // The PING's round trip -> the health (queued; an answer after a disconnect is dropped there).
    connect(m_latency, &inspect::RedisLatencyProbe::measured, this, [this](qint64 ms) { reportLatency(ms); });
    connect(m_latency, &inspect::RedisLatencyProbe::lost, this, [this] { reportLatency(std::nullopt); });

    // Connection state -> status bar and the view's header line.
    connect(m_connection, &cluster::RedisConnection::connected, this, [this] {
        reportHealth(RedisHealth::Up, m_url.redacted() + u" connected");
        const bool wasStale = m_freshness.stale;
        markAnswered();
        if (wasStale && m_view) {
            // What changed during the outage was not notified: re-read the rows on screen.
            const auto [first, last] = m_view->keyBrowser()->visibleRows();
            QList<QByteArray> visible;
            for (int row = first; row >= 0 && row <= last; ++row)
                visible.append(m_keys->keyAt(row));
            if (!visible.isEmpty())
                m_scanner->refreshKeys(visible);
        }
        m_watcher->check(); // again after every reconnect: the server may have been reconfigured
        if (m_options.scanOnConnect && !m_scannedOnce) {
            m_scannedOnce = true;
            startScan("*", ui::RedisKeyBrowser::PageKeys);
        }
        emit connected();
    });
    connect(m_connection, &cluster::RedisConnection::disconnected, this, [this](const QString &reason) {
        m_dbSize = -1;
        reportHealth(RedisHealth::Down, m_url.redacted() + u": " + reason);
        markUnreachable(reason);
    });
    connect(m_connection, &cluster::RedisConnection::reconnectScheduled, this, [this](int delayMs) {
        if (m_attachment && m_attachment->health(AttachmentState::Service::Redis).state == RedisHealth::Down)
            reportHealth(RedisHealth::Down,
                m_attachment->health(AttachmentState::Service::Redis).detail + u"; retrying in "
                    + QString::number((delayMs + 999) / 1000) + u" s");
    });

    // GUI -> worker: through the workers' thread-safe methods.
    connect(browser, &ui::RedisKeyBrowser::scanRequested, this, &RedisAreaAssembly::startScan);
    connect(browser, &ui::RedisKeyBrowser::pauseRequested, this, [this](bool paused) {
        if (paused)
            m_scanner->pause();
        else
            m_scanner->resume();
    });
    connect(
        browser, &ui::RedisKeyBrowser::scanMoreRequested, this, [this](qint64 n) { m_scanner->scanMore(n); });
    connect(browser, &ui::RedisKeyBrowser::scanAllRequested, this, [this] { m_scanner->scanAll(); });
    connect(browser, &ui::RedisKeyBrowser::memoryUsageToggled, this,
        [this](bool on) { m_scanner->setMemoryUsageEnabled(on); });
    connect(browser, &ui::RedisKeyBrowser::refreshRequested, this,
        [this](const QList<QByteArray> &visible) { m_scanner->refreshKeys(visible); });
    connect(browser, &ui::RedisKeyBrowser::valueRequested, this,
        [this](const inspect::RedisValueRequest &request) { m_reader->fetch(request); });
    connect(browser, &ui::RedisKeyBrowser::notificationsCheckRequested, this, [this] { m_watcher->check(); });
    if (!m_readOnly) {
        // In a read-only profile the destructive requests are not even connected.
        connect(browser, &ui::RedisKeyBrowser::deleteRequested, this,
            [this](const QByteArray &key) { m_actions->deleteKey(key); });
        connect(browser, &ui::RedisKeyBrowser::expireRequested, this,
            [this](const QByteArray &key, qint64 seconds) { m_actions->expireKey(key, seconds); });
        connect(browser, &ui::RedisKeyBrowser::persistRequested, this,
            [this](const QByteArray &key) { m_actions->persistKey(key); });
    }
}

void RedisAreaAssembly::startScan(const QByteArray &pattern, qint64 budget)
{
    const quint64 generation = m_scanner->start(pattern, budget);
    m_keys->reset(generation, pattern);
}

void RedisAreaAssembly::reportHealth(RedisHealth state, const QString &detail)
{
    const bool answering = state == RedisHealth::Up || state == RedisHealth::Degraded;
    // A new connection is timed afresh: the figure of the one before is not its latency.
    m_health = { state, detail, answering ? m_health.latencyMs : std::nullopt };
    publishHealth();
}

void RedisAreaAssembly::reportLatency(std::optional<qint64> ms)
{
    const bool answering = m_health.state == RedisHealth::Up || m_health.state == RedisHealth::Degraded;
    if (ms && (!answering || !m_connection || !m_connection->isConnected()))
        return; // queued before the connection went down
    m_health.latencyMs = ms;
    publishHealth();
}

void RedisAreaAssembly::publishHealth()
{
    if (m_view) {
        m_view->setLatency(m_health.latencyMs);
        m_view->setConnectionText(m_health.latencyMs
                ? QString(m_health.detail + u"; PING " + QLocale().toString(*m_health.latencyMs) + u" ms")
                : m_health.detail);
    }
    if (m_attachment)
        m_attachment->setHealth(AttachmentState::Service::Redis, m_health);
}

void RedisAreaAssembly::markAnswered()
{
    if (!m_connection || !m_connection->isConnected())
        return; // an answer queued before the connection went down
    if (m_freshness.stale) {
        m_keys->thawClock();
        m_sessions->thawClock();
    }
    m_freshness = models::Freshness::live(QDateTime::currentDateTimeUtc());
    if (m_view)
        m_view->setFreshness(m_freshness);
}

void RedisAreaAssembly::markUnreachable(const QString &reason)
{
    if (!m_freshness.asOf.isValid())
        return; // nothing was read yet: nothing to date (the connection line says why)
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (!m_freshness.stale) {
        // TTLs stop where they were when the server was last heard from.
        const qint64 heardAt = inspect::steadyNowMs() - m_freshness.asOf.msecsTo(now);
        m_keys->freezeClock(heardAt);
        m_sessions->freezeClock(heardAt);
    }
    m_freshness = m_freshness.stopped(now, reason);
    if (m_view)
        m_view->setFreshness(m_freshness);
}

void RedisAreaAssembly::stop()
{
    // The view goes first: it holds pointers to the models, which go with this object.
    delete m_view;
    if (m_thread.isRunning())
        m_thread.finish([connection = m_connection] { connection->close(); });
    m_workerRoot = nullptr; // deleted on its thread when it ends
    m_connection = nullptr;
    m_scanner = nullptr;
    m_reader = nullptr;
    m_actions = nullptr;
    m_watcher = nullptr;
    m_sessionReader = nullptr;
    m_latency = nullptr;
    m_sessionRows = nullptr;
}

} // namespace sb::app
