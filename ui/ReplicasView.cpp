#include "ui/ReplicasView.h"

#include "ui/ElidedLabel.h"

#include "models/ReplicaModel.h"
#include "models/SeriesHistory.h"
#include "ui/HistoryChart.h"
#include "ui/StaleBanner.h"
#include "ui/TableRows.h"

#include <QEvent>
#include <QFontMetrics>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace sb::ui {

using sb::models::ReplicaFigures;
using sb::models::ReplicaModel;

ReplicasView::ReplicasView(ReplicaModel *model, const sb::models::SeriesHistory *history, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
{
    setObjectName(QStringLiteral("replicasView"));
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ReplicaModel::SortRole);
    // Keep the user's sort as values change each poll.
    m_proxy->setDynamicSortFilter(true);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("replicasTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ReplicaModel::Id, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    // Sized to contents when rows arrive, not on every poll: ResizeToContents would measure
    // every cell on each dataChanged, a visible stall with 50 replicas.
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    // One line per replica: the State column is wide enough for its longest text, since the
    // states that come after the first sizing ("draining since …") are longer.
    m_table->setWordWrap(false);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, m_table, [this] {
        m_table->resizeColumnsToContents();
        const int stateWidth
            = m_table->fontMetrics().horizontalAdvance(QStringLiteral("draining since 00:00:00"))
            + 3 * m_table->fontMetrics().averageCharWidth();
        if (m_table->columnWidth(ReplicaModel::State) < stateWidth)
            m_table->setColumnWidth(ReplicaModel::State, stateWidth);
    });

    m_figures = new QLabel(this);
    m_figures->setObjectName(QStringLiteral("replicaFigures"));
    m_warning = new QLabel(this);
    m_warning->setObjectName(QStringLiteral("imbalanceWarning"));
    m_warning->setWordWrap(true);
    m_warning->setStyleSheet(QStringLiteral("QLabel { background: #fff3cd; color: #664d03; padding: 3px; }"));
    m_warning->hide();
    // One line, elided, the whole reason in the tooltip: wrapped, it took four lines of a
    // 1280x800 window's Replicas area and left the table one row.
    m_degraded = new ElidedLabel(this);
    m_degraded->setObjectName(QStringLiteral("discoveryDegradedBanner"));
    m_degraded->setStyleSheet(
        QStringLiteral("QLabel { background: #fff3cd; color: #664d03; padding: 3px; }"));
    m_degraded->hide();
    m_sources = new QLabel(this);
    m_sources->setObjectName(QStringLiteral("replicaSources"));
    m_sources->setWordWrap(true);
    m_sources->hide();

    m_chart = new HistoryChart(history, QStringLiteral("connections"), this);

    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_figures);
    topLayout->addWidget(m_warning);
    topLayout->addWidget(m_sources);
    topLayout->addWidget(m_table, 1);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(top);
    splitter->addWidget(m_chart);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 1, 1 }); // weights: a chart squeezed under 150 px shows no axis labels
    m_stale = new StaleBanner(QStringLiteral("Replica discovery"), this);
    m_stale->cover(splitter);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stale);
    layout->addWidget(m_degraded);
    layout->addWidget(splitter);

    connect(m_model, &ReplicaModel::snapshotApplied, this, [this] {
        updateFigures();
        fitStateColumn();
        m_chart->markDirty();
    });
    updateFigures();
}

QString ReplicasView::figuresText() const
{
    return m_figures->text();
}

bool ReplicasView::imbalanceWarningShown() const
{
    return !m_warning->isHidden();
}

void ReplicasView::updateFigures()
{
    const ReplicaFigures &f = m_model->figures();
    if (m_model->polls() == 0) {
        m_figures->setText(QStringLiteral("Waiting for the first poll…"));
        return;
    }
    const QString imbalance = f.imbalance ? QString::number(*f.imbalance, 'f', 2) : QStringLiteral("—");
    // "2 up (2 not ready)": alive replicas that refuse traffic are neither healthy nor down.
    const QString up = f.replicasNotReady > 0
        ? QStringLiteral("%1 up (%2 not ready)").arg(f.replicasUp).arg(f.replicasNotReady)
        : QStringLiteral("%1 up").arg(f.replicasUp);
    // Drained and gone replicas are neither up nor down: said only while there are some.
    const QString left = f.replicasLeft > 0 ? QStringLiteral(" · %1 left").arg(f.replicasLeft) : QString();
    m_figures->setText(
        QStringLiteral("%1 · %2 down%3 · %4 connections · imbalance (max/mean) %5")
            .arg(up, QString::number(f.replicasDown), left, QString::number(f.totalConnections), imbalance));
    m_warning->setVisible(f.imbalanced());
    if (f.imbalanced()) {
        m_warning->setText(
            QStringLiteral("Imbalance %1 is above %2: one replica holds %3 connections against a "
                           "mean of %4 — possible ip-hash stickiness (or clients that have not "
                           "rebalanced since a restart).")
                .arg(imbalance)
                .arg(ReplicaFigures::kImbalanceWarning)
                .arg(f.maxConnections)
                .arg(f.meanConnections, 0, 'f', 1));
    }
}

