#pragma once

#include "inspect/KafkaClusterSnapshot.h"
#include "models/SnapshotTableModel.h"

namespace sb::models {

struct KafkaPartitionRow
{
    QString group;
    sb::inspect::KafkaPartitionLag lag;
};

// Every watched group's partitions, flat (group, topic, partition), with committed and
// log-end offsets, lag and the Burrow verdict; the view filters it to the selected group.
// Updated in place when the rows are the same as last poll, reset otherwise.
class KafkaPartitionModel : public SnapshotTableModel<KafkaPartitionRow>
{
    Q_OBJECT
public:
    enum Column { Group, Topic, Partition, Committed, LogEnd, Lag, Status, Reason, ColumnCount };
    Q_ENUM(Column)
    enum Role { SortRole = Qt::UserRole + 1, GroupIdRole };

    explicit KafkaPartitionModel(QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void apply(const QList<sb::inspect::KafkaGroupInfo> &groups);

    const KafkaPartitionRow &row(int row) const { return m_rows.at(row); }
};

} // namespace sb::models
