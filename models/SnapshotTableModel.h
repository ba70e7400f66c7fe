#pragma once

#include <QAbstractTableModel>
#include <QList>

namespace sb::models {

// Base of the table models that show one poll at a time. replaceRows() keeps the rows in
// place when the new poll has the same rows in the same order (one dataChanged, so
// selection, sorting and scroll position survive a refresh) and resets the model only
// when rows came or went, which on a live cluster is rare.
template<typename Row> class SnapshotTableModel : public QAbstractTableModel
{
public:
    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }

protected:
    // A header from per-column titles and tooltips (arrays of `columns` entries).
    static QVariant columnHeader(const char *const titles[], const char *const tips[], int columns,
        int section, Qt::Orientation orientation, int role)
    {
        if (orientation != Qt::Horizontal || section < 0 || section >= columns)
            return {};
        if (role == Qt::DisplayRole)
            return QString::fromLatin1(titles[section]);
        if (role == Qt::ToolTipRole)
            return QString::fromLatin1(tips[section]);
        return {};
    }

    template<typename SameRow> void replaceRows(QList<Row> rows, SameRow sameRow)
    {
        bool same = rows.size() == m_rows.size();
        for (qsizetype i = 0; same && i < rows.size(); ++i)
            same = sameRow(rows.at(i), m_rows.at(i));
        if (!same) {
            beginResetModel();
            m_rows = std::move(rows);
            endResetModel();
            return;
        }
        m_rows = std::move(rows);
        if (!m_rows.isEmpty())
            emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, columnCount() - 1));
    }

    QList<Row> m_rows;
};

} // namespace sb::models
