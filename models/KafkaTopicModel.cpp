#include "models/KafkaTopicModel.h"

#include <QBrush>
#include <QColor>

namespace sb::models {

KafkaTopicModel::KafkaTopicModel(QObject *parent)
    : SnapshotTableModel(parent)
{ }

int KafkaTopicModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant KafkaTopicModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    static const char *const titles[ColumnCount] = { "Topic", "Partitions", "Messages", "Produced/s" };
    static const char *const tips[ColumnCount]
        = { "Topic name; dead-letter topics (*.DLT) holding messages are highlighted", "Partition count",
              "Sum of the partitions' log-end offsets: every message the topic ever received",
              "Messages produced per second since the previous poll" };
    return columnHeader(titles, tips, ColumnCount, section, orientation, role);
}

QVariant KafkaTopicModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const auto &t = m_rows.at(index.row());
    const bool alarm = t.deadLetter && t.endOffsets > 0;
    switch (role) {
    case DeadLetterRole:
        return alarm;
    case Qt::BackgroundRole:
        return alarm ? QVariant(QBrush(QColor(0xfd, 0xe0, 0xdc))) : QVariant();
    case Qt::ForegroundRole:
        return alarm ? QVariant(QBrush(QColor(0xb7, 0x1c, 0x1c))) : QVariant();
    case Qt::ToolTipRole:
        if (alarm)
            return QStringLiteral("%1 message(s) were dead-lettered into %2").arg(t.endOffsets).arg(t.name);
        if (t.deadLetter)
            return QStringLiteral("Dead-letter topic %1: empty").arg(t.name);
        return index.column() == Topic ? QVariant(t.name) : QVariant(); // whole, as the view elides it
    case Qt::TextAlignmentRole:
        return index.column() == Topic ? QVariant() : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    default:
        break;
    }
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool sort = role == SortRole;
    switch (index.column()) {
    case Topic:
        return t.name;
    case Partitions:
        return sort ? QVariant(t.partitions) : QVariant(QString::number(t.partitions));
    case Messages:
        return sort ? QVariant(t.endOffsets) : QVariant(QString::number(t.endOffsets));
    case ProducedPerSecond:
        if (sort)
            return t.producedPerSecond.value_or(-1.0);
        return t.producedPerSecond ? QString::number(*t.producedPerSecond, 'f', 1) : QStringLiteral("—");
    default:
        return {};
    }
}

void KafkaTopicModel::apply(const QList<inspect::KafkaTopicInfo> &topics)
{
    replaceRows(topics,
        [](const inspect::KafkaTopicInfo &a, const inspect::KafkaTopicInfo &b) { return a.name == b.name; });
}

} // namespace sb::models
