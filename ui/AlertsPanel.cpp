#include "ui/AlertsPanel.h"

#include "models/AlertModel.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSystemTrayIcon>
#include <QTableView>
#include <QVBoxLayout>

namespace sb::ui {

AlertsPanel::AlertsPanel(models::AlertModel *alerts, QWidget *parent)
    : QWidget(parent)
    , m_alerts(alerts)
{
    setObjectName(QStringLiteral("alertsPanel"));
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("alertsSummary"));
    m_summary->setWordWrap(true);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("alertsTable"));
    m_table->setModel(alerts);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(models::AlertModel::Figure, QHeaderView::Stretch);

    m_notify = new QCheckBox(QStringLiteral("Desktop notification for new critical alerts"), this);
    m_notify->setObjectName(QStringLiteral("alertsNotify"));
    if (!QSystemTrayIcon::isSystemTrayAvailable()) {
        m_notify->setEnabled(false);
        m_notify->setToolTip(QStringLiteral("This desktop has no system tray to notify through."));
    } else {
        m_notify->setToolTip(
            QStringLiteral("A tray notification when an alert is raised as critical or becomes critical."));
    }
    connect(m_notify, &QCheckBox::toggled, this, &AlertsPanel::notifyToggled);
    auto *thresholds = new QPushButton(QStringLiteral("Thresholds…"), this);
    thresholds->setObjectName(QStringLiteral("alertsThresholds"));
    thresholds->setToolTip(QStringLiteral("The figures the rules compare against, kept with the profile"));
    connect(thresholds, &QPushButton::clicked, this, &AlertsPanel::thresholdsRequested);

    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_notify, 1);
    bottom->addWidget(thresholds);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_summary);
    layout->addWidget(m_table, 1);
    layout->addLayout(bottom);

    connect(alerts, &QAbstractItemModel::modelReset, this, &AlertsPanel::showSummary);
    connect(alerts, &models::AlertModel::countsChanged, this, &AlertsPanel::showSummary);
    showSummary();
}

void AlertsPanel::showSummary()
{
    if (!m_alerts)
        return;
    const int active = m_alerts->activeCount();
    const int recent = int(m_alerts->recent().size());
    if (active == 0 && recent == 0) {
        m_summary->setText(
            QStringLiteral("No alerts. The console checks every second: replicas down, not ready or "
                           "draining too long, connection imbalance, consumer-group status, dead "
                           "letters, Redis, heart-beat timeouts and dropped tap frames."));
        return;
    }
    m_summary->setText(QStringLiteral("%1 active (%2 critical), %3 recently cleared")
                           .arg(active)
                           .arg(m_alerts->criticalCount())
                           .arg(recent));
}

} // namespace sb::ui
