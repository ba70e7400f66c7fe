#include "models/SessionCountModel.h"

#include <algorithm>

namespace sb::models {

SessionCountModel::SessionCountModel(QString nameHeader, QObject *parent)
    : QAbstractTableModel(parent)
    , m_nameHeader(std::move(nameHeader))
{ }

void SessionCountModel::setCounts(const QMap<QString, int> &counts)
{
    if (counts == m_counts)
        return;
    beginResetModel();
    m_counts = counts;
    m_rows.clear();
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        m_rows.append({ it.key(), it.value() });
    std::stable_sort(
        m_rows.begin(), m_rows.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
    endResetModel();
}

int SessionCountModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SessionCountModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : 2;
}

QVariant SessionCountModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto &row = m_rows.at(index.row());
    if (role == Qt::DisplayRole)
        return index.column() == 0 ? QVariant(row.first.isEmpty() ? QStringLiteral("(none)") : row.first)
                                   : QVariant(row.second);
    if (role == Qt::TextAlignmentRole && index.column() == 1)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant SessionCountModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    return section == 0 ? m_nameHeader : QStringLiteral("Sessions");
}

} // namespace sb::models