void ReplicasView::fitStateColumn()
{
    // A state that arrives after the columns were sized ("alive, not ready: Redis unreachable
    // since …") widens its column instead of being cut to "alive, not r…". Measured only when
    // a longer text than any before appears, not on every poll.
    qsizetype longest = 0;
    for (int row = 0; row < m_model->rowCount(); ++row)
        longest = qMax(longest, m_model->replica(row).stateText().size());
    if (longest <= m_longestState)
        return;
    m_longestState = longest;
    const QFontMetrics metrics = m_table->fontMetrics();
    int widest = 0;
    for (int row = 0; row < m_model->rowCount(); ++row)
        widest = qMax(widest,
            metrics.horizontalAdvance(m_model->replica(row).stateText() + QStringLiteral(" since 00:00:00")));
    widest += 3 * metrics.averageCharWidth();
    if (m_table->columnWidth(ReplicaModel::State) < widest)
        m_table->setColumnWidth(ReplicaModel::State, widest);
}

void ReplicasView::setSourceSummary(const QString &summary)
{
    m_sources->setText(summary);
    m_sources->setVisible(!summary.isEmpty());
}

void ReplicasView::setDiscoveryDegraded(const QString &reason)
{
    if (m_degradedReason == reason)
        return;
    m_degradedReason = reason;
    m_degraded->setFullText(reason);
    m_degraded->setVisible(!reason.isEmpty());
}

bool ReplicasView::discoveryDegradedShown() const
{
    return !m_degraded->isHidden();
}

void ReplicasView::setFreshness(const sb::models::Freshness &freshness)
{
    m_stale->setFreshness(freshness);
}

QJsonObject ReplicasView::snapshotState(int maxTableRows, SnapshotPurpose) const
{
    const QJsonArray rows = tableRows(m_table, maxTableRows);
    // Each row's state in words a script can compare, in the rows' order.
    QJsonArray states;
    for (int row = 0; row < m_proxy->rowCount() && row < maxTableRows; ++row) {
        const int source = m_proxy->mapToSource(m_proxy->index(row, 0)).row();
        const sb::inspect::ReplicaInfo &r = m_model->replica(source);
        const auto connections = r.totalConnections();
        states.append(QJsonObject { { QStringLiteral("id"), r.id },
            { QStringLiteral("state"), sb::inspect::ReplicaInfo::stateKey(r.state) },
            { QStringLiteral("stateText"), r.stateText() },
            { QStringLiteral("reason"), r.isGone() ? r.detail : r.stateReason },
            { QStringLiteral("connections"),
                connections ? QJsonValue(*connections) : QJsonValue(QJsonValue::Null) },
            { QStringLiteral("source"), r.source } });
    }
    QJsonObject figures = m_model->figures().toJson();
    figures.insert(QStringLiteral("replicasListed"), m_model->rowCount());
    QJsonObject state { { QStringLiteral("rows"), rows },
        { QStringLiteral("columns"), tableColumns(m_table) },
        { QStringLiteral("figuresText"), m_figures->text() }, { QStringLiteral("replicaStates"), states },
        { QStringLiteral("figures"), figures },
        { QStringLiteral("chartWindowMinutes"), m_chart->windowMinutes() },
        { QStringLiteral("sources"), m_sources->text() },
        { QStringLiteral("discoveryDegraded"), !m_degradedReason.isEmpty() },
        { QStringLiteral("discoveryDegradedReason"), m_degradedReason } };
    const QJsonObject age = m_stale->freshness().toJson();
    for (auto it = age.begin(); it != age.end(); ++it)
        state.insert(it.key(), it.value());
    return state;
}

} // namespace sb::ui
