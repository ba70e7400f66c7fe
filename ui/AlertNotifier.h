#pragma once

#include "models/AlertTransition.h"

#include <QObject>
#include <QPointer>

class QSystemTrayIcon;

namespace sb::models {
class AlertModel;
}

namespace sb::ui {

// Desktop notifications for new critical alerts, through a system-tray icon: off by
// default, and only where the desktop has a tray (QSystemTrayIcon::isSystemTrayAvailable).
// The icon exists only while notifications are on.
class AlertNotifier : public QObject
{
    Q_OBJECT
public:
    explicit AlertNotifier(models::AlertModel *alerts, QObject *parent = nullptr);
    ~AlertNotifier() override;

    // Returns whether notifications are now on (false where there is no tray).
    bool setEnabled(bool on);
    bool isEnabled() const { return m_tray != nullptr; }
    int notified() const { return m_notified; }
    // Whether `t` is worth a notification: raised critical, or escalated to critical.
    static bool worthNotifying(const models::AlertTransition &t);

private:
    void onTransition(const models::AlertTransition &t);

    QSystemTrayIcon *m_tray = nullptr;
    int m_notified = 0;
};

} // namespace sb::ui
