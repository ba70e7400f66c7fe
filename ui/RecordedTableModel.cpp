#include "ui/RecordedTableModel.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace sb::ui {

RecordedTableModel::RecordedTableModel(QStringList preferredColumns, QObject *parent)
    : QAbstractTableModel(parent)
    , m_preferred(std::move(preferredColumns))
{ }

QStringList RecordedTableModel::columnsFor(const QJsonArray &rows, const QStringList &recorded) const
{
    if (!recorded.isEmpty())
        return recorded;
    QSet<QString> present;
    for (const QJsonValue &row : rows)
        for (const QString &key : row.toObject().keys())
            present.insert(key);
    QStringList columns;
    for (const QString &name : m_preferred)
        if (present.remove(name))
            columns << name;
    QStringList rest(present.cbegin(), present.cend());
    rest.sort();
    return columns + rest;
}

void RecordedTableModel::setRows(const QJsonArray &rows, const QStringList &recordedColumns)
{
    const QStringList columns = columnsFor(rows, recordedColumns);
    if (columns != m_columns) {
        beginResetModel();
        m_columns = columns;
        m_rows = rows;
        endResetModel();
        return;
    }
    // Same columns: rows replaced in place, so the view keeps its sort and scroll position.
    const int before = int(m_rows.size());
    const int after = int(rows.size());
    if (after < before) {
        beginRemoveRows({}, after, before - 1);
        m_rows = rows;
        endRemoveRows();
    } else if (after > before) {
        beginInsertRows({}, before, after - 1);
        m_rows = rows;
        endInsertRows();
    } else {
        m_rows = rows;
    }
    if (after > 0 && !m_columns.isEmpty())
        emit dataChanged(
            index(0, 0), index(after - 1, int(m_columns.size()) - 1), { Qt::DisplayRole, Qt::ToolTipRole });
}

int RecordedTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RecordedTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QString RecordedTableModel::cellText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double:
        return QString::number(value.toDouble(), 'g', 15);
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("yes") : QStringLiteral("no");
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    default:
        return QString();
    }
}

QVariant RecordedTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size() || index.column() >= m_columns.size())
        return {};
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    const QString text = cellText(m_rows.at(index.row()).toObject().value(m_columns.at(index.column())));
    // Whole text in the tooltip: a recorded cell is often wider than its column.
    return text;
}

QVariant RecordedTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section >= 0
        && section < m_columns.size())
        return m_columns.at(section);
    return QAbstractTableModel::headerData(section, orientation, role);
}

} // namespace sb::ui
