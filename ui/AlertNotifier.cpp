#include "ui/AlertNotifier.h"

#include "models/AlertModel.h"

#include <QIcon>
#include <QSystemTrayIcon>

namespace sb::ui {

AlertNotifier::AlertNotifier(models::AlertModel *alerts, QObject *parent)
    : QObject(parent)
{
    connect(alerts, &models::AlertModel::transitioned, this, &AlertNotifier::onTransition);
}

AlertNotifier::~AlertNotifier()
{
    delete m_tray;
}

bool AlertNotifier::setEnabled(bool on)
{
    if (on && !m_tray && QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(QIcon(QStringLiteral(":/icons/switchboard.svg")));
        m_tray->setToolTip(QStringLiteral("Switchboard: critical alerts"));
        m_tray->show();
    } else if (!on && m_tray) {
        delete m_tray;
        m_tray = nullptr;
    }
    return isEnabled();
}

bool AlertNotifier::worthNotifying(const models::AlertTransition &t)
{
    return t.alert.severity == models::Alert::Severity::Critical
        && (t.kind == models::AlertTransition::Kind::Raised
            || t.kind == models::AlertTransition::Kind::Escalated);
}

void AlertNotifier::onTransition(const models::AlertTransition &t)
{
    if (!m_tray || !worthNotifying(t))
        return;
    ++m_notified;
    m_tray->showMessage(
        QStringLiteral("%1: %2").arg(models::AlertModel::ruleTitle(t.alert.rule), t.alert.subject),
        t.alert.detail.isEmpty() ? t.alert.figure : t.alert.figure + QStringLiteral("\n") + t.alert.detail,
        QSystemTrayIcon::Critical);
}

} // namespace sb::ui
