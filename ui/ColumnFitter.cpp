#include "ui/ColumnFitter.h"

#include <QEvent>
#include <QHeaderView>
#include <QTableView>

#include <utility>

namespace sb::ui {

ColumnFitter::ColumnFitter(QTableView *table, QList<int> nameColumns, int minChars)
    : QObject(table)
    , m_table(table)
    , m_nameColumns(std::move(nameColumns))
    , m_minChars(minChars)
{
    // Without this a name wraps at each '-' or '.' and every piece is elided on its own.
    table->setWordWrap(false);
    table->setTextElideMode(Qt::ElideMiddle);
    table->viewport()->installEventFilter(this);
    connect(table->model(), &QAbstractItemModel::modelReset, this, &ColumnFitter::fit);
    connect(table->horizontalHeader(), &QHeaderView::sectionResized, this, [this] {
        if (!m_fitting)
            m_userSized = true;
    });
}

bool ColumnFitter::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Resize && !m_userSized)
        fit();
    return QObject::eventFilter(watched, event);
}

void ColumnFitter::fit()
{
    const QHeaderView *header = m_table->horizontalHeader();
    if (header->count() == 0)
        return;
    m_fitting = true;
    m_userSized = false;
    m_table->resizeColumnsToContents();
    const int floor = m_table->fontMetrics().averageCharWidth() * m_minChars;
    // The stretched last column (the reason, which has a tooltip) gives way first: it counts
    // only with its floor.
    const int last = header->logicalIndex(header->count() - 1);
    int needed = 0;
    for (int column = 0; column < header->count(); ++column) {
        if (m_table->isColumnHidden(column))
            continue;
        const int width = m_table->columnWidth(column);
        needed += column == last && header->stretchLastSection() ? qMin(width, floor) : width;
    }
    int excess = needed - m_table->viewport()->width();
    QList<int> slack;
    int totalSlack = 0;
    for (int column : std::as_const(m_nameColumns)) {
        const int minimum = qMax(floor, header->sectionSizeHint(column));
        const int s = m_table->isColumnHidden(column) ? 0 : qMax(0, m_table->columnWidth(column) - minimum);
        slack.append(s);
        totalSlack += s;
    }
    if (excess > 0 && totalSlack > 0) {
        excess = qMin(excess, totalSlack);
        for (qsizetype i = 0; i < m_nameColumns.size(); ++i) {
            const int cut = int((qint64(excess) * slack.at(i) + totalSlack - 1) / totalSlack);
            const int column = m_nameColumns.at(i);
            m_table->setColumnWidth(column, m_table->columnWidth(column) - qMin(cut, slack.at(i)));
        }
    }
    m_fitting = false;
}

} // namespace sb::ui
