#pragma once

#include "inspect/ReplicaSnapshot.h"
#include "models/ReplicaFigures.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace sb::models {

// The Replicas table: one row per replica (down ones included, with since-when), applied
// one poll at a time. Rows keep their position (new replicas are appended), so a poll is
// at most one beginInsertRows, one beginRemoveRows and dataChanged over the rows and
// columns that actually changed. data() formats from the stored record; it never waits.
class ReplicaModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Id,
        Address,
        State,
        Uptime,
        WsConnections,
        SseConnections,
        Subscriptions,
        MessagesInPerSecond,
        MessagesOutPerSecond,
        HeartbeatTimeouts,
        SlowConsumerDrops,
        LastSeen,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        SortRole = Qt::UserRole + 1, // raw value for sorting (numbers, times; unknown sorts first)
        StateRole, // ReplicaInfo::State as int
        IdRole,
    };

    explicit ReplicaModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void apply(const sb::inspect::ReplicaSnapshot &snapshot);

    const sb::inspect::ReplicaInfo &replica(int row) const { return m_rows.at(row); }
    int rowOf(const QString &id) const { return m_index.value(id, -1); }
    const ReplicaFigures &figures() const { return m_figures; }
    QDateTime lastPoll() const { return m_at; }
    quint64 polls() const { return m_polls; }

    static QString formatDuration(qint64 seconds);

signals:
    // After each poll is applied (rows and figures current).
    void snapshotApplied();

private:
    QVariant display(const sb::inspect::ReplicaInfo &r, int column) const;
    QVariant sortValue(const sb::inspect::ReplicaInfo &r, int column) const;
    QString toolTip(const sb::inspect::ReplicaInfo &r, int column) const;
    static bool sameColumn(const sb::inspect::ReplicaInfo &a, const sb::inspect::ReplicaInfo &b, int column);
    void reindex();

    QList<sb::inspect::ReplicaInfo> m_rows;
    QHash<QString, int> m_index;
    QDateTime m_at;
    quint64 m_polls = 0;
    ReplicaFigures m_figures;
};

} // namespace sb::models
