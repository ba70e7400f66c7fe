#pragma once

#include "models/Freshness.h"
#include "ui/SnapshotSource.h"

#include <QWidget>

class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace sb::models {
class SeriesHistory;
class ReplicaModel;
} // namespace sb::models

namespace sb::ui {

class ElidedLabel;
class HistoryChart;
class StaleBanner;

// The Replicas area's content: the replica table (sortable, state-coloured, tooltips with
// since-when and why-down), the headline figures with an imbalance warning, and the
// connections chart. Reads only the models; the assembly feeds them.
class ReplicasView : public QWidget, public SnapshotSource
{
    Q_OBJECT
public:
    ReplicasView(
        sb::models::ReplicaModel *model, const sb::models::SeriesHistory *history, QWidget *parent = nullptr);

    // {"rows":[{header: text...}...] (sorted as shown), "replicaStates":[{id, state (up,
    // unready, ready, draining, down), stateText, reason, connections, source}...] (same
    // order), "figures":{replicasUp, replicasNotReady, replicasDown, totalConnections,
    // imbalance, imbalanceWarning, replicasListed}, "chartWindowMinutes", "sources",
    // "discoveryDegraded", "discoveryDegradedReason", "asOf", "stale"...}
    QJsonObject snapshotState(int maxTableRows = kSnapshotTableRows,
        SnapshotPurpose purpose = SnapshotPurpose::Snapshot) const override;

    // A line under the figures about the sources (e.g. "registry: Redis unreachable").
    void setSourceSummary(const QString &summary);
    // While the registry cannot be read and the replicas are probed directly instead: a
    // banner saying so, and why (empty reason: discovery is normal, no banner).
    void setDiscoveryDegraded(const QString &reason);
    bool discoveryDegradedShown() const;
    // How old the picture is: while no source answers, a banner says since when and why,
    // and the figures, table and chart are greyed; snapshotState() carries asOf and stale.
    void setFreshness(const sb::models::Freshness &freshness);

    QTableView *table() const { return m_table; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    HistoryChart *chart() const { return m_chart; }
    QString figuresText() const;
    bool imbalanceWarningShown() const;

private:
    void updateFigures();
    void fitStateColumn();

    sb::models::ReplicaModel *m_model;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_figures = nullptr;
    QLabel *m_warning = nullptr;
    QLabel *m_sources = nullptr;
    ElidedLabel *m_degraded = nullptr;
    QString m_degradedReason; // whole; the banner shows what fits of it on one line
    qsizetype m_longestState = 0; // characters of the longest state text the column was fitted to
    StaleBanner *m_stale = nullptr;
    HistoryChart *m_chart = nullptr;
};

} // namespace sb::ui
