#pragma once

#include <QTableView>

namespace sb::models {
class TrafficModel;
}

namespace sb::ui {

// The Traffic area's table of frames: fixed row heights and no word wrap (200,000 rows
// scroll without measuring any), columns sized for their header and a typical value, and a
// context menu that narrows or widens the filter to a cell's value or traces its message.
// The width a wide window gives goes to Destination (long topic and channel names), not to
// Bytes at the end, until the user sizes Destination themselves.
class TrafficTable : public QTableView
{
    Q_OBJECT
public:
    explicit TrafficTable(models::TrafficModel *model, QWidget *parent = nullptr);

signals:
    void filterTermChosen(const QString &term); // "user=alice" or "-user=alice"
    void traceRequested(); // of the current row's message

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void showContextMenu(const QPoint &at);
    void giveSpareWidthToDestination();

    models::TrafficModel *m_model;
    int m_destinationMinWidth = 0; // its typical value's width
    bool m_destinationSizedByUser = false;
    bool m_fitting = false; // our own resizes, told from the user's
};

} // namespace sb::ui
