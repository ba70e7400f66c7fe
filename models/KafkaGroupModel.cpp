#include "models/KafkaGroupModel.h"

#include "models/KafkaStatusStyle.h"

namespace sb::models {

using inspect::KafkaGroupInfo;

KafkaGroupModel::KafkaGroupModel(QObject *parent)
    : SnapshotTableModel(parent)
{ }

int KafkaGroupModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant KafkaGroupModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    static const char *const titles[ColumnCount]
        = { "Group", "State", "Members", "Status", "Lag", "Partitions", "Found by", "Why" };
    static const char *const tips[ColumnCount] = { "Consumer group id",
        "Coordinator state (DescribeGroups); unknown where the broker cannot describe groups",
        "Members in the group (unknown where the broker cannot describe groups)",
        "Burrow status: OK, WARN (lag not decreasing) or ERR (a partition is STOP, STALL or REWIND); for the "
        "group "
        "of a replica that is gone, DOWN (it died without leaving; until its session times out) or RETIRED "
        "(nothing "
        "consumes for it any more: no alarm)",
        "Sum of the partitions' lag: log-end offset minus committed offset",
        "Partitions with a committed offset",
        "broker: ListGroups; profile: named in the profile; registry: announced by a replica",
        "The reason for the status, in words" };
    return columnHeader(titles, tips, ColumnCount, section, orientation, role);
}

QVariant KafkaGroupModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const KafkaGroupInfo &g = m_rows.at(index.row());
    const int column = index.column();
    if (role == GroupIdRole)
        return g.id;
    if (role == SeverityRole)
        return inspect::burrowSeverity(g.verdict.status);
    if (role == Qt::ForegroundRole && column == Status)
        return burrowForeground(g.verdict.status);
    if (role == Qt::ToolTipRole) {
        // The id whole, as the view elides it.
        if (!g.error.isEmpty())
            return QStringLiteral("%1\n%2\nOffsets could not be read: %3")
                .arg(g.id, g.verdict.reason, g.error);
        return QStringLiteral("%1\n%2").arg(g.id, g.verdict.reason);
    }
    if (role == Qt::TextAlignmentRole && (column == Members || column == Lag || column == Partitions))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool sort = role == SortRole;
    switch (column) {
    case Group:
        return g.id;
    case State:
        return g.state;
    case Members:
        return sort ? QVariant(g.members)
                    : QVariant(g.members < 0 ? QStringLiteral("—") : QString::number(g.members));
    case Status:
        return sort ? QVariant(inspect::burrowSeverity(g.verdict.status))
                    : QVariant(inspect::burrowStatusName(g.verdict.status));
    case Lag:
        return sort ? QVariant(g.totalLag) : QVariant(QString::number(g.totalLag));
    case Partitions:
        return sort ? QVariant(int(g.partitions.size())) : QVariant(QString::number(g.partitions.size()));
    case FoundBy:
        return g.discoveredBy;
    case Reason:
        return g.error.isEmpty() || !g.partitions.isEmpty() ? g.verdict.reason : g.error;
    default:
        return {};
    }
}

void KafkaGroupModel::apply(const QList<KafkaGroupInfo> &groups)
{
    replaceRows(groups,
        [](const inspect::KafkaGroupInfo &a, const inspect::KafkaGroupInfo &b) { return a.id == b.id; });
}

int KafkaGroupModel::rowOf(const QString &id) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).id == id)
            return int(i);
    }
    return -1;
}

} // namespace sb::models
