#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QMap>
#include <QPair>

namespace sb::models {

// "name, count" rows, largest first: sessions per replica, sessions per user.
class SessionCountModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    SessionCountModel(QString nameHeader, QObject *parent = nullptr);

    void setCounts(const QMap<QString, int> &counts);
    QMap<QString, int> counts() const { return m_counts; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString m_nameHeader;
    QMap<QString, int> m_counts;
    QList<QPair<QString, int>> m_rows;
};

} // namespace sb::models
