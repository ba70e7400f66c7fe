#include "models/KafkaPartitionModel.h"

#include "models/KafkaStatusStyle.h"

namespace sb::models {

KafkaPartitionModel::KafkaPartitionModel(QObject *parent)
    : SnapshotTableModel(parent)
{ }

int KafkaPartitionModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant KafkaPartitionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    static const char *const titles[ColumnCount]
        = { "Group", "Topic", "Partition", "Committed", "Log end", "Lag", "Status", "Why" };
    static const char *const tips[ColumnCount]
        = { "Consumer group id", "Topic", "Partition number", "The group's committed offset (OffsetFetch)",
              "The partition's log-end offset (ListOffsets, latest)", "Log end minus committed",
              ("Burrow status over the last commits: OK, WARN, STOP, STALL or REWIND; RETIRED for a "
               "retired group's partitions"),
              "The reason for the status, in words" };
    return columnHeader(titles, tips, ColumnCount, section, orientation, role);
}

QVariant KafkaPartitionModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const KafkaPartitionRow &r = m_rows.at(index.row());
    const int column = index.column();
    if (role == GroupIdRole)
        return r.group;
    if (role == Qt::ForegroundRole && column == Status)
        return burrowForeground(r.lag.verdict.status);
    if (role == Qt::ToolTipRole) // names whole, as the view elides them
        // One arg() call: chained ones would substitute a "%1" inside a group id.
        return QStringLiteral("%1 · %2-%3\n%4")
            .arg(r.group, r.lag.topic, QString::number(r.lag.partition), r.lag.verdict.reason);
    if (role == Qt::TextAlignmentRole && column >= Partition && column <= Lag)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool sort = role == SortRole;
    auto number = [sort](qint64 value) { return sort ? QVariant(value) : QVariant(offsetText(value)); };
    switch (column) {
    case Group:
        return r.group;
    case Topic:
        return r.lag.topic;
    case Partition:
        return sort ? QVariant(r.lag.partition) : QVariant(QString::number(r.lag.partition));
    case Committed:
        return number(r.lag.committed);
    case LogEnd:
        return number(r.lag.logEnd);
    case Lag:
        return number(r.lag.lag);
    case Status:
        return sort ? QVariant(inspect::burrowSeverity(r.lag.verdict.status))
                    : QVariant(inspect::burrowStatusName(r.lag.verdict.status));
    case Reason:
        return r.lag.verdict.reason;
    default:
        return {};
    }
}

void KafkaPartitionModel::apply(const QList<inspect::KafkaGroupInfo> &groups)
{
    QList<KafkaPartitionRow> rows;
    for (const auto &g : groups) {
        for (const auto &p : g.partitions)
            rows.append({ g.id, p });
    }
    replaceRows(std::move(rows), [](const KafkaPartitionRow &a, const KafkaPartitionRow &b) {
        return a.lag.partition == b.lag.partition && a.lag.topic == b.lag.topic && a.group == b.group;
    });
}

} // namespace sb::models
