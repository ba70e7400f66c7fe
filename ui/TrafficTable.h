#pragma once

#include <QTableView>

namespace sb::models {
class TrafficModel;
}

namespace sb::ui {

// The Traffic area's table of frames: fixed row heights and no word wrap (200,000 rows
// scroll without measuring any), columns sized for their header and a typical value, and a
// context menu that narrows or widens the filter to a cell's value or traces its message.
class TrafficTable : public QTableView
{
    Q_OBJECT
public:
    explicit TrafficTable(models::TrafficModel *model, QWidget *parent = nullptr);

signals:
    void filterTermChosen(const QString &term); // "user=alice" or "-user=alice"
    void traceRequested(); // of the current row's message

private:
    void showContextMenu(const QPoint &at);

    models::TrafficModel *m_model;
};

} // namespace sb::ui
