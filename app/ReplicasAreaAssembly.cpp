#include "app/ReplicasAreaAssembly.h"

#include "inspect/ReplicaDiscovery.h"
#include "models/Profile.h"
#include "models/ReplicaModel.h"
#include "models/SeriesHistory.h"
#include "ui/AreaView.h"
#include "ui/ReplicasView.h"

namespace sb::app {

using models::AttachmentState;
using models::ConnectionHealth;

ReplicasAreaAssembly::ReplicasAreaAssembly(ui::AreaView *area, inspect::ReplicaDiscoveryConfig config,
    models::AttachmentState *attachment, QObject *parent)
    : QObject(parent)
    , m_area(area)
    , m_config(std::move(config))
    , m_attachment(attachment)
    , m_model(std::make_unique<models::ReplicaModel>())
    , m_history(std::make_unique<models::SeriesHistory>())
    // The discovery never blocks (all its I/O is asynchronous): it ends at once.
    , m_thread(QStringLiteral("replica-discovery"), 5000)
{ }

ReplicasAreaAssembly::~ReplicasAreaAssembly()
{
    stop();
    // The view reads the models: it goes first (if the area has not taken it down already).
    delete m_view.data();
}

ui::ReplicasView *ReplicasAreaAssembly::view() const
{
    return m_view.data();
}

void ReplicasAreaAssembly::start()
{
    if (m_thread.isRunning() || m_view)
        return;
    if (m_config.isEmpty()) {
        if (m_area)
            m_area->setEmptyDetail(
                QStringLiteral("No replica source is configured: add a Redis registry, "
                               "Prometheus endpoints or /admin/stats URLs to the profile."));
        if (m_attachment)
            m_attachment->setHealth(AttachmentState::Service::Replicas,
                { ConnectionHealth::State::NotConfigured, QStringLiteral("no replica source configured") });
        return;
    }
    m_view = new ui::ReplicasView(m_model.get(), m_history.get());
    if (m_area)
        m_area->setContent(m_view);
    if (m_attachment)
        m_attachment->setHealth(AttachmentState::Service::Replicas,
            { ConnectionHealth::State::Connecting, QStringLiteral("discovering replicas…") });

    m_discovery = new inspect::ReplicaDiscovery(m_config);
    // Queued (different threads), with the model as context: dropped once the model is gone.
    connect(m_discovery, &inspect::ReplicaDiscovery::snapshotReady, m_model.get(),
        [this](const inspect::ReplicaSnapshot &snapshot) { onSnapshot(snapshot); });
    // Deleted on its own thread once the loop ends (the Redis connection requires it).
    m_thread.start(m_discovery);
    QMetaObject::invokeMethod(m_discovery, &inspect::ReplicaDiscovery::start, Qt::QueuedConnection);
}

void ReplicasAreaAssembly::stop()
{
    if (!m_thread.isRunning())
        return;
    m_thread.finish([discovery = m_discovery] { discovery->stop(); });
    m_discovery = nullptr;
}

void ReplicasAreaAssembly::onSnapshot(const inspect::ReplicaSnapshot &snapshot)
{
    const ConnectionHealth health = healthOf(snapshot);
    const bool nobodyAnswered
        = !snapshot.sources.isEmpty() && snapshot.failingSources() == snapshot.sources.size();
    if (nobodyAnswered && m_freshness.asOf.isValid()) {
        // "Down" rows and zero connections would be guesses: keep what was last known.
        m_freshness = m_freshness.stopped(snapshot.at, health.detail);
    } else {
        // Until a source first answers, the rows are the endpoints that never did (with why):
        // current facts, but no picture to date.
        m_history->appendReplicaConnections(snapshot);
        m_model->apply(snapshot);
        if (!nobodyAnswered)
            m_freshness = models::Freshness::live(snapshot.at);
    }
    if (m_view)
        m_view->setFreshness(m_freshness);
    if (m_attachment)
        m_attachment->setHealth(AttachmentState::Service::Replicas, health);
    if (m_view) {
        m_view->setSourceSummary(health.state == ConnectionHealth::State::Up ? QString() : health.detail);
        m_view->setDiscoveryDegraded(snapshot.degradedReason);
    }
    emit snapshotApplied();
}

ConnectionHealth ReplicasAreaAssembly::healthOf(const inspect::ReplicaSnapshot &snapshot)
{
    if (snapshot.sources.isEmpty())
        return { ConnectionHealth::State::NotConfigured, QStringLiteral("no replica source configured") };
    QStringList problems;
    int pending = 0;
    for (const auto &source : snapshot.sources) {
        if (source.pending)
            ++pending; // a first answer still under way (a loaded machine, a slow link) is no failure
        else if (!source.ok)
            problems.append(source.name + QStringLiteral(": ") + source.error);
    }
    if (pending == snapshot.sources.size())
        return { ConnectionHealth::State::Connecting,
            QStringLiteral("discovering replicas… (no source has answered yet)") };
    int down = 0;
    for (const auto &replica : snapshot.replicas)
        down += replica.isDown() ? 1 : 0;
    const int up = int(snapshot.replicas.size()) - down;
    const QString counts = QStringLiteral("%1 of %2 replicas up").arg(up).arg(snapshot.replicas.size());
    if (problems.size() + pending == snapshot.sources.size())
        return { ConnectionHealth::State::Down, problems.join(QStringLiteral("; ")) };
    if (snapshot.replicas.isEmpty()) {
        // Sources that answer with nobody in them are no healthy cluster: the dot was green
        // under "0 of 0 replicas up".
        QString detail
            = QStringLiteral("no replica found: the sources answer but list none (%1)").arg(counts);
        if (!problems.isEmpty())
            detail += QStringLiteral("; ") + problems.join(QStringLiteral("; "));
        return { ConnectionHealth::State::Degraded, detail };
    }
    if (!problems.isEmpty() || down > 0) {
        QString detail = counts;
        if (!problems.isEmpty())
            detail += QStringLiteral("; ") + problems.join(QStringLiteral("; "));
        return { ConnectionHealth::State::Degraded, detail };
    }
    return { ConnectionHealth::State::Up, counts };
}

inspect::ReplicaDiscoveryConfig ReplicasAreaAssembly::configFromProfile(
    const models::Profile &profile, QStringList *problems)
{
    inspect::ReplicaDiscoveryConfig config;
    if (profile.useRegistry && !profile.redisUrl.isEmpty()) {
        const cluster::RedisUrl url = profile.redisConnectionUrl();
        if (url.isValid()) {
            config.redis = url;
        } else if (problems) {
            problems->append(QStringLiteral("Redis URL: ") + url.errorString());
        }
    }
    auto urls = [problems](const QStringList &texts, QList<QUrl> *out) {
        for (const QString &text : texts) {
            const QUrl url(text.trimmed(), QUrl::StrictMode);
            if (url.isValid() && (url.scheme() == u"http" || url.scheme() == u"https")
                && !url.host().isEmpty())
                out->append(url);
            else if (problems)
                problems->append(QStringLiteral("not an http(s) URL: ") + text);
        }
    };
    urls(profile.prometheusEndpoints, &config.prometheusEndpoints);
    urls(profile.adminStatsUrls, &config.adminStatsUrls);
    config.adminUser = profile.adminUser;
    config.adminPassword = profile.adminPassword;
    if (!profile.connectionMetric.trimmed().isEmpty())
        config.connectionMetric = profile.connectionMetric.trimmed();
    return config;
}

} // namespace sb::app
