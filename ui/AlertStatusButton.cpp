#include "ui/AlertStatusButton.h"

#include "models/AlertModel.h"

namespace sb::ui {

AlertStatusButton::AlertStatusButton(models::AlertModel *alerts, QWidget *parent)
    : QToolButton(parent)
    , m_alerts(alerts)
{
    setObjectName(QStringLiteral("alertStatus"));
    setAutoRaise(true);
    setToolButtonStyle(Qt::ToolButtonTextOnly);
    connect(alerts, &models::AlertModel::countsChanged, this, &AlertStatusButton::showCounts);
    showCounts(alerts->activeCount(), alerts->criticalCount());
}

void AlertStatusButton::showCounts(int active, int critical)
{
    if (active == 0) {
        setText(QStringLiteral("No alerts"));
        setStyleSheet(QString());
        setToolTip(
            QStringLiteral("No alert is active. Alt+5 opens the Alerts panel (recently cleared alerts)."));
        return;
    }
    const QString plural = active == 1 ? QString() : QStringLiteral("s");
    setText(critical > 0 ? QStringLiteral("%1 alert%2 (%3 critical)").arg(active).arg(plural).arg(critical)
                         : QStringLiteral("%1 alert%2").arg(active).arg(plural));
    QStringList lines;
    for (const models::Alert &a : m_alerts->active())
        lines
            << QStringLiteral("%1: %2 — %3").arg(models::AlertModel::ruleTitle(a.rule), a.subject, a.figure);
    setToolTip(lines.join(QLatin1Char('\n')) + QStringLiteral("\nAlt+5 opens the Alerts panel."));
    const models::Alert::Severity worst = m_alerts->active().constFirst().severity; // most severe first
    setStyleSheet(QStringLiteral("QToolButton { color: %1; font-weight: bold; }")
                      .arg(models::AlertModel::severityColor(worst).name()));
}

} // namespace sb::ui
