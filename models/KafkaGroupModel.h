#pragma once

#include "inspect/KafkaClusterSnapshot.h"
#include "models/SnapshotTableModel.h"

namespace sb::models {

// The Kafka view's consumer groups: one row per watched group with its state, members,
// Burrow status and the reason, total lag and how it was found. Applied one poll at a
// time: when the set of groups is unchanged the rows are updated in place (one
// dataChanged), so selection and scroll position survive; otherwise the model resets.
class KafkaGroupModel : public SnapshotTableModel<sb::inspect::KafkaGroupInfo>
{
    Q_OBJECT
public:
    enum Column { Group, State, Members, Status, Lag, Partitions, FoundBy, Reason, ColumnCount };
    Q_ENUM(Column)
    enum Role { SortRole = Qt::UserRole + 1, SeverityRole, GroupIdRole };

    explicit KafkaGroupModel(QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void apply(const QList<sb::inspect::KafkaGroupInfo> &groups);
    const sb::inspect::KafkaGroupInfo &group(int row) const { return m_rows.at(row); }
    int rowOf(const QString &id) const;
};

} // namespace sb::models
