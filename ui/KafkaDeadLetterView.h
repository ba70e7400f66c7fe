#pragma once

#include "inspect/KafkaDeadLetterRecord.h"
#include "inspect/KafkaDeadLetterRedriveReport.h"

#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QMessageBox;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace sb::models {
class KafkaTopicModel;
}

namespace sb::ui {

class TrafficDetailPane;

// The Kafka area's "Dead letters" tab: the last records of a chosen `*.DLT` topic (key, the
// original topic/partition/offset and the error their headers name), the selected one in
// detail (every header; the value pretty-printed when it is JSON — the Traffic area's
// TrafficDetailPane), and "Redrive selected…", which asks first (how many records to which
// topics, and which cannot go and why) and is off in a read-only profile.
//
// It asks and shows, nothing more: listRequested and redriveRequested go to the area's
// worker (KafkaDeadLetterWorker, wired by KafkaAreaAssembly), whose answers come back
// through showListing and showRedriveReport. The topics offered are the model's
// dead-letter topics, as each poll finds them.
class KafkaDeadLetterView : public QWidget
{
    Q_OBJECT
public:
    enum Column {
        Time,
        Partition,
        Offset,
        Key,
        OriginalTopic,
        OriginalPartition,
        OriginalOffset,
        Error,
        Bytes,
        ColumnCount
    };

    KafkaDeadLetterView(sb::models::KafkaTopicModel *topics, bool readOnly, QWidget *parent = nullptr);

    // Chooses `topic` (adding it to the list if the model has not shown it yet) and loads it.
    void showTopic(const QString &topic);
    void showListing(const sb::inspect::KafkaDeadLetterListing &listing);
    void showRedriveReport(const sb::inspect::KafkaDeadLetterRedriveReport &report);

    // The confirmation's text for these records: "Redrive 3 records from X.DLT? 2 to A, 1 to B …".
    static QString confirmationText(
        const QString &dltTopic, const QList<sb::inspect::KafkaDeadLetterRecord> &records);

    QString currentTopic() const;
    QList<sb::inspect::KafkaDeadLetterRecord> selectedRecords() const;
    QTableWidget *table() const { return m_table; }
    TrafficDetailPane *detail() const { return m_detail; }
    QAction *redriveAction() const { return m_redrive; }
    QAction *loadAction() const { return m_load; }
    QString statusText() const;
    // The confirmation being shown (window-modal, never a nested loop), or null.
    QMessageBox *confirmation() const { return m_confirmation; }

signals:
    void listRequested(const QString &topic, int maxRecords);
    void redriveRequested(const QString &dltTopic, const QList<sb::inspect::KafkaDeadLetterRecord> &records);

protected:
    // The first time the tab is shown with a topic to list, it lists it: no click needed.
    void showEvent(QShowEvent *event) override;

private:
    void refreshTopics();
    void requestList();
    void askRedrive();
    void showSelected();
    void updateActions();
    void setStatus(const QString &text, bool error);

    sb::models::KafkaTopicModel *m_topics;
    const bool m_readOnly;
    QComboBox *m_topic = nullptr;
    QSpinBox *m_count = nullptr;
    QPushButton *m_loadButton = nullptr;
    QPushButton *m_redriveButton = nullptr;
    QAction *m_load = nullptr;
    QAction *m_redrive = nullptr;
    QLabel *m_status = nullptr;
    QTableWidget *m_table = nullptr;
    TrafficDetailPane *m_detail = nullptr;
    QMessageBox *m_confirmation = nullptr;
    QString m_listedTopic;
    QList<sb::inspect::KafkaDeadLetterRecord> m_records;
    bool m_busy = false; // a request is with the worker
};

} // namespace sb::ui
