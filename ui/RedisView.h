#pragma once

#include "models/Freshness.h"
#include "ui/SnapshotSource.h"

#include <QWidget>

#include <optional>

class QLabel;
class QTabWidget;

namespace sb::models {
class RedisKeyModel;
class SessionModel;
} // namespace sb::models

namespace sb::ui {

class RedisKeyBrowser;
class RedisSessionsPane;
class StaleBanner;

// The Redis area's content: the key browser and the Sessions lens in two tabs, under a
// line that says which server it reads and how the connection is. It reports what is on
// screen for --snapshot: the visible key rows as displayed and the headline figures
// (DBSIZE, keys scanned and listed, sessions, tokens, sessions per replica, PING ms).
class RedisView : public QWidget, public SnapshotSource
{
    Q_OBJECT

public:
    RedisView(models::RedisKeyModel *keys, models::SessionModel *sessions, bool readOnly,
        QWidget *parent = nullptr);

    RedisKeyBrowser *keyBrowser() const { return m_browser; }
    RedisSessionsPane *sessionsPane() const { return m_sessionsPane; }
    QTabWidget *tabs() const { return m_tabs; }

    // "redis://127.0.0.1:6379/0 — connected", "… — connection refused; retrying".
    void setConnectionText(const QString &text);
    // How old the keys and sessions shown are: while Redis does not answer, a banner says
    // since when, as of when, and the tabs are greyed. snapshotState() carries asOf and stale.
    void setFreshness(const models::Freshness &freshness);
    // The last PING's round trip (RedisLatencyProbe), or none while not connected:
    // snapshotState()'s figures.pingMs (null when none).
    void setLatency(std::optional<qint64> ms) { m_latencyMs = ms; }

    QJsonObject snapshotState(int maxTableRows = kSnapshotTableRows,
        SnapshotPurpose purpose = SnapshotPurpose::Snapshot) const override;

private:
    models::RedisKeyModel *m_keys;
    models::SessionModel *m_sessions;
    QLabel *m_connection;
    QTabWidget *m_tabs;
    StaleBanner *m_stale;
    RedisKeyBrowser *m_browser;
    RedisSessionsPane *m_sessionsPane;
    std::optional<qint64> m_latencyMs;
};

} // namespace sb::ui
