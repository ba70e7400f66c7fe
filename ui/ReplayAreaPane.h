#pragma once

#include "ui/SnapshotSource.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QStringList>
#include <QWidget>

class QLabel;
class QTableView;

namespace sb::models {
class SeriesHistory;
}

namespace sb::ui {

class HistoryChart;
class RecordedTableModel;

// One area of a recording in replay: its headline figures, its tables as they were shown
// (a tab each when there are several) and, for Replicas and Kafka, the chart the live area
// draws, its window ending at the replay position. Fed one sample's area state at a time.
class ReplayAreaPane : public QWidget, public SnapshotSource
{
    Q_OBJECT
public:
    struct Table
    {
        QString title;
        QString rowsKey; // the array in the area's state ("rows", "topics", ...)
        QString columnsKey; // its recorded column order, if the recording has one
        QStringList preferredColumns; // else these first (the live view's order)
    };

    // `history` (may be null: no chart) is filled by the caller from the whole recording.
    ReplayAreaPane(QList<Table> tables, const models::SeriesHistory *history, const QString &quantity,
        QWidget *parent = nullptr);

    // The area's state in the sample shown (empty: the sample has no such area).
    virtual void showState(const QJsonObject &areaState, const QDateTime &at);
    // The chart's window ends here (the replay position, between samples while playing).
    virtual void setPosition(const QDateTime &at);
    // Draws the chart now rather than at its next tick (a snapshot right after a move).
    virtual void refreshChart();

    // As the pane shows it: the recorded area state with each table's rows read back from
    // the replay's own tables (what the user sees), for --open-recording --snapshot.
    QJsonObject snapshotState(int maxTableRows = kSnapshotTableRows,
        SnapshotPurpose purpose = SnapshotPurpose::Snapshot) const override;

    const RecordedTableModel *tableModel(int index) const { return m_models.at(index); }
    const HistoryChart *chart() const { return m_chart; }
    QString figuresText() const;

protected:
    // What a pane with no tables and no chart of its own shows under its figures.
    void addBody(QWidget *body);
    // Replaces the figures line the sample gave (a pane that computes its own at the position).
    void setFiguresText(const QString &text);

private:
    static QString figuresLine(const QJsonObject &areaState);

    QList<Table> m_tables;
    QList<RecordedTableModel *> m_models;
    QList<QTableView *> m_views;
    QLabel *m_figures = nullptr;
    HistoryChart *m_chart = nullptr;
    QJsonObject m_state;
};

} // namespace sb::ui
