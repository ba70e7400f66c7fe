#pragma once

#include "inspect/KafkaClusterSnapshot.h"
#include "models/SnapshotTableModel.h"

namespace sb::models {

// The Kafka view's topics: partitions, messages (sum of log-end offsets), produce rate.
// Dead-letter topics (*.DLT) that hold anything are highlighted: each record in one is a
// message the cluster gave up on.
class KafkaTopicModel : public SnapshotTableModel<sb::inspect::KafkaTopicInfo>
{
    Q_OBJECT
public:
    enum Column { Topic, Partitions, Messages, ProducedPerSecond, ColumnCount };
    Q_ENUM(Column)
    enum Role { SortRole = Qt::UserRole + 1, DeadLetterRole };

    explicit KafkaTopicModel(QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void apply(const QList<sb::inspect::KafkaTopicInfo> &topics);
    const sb::inspect::KafkaTopicInfo &topic(int row) const { return m_rows.at(row); }
};

} // namespace sb::models
