#pragma once

#include "ui/EmptyState.h"
#include "ui/SnapshotSource.h"

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QStackedWidget;

namespace sb::ui {

// One of the console's four areas (Replicas, Kafka, Redis, Traffic). It shows its content
// widget once there is one, and until then says what it will show and how to attach —
// never a blank pane. It also reports what the user sees, for snapshots.
class AreaView : public QWidget
{
    Q_OBJECT
public:
    AreaView(const QString &key, const EmptyState &emptyState, QWidget *parent = nullptr);

    QString key() const { return m_key; }
    void setContent(QWidget *content);
    void setEmptyDetail(const QString &detail);
    bool showsContent() const;
    virtual QJsonObject snapshotState(
        int maxTableRows = kSnapshotTableRows, SnapshotPurpose purpose = SnapshotPurpose::Snapshot) const;

private:
    QString m_key;
    EmptyState m_emptyState;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_emptyLabel = nullptr;
    QLabel *m_detailLabel = nullptr;
};

} // namespace sb::ui
