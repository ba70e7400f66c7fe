#include "ui/RedisView.h"

#include "models/RedisKeyModel.h"
#include "models/SessionModel.h"
#include "ui/RedisKeyBrowser.h"
#include "ui/RedisSessionsPane.h"
#include "ui/StaleBanner.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QTabWidget>
#include <QVBoxLayout>

namespace sb::ui {

namespace {
QString phaseName(inspect::RedisScanProgress::Phase phase)
{
    switch (phase) {
    case inspect::RedisScanProgress::Phase::Idle:
        return QStringLiteral("idle");
    case inspect::RedisScanProgress::Phase::Running:
        return QStringLiteral("running");
    case inspect::RedisScanProgress::Phase::Paused:
        return QStringLiteral("paused");
    case inspect::RedisScanProgress::Phase::Finished:
        return QStringLiteral("finished");
    case inspect::RedisScanProgress::Phase::Failed:
        return QStringLiteral("failed");
    }
    return {};
}
} // namespace

RedisView::RedisView(
    models::RedisKeyModel *keys, models::SessionModel *sessions, bool readOnly, QWidget *parent)
    : QWidget(parent)
    , m_keys(keys)
    , m_sessions(sessions)
    , m_connection(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_stale(new StaleBanner(QStringLiteral("Redis"), this))
    , m_browser(new RedisKeyBrowser(keys, readOnly, this))
    , m_sessionsPane(new RedisSessionsPane(sessions, this))
{
    setObjectName(QStringLiteral("redisView"));
    m_connection->setObjectName(QStringLiteral("redisConnection"));
    m_connection->setWordWrap(true);
    m_tabs->setObjectName(QStringLiteral("redisTabs"));
    m_tabs->addTab(m_browser, tr("&Keys"));
    m_tabs->addTab(m_sessionsPane, tr("&Sessions"));
    m_tabs->setTabToolTip(0, tr("Browse keys with SCAN (Alt+K)"));
    m_tabs->setTabToolTip(1, tr("Sessions and tokens in Redis, per replica and per user (Alt+S)"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_connection);
    layout->addWidget(m_stale);
    layout->addWidget(m_tabs, 1);
    m_stale->cover(m_tabs);
}

void RedisView::setFreshness(const models::Freshness &freshness)
{
    m_stale->setFreshness(freshness);
}

void RedisView::setConnectionText(const QString &text)
{
    m_connection->setText(text);
}

QJsonObject RedisView::snapshotState(int maxTableRows, SnapshotPurpose) const
{
    const inspect::RedisScanProgress &progress = m_browser->progress();
    QJsonObject perReplica;
    const QMap<QString, int> replicas = m_sessions->sessionsPerReplica();
    for (auto it = replicas.cbegin(); it != replicas.cend(); ++it)
        perReplica.insert(it.key(), it.value());

    QJsonObject figures;
    figures.insert(QStringLiteral("dbsize"), progress.dbSize);
    figures.insert(QStringLiteral("scanned"), progress.scannedEstimate());
    figures.insert(QStringLiteral("keysListed"), m_keys->rowCount());
    figures.insert(QStringLiteral("sessions"), m_sessions->sessionCount());
    figures.insert(QStringLiteral("tokens"), m_sessions->tokenCount());
    // Sessions and tokens come from their own pass, every few seconds: their own age.
    if (m_sessions->readAtMs() > 0)
        figures.insert(QStringLiteral("sessionsAsOf"),
            QDateTime::fromMSecsSinceEpoch(m_sessions->readAtMs(), Qt::UTC).toString(Qt::ISODateWithMs));
    figures.insert(QStringLiteral("sessionsPerReplica"), perReplica);
    figures.insert(
        QStringLiteral("pingMs"), m_latencyMs ? QJsonValue(*m_latencyMs) : QJsonValue(QJsonValue::Null));

    QJsonObject scan;
    scan.insert(QStringLiteral("pattern"), QString::fromUtf8(progress.pattern));
    scan.insert(QStringLiteral("phase"), phaseName(progress.phase));
    scan.insert(QStringLiteral("scanCalls"), progress.calls);
    scan.insert(QStringLiteral("slowestRoundTripMs"), progress.maxCallMs);

    QJsonObject state;
    state.insert(QStringLiteral("message"), m_connection->text());
    state.insert(QStringLiteral("rows"), m_browser->rowsJson(maxTableRows));
    const auto [firstShown, lastShown] = m_browser->visibleRows();
    state.insert(QStringLiteral("visibleRows"),
        QJsonObject { { QStringLiteral("first"), firstShown }, { QStringLiteral("last"), lastShown } });
    state.insert(QStringLiteral("figures"), figures);
    state.insert(QStringLiteral("scan"), scan);
    state.insert(QStringLiteral("notifications"), m_browser->notificationState().text);
    state.insert(QStringLiteral("readOnly"), m_browser->isReadOnly());
    state.insert(QStringLiteral("tab"),
        m_tabs->currentIndex() == 0 ? QStringLiteral("keys") : QStringLiteral("sessions"));
    const QJsonObject age = m_stale->freshness().toJson();
    for (auto it = age.begin(); it != age.end(); ++it)
        state.insert(it.key(), it.value());
    return state;
}

} // namespace sb::ui
