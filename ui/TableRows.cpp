#include "ui/TableRows.h"

#include <QAbstractItemModel>
#include <QHeaderView>
#include <QJsonObject>
#include <QTableView>

namespace sb::ui {

QJsonArray tableRows(const QTableView *table, int maxRows)
{
    QJsonArray rows;
    const QAbstractItemModel *model = table->model();
    if (!model)
        return rows;
    const int count = qMin(model->rowCount(), maxRows);
    for (int row = 0; row < count; ++row) {
        QJsonObject cells;
        for (int column = 0; column < model->columnCount(); ++column) {
            if (table->isColumnHidden(column))
                continue;
            const QString header = model->headerData(column, Qt::Horizontal).toString();
            cells.insert(header, model->index(row, column).data().toString());
        }
        rows.append(cells);
    }
    return rows;
}

QJsonArray tableColumns(const QTableView *table)
{
    QJsonArray columns;
    const QAbstractItemModel *model = table->model();
    if (!model)
        return columns;
    const QHeaderView *header = table->horizontalHeader();
    for (int visual = 0; visual < header->count(); ++visual) {
        const int column = header->logicalIndex(visual);
        if (column >= 0 && !table->isColumnHidden(column))
            columns.append(model->headerData(column, Qt::Horizontal).toString());
    }
    return columns;
}

} // namespace sb::ui
