#pragma once

#include <QPointer>
#include <QToolButton>

namespace sb::models {
class AlertModel;
}

namespace sb::ui {

// The status bar's alert count: "No alerts", or "3 alerts (1 critical)" in the colour of
// the worst one. Clicking it opens the Alerts panel (the action it is given).
class AlertStatusButton : public QToolButton
{
    Q_OBJECT
public:
    AlertStatusButton(models::AlertModel *alerts, QWidget *parent = nullptr);

private:
    void showCounts(int active, int critical);

    QPointer<models::AlertModel> m_alerts;
};

} // namespace sb::ui
