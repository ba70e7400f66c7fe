#pragma once

#include "models/Freshness.h"
#include "models/KafkaFigures.h"
#include "ui/SnapshotSource.h"

#include <QWidget>

class QLabel;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;

namespace sb::models {
class SeriesHistory;
class KafkaGroupModel;
class KafkaPartitionModel;
class KafkaTopicModel;
} // namespace sb::models

namespace sb::ui {

class ColumnFitter;
class KafkaDeadLetterView;
class HistoryChart;
class ElidedLabel;
class StaleBanner;

// The Kafka area's content. "Consumer groups": the groups with their Burrow status, the
// selected group's partitions (all groups' when none is selected) and lag over time per
// group; "Topics": partitions, messages, produce rate, dead-letter topics highlighted.
// Above both: the headline figures and, when the broker cannot list groups, why the
// groups shown are the ones the profile and the registry name. Reads only the models.
class KafkaView : public QWidget, public SnapshotSource
{
    Q_OBJECT
public:
    KafkaView(sb::models::KafkaGroupModel *groups, sb::models::KafkaPartitionModel *partitions,
        sb::models::KafkaTopicModel *topics, const sb::models::SeriesHistory *lagHistory,
        QWidget *parent = nullptr);

    // After each poll reached the models. A poll that found Kafka unreachable after earlier
    // ones answered leaves their picture on screen, greyed under a banner that dates it.
    void showFigures(const sb::models::KafkaFigures &figures);

    // {"figures":{...}, "rows" and "groups":[group rows], "partitions":[rows], "topics":[rows], "note",
    // "error",
    //  "selectedGroup", "chartWindowMinutes"}
    QJsonObject snapshotState(int maxTableRows = kSnapshotTableRows,
        SnapshotPurpose purpose = SnapshotPurpose::Snapshot) const override;

    QTableView *groupTable() const { return m_groupTable; }
    QTableView *partitionTable() const { return m_partitionTable; }
    QTableView *topicTable() const { return m_topicTable; }
    HistoryChart *chart() const { return m_chart; }
    QTabWidget *tabs() const { return m_tabs; }
    QString figuresText() const;
    QString noteText() const;
    QString selectedGroup() const { return m_selectedGroup; }
    // A "Dead letters" tab (Alt+L) holding `view`; a double-click on a dead-letter topic in
    // "Topics" opens it there.
    void addDeadLetters(KafkaDeadLetterView *view);

private:
    void selectGroup(const QString &id);
    QTableView *makeTable(
        QSortFilterProxyModel *proxy, const QString &objectName, int sortRole, const QList<int> &nameColumns);

    sb::models::KafkaGroupModel *m_groups;
    QSortFilterProxyModel *m_groupProxy = nullptr;
    QSortFilterProxyModel *m_partitionProxy = nullptr;
    QSortFilterProxyModel *m_topicProxy = nullptr;
    QTableView *m_groupTable = nullptr;
    QTableView *m_partitionTable = nullptr;
    QTableView *m_topicTable = nullptr;
    ColumnFitter *m_partitionFitter = nullptr;
    QTabWidget *m_tabs = nullptr;
    QLabel *m_figures = nullptr;
    ElidedLabel *m_note = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_partitionCaption = nullptr;
    StaleBanner *m_stale = nullptr;
    QString m_errorText; // the last poll's failure, if it failed
    HistoryChart *m_chart = nullptr;
    sb::models::KafkaFigures m_last; // the last poll that answered (or the first that did not)
    sb::models::Freshness m_freshness;
    QString m_selectedGroup;
};

} // namespace sb::ui
