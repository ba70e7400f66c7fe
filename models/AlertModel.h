#pragma once

#include "models/Alert.h"
#include "models/AlertTransition.h"

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QList>

namespace sb::models {

// The Alerts panel's table: the active alerts first (most severe first), then the recently
// cleared ones, newest first. Set after each evaluation; rows are reset only when the set
// of alerts changed, otherwise their figures are updated in place (one dataChanged).
class AlertModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Severity, Rule, Subject, Figure, Since, Cleared, ColumnCount };
    Q_ENUM(Column)
    enum Role { ActiveRole = Qt::UserRole + 1, SeverityRole, RuleRole, SubjectRole };

    explicit AlertModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // One evaluation's outcome: the engine's active and recent alerts and what changed.
    void apply(const QList<Alert> &active, const QList<Alert> &recent,
        const QList<AlertTransition> &transitions, const QJsonObject &thresholds);
    // Back to nothing (another cluster attached).
    void clear();

    const QList<Alert> &active() const { return m_active; }
    const QList<Alert> &recent() const { return m_recent; }
    int activeCount() const { return int(m_active.size()); }
    int criticalCount() const;
    const Alert &alert(int row) const
    {
        return row < m_active.size() ? m_active.at(row) : m_recent.at(row - m_active.size());
    }
    // state.json's "alerts": {"active": [...], "recent": [...], "counts", "thresholds"}.
    QJsonObject toJson() const;

    static QColor severityColor(Alert::Severity severity);
    static QString ruleTitle(const QString &rule);

signals:
    void countsChanged(int active, int critical);
    void transitioned(const sb::models::AlertTransition &transition);

private:
    QList<Alert> m_active;
    QList<Alert> m_recent;
    QJsonObject m_thresholds;
};

} // namespace sb::models
