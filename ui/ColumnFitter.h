#pragma once

#include <QList>
#include <QObject>

class QTableView;

namespace sb::ui {

// Keeps a table's columns at their contents' width while they fit, and when they do not,
// narrows the name columns (groups, topics) first, down to `minChars` characters each,
// eliding them in the middle where a generated name's distinguishing suffix
// ("…-node-1-cc60b7c7") survives: long names must not push the figures out of sight.
// The cells' tooltips carry the names whole. Refits when rows arrive (a model reset) and
// when the table is resized, until the user sizes a column by hand; the next reset fits
// again. Owned by the table.
class ColumnFitter : public QObject
{
    Q_OBJECT
public:
    ColumnFitter(QTableView *table, QList<int> nameColumns, int minChars = 14);

    // Fits now and resumes fitting on resize.
    void fit();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QTableView *m_table;
    QList<int> m_nameColumns;
    int m_minChars;
    bool m_fitting = false;
    bool m_userSized = false;
};

} // namespace sb::ui
