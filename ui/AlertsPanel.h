#pragma once

#include <QPointer>
#include <QWidget>

class QCheckBox;
class QLabel;
class QTableView;

namespace sb::models {
class AlertModel;
}

namespace sb::ui {

// The Alerts panel: the active alerts first, coloured by severity, with since-when and the
// figure that raised them, then the recently cleared ones, greyed (AlertModel's order); a
// row's tooltip has the whole story. Below: the desktop-notification switch (off by
// default; only where a system tray exists) and the thresholds button.
class AlertsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit AlertsPanel(models::AlertModel *alerts, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    QLabel *summary() const { return m_summary; }
    QCheckBox *notifyBox() const { return m_notify; }

signals:
    void notifyToggled(bool on);
    void thresholdsRequested();

private:
    void showSummary();

    QPointer<models::AlertModel> m_alerts;
    QTableView *m_table = nullptr;
    QLabel *m_summary = nullptr;
    QCheckBox *m_notify = nullptr;
};

} // namespace sb::ui
