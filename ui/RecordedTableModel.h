#pragma once

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QStringList>

namespace sb::ui {

// One recorded table (a sample's rows, each an object of displayed text keyed by column)
// as a read-only table for replay. Columns: the recorded column order when the recording
// has it, else `preferred` first (the live view's order) then the rest in name order.
// Values that are not text (a frame's headers) are shown as compact JSON.
class RecordedTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    explicit RecordedTableModel(QStringList preferredColumns = {}, QObject *parent = nullptr);

    // The rows of one sample. Keeps the columns while they stay the same (a sort or a
    // selection survives stepping through samples).
    void setRows(const QJsonArray &rows, const QStringList &recordedColumns = {});
    QStringList columns() const { return m_columns; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString cellText(const QJsonValue &value);

private:
    QStringList columnsFor(const QJsonArray &rows, const QStringList &recorded) const;

    QStringList m_preferred;
    QStringList m_columns;
    QJsonArray m_rows;
};

} // namespace sb::ui
