#pragma once

#include "inspect/RedisSessionSnapshot.h"
#include "models/CountHistory.h"
#include "models/SessionCountModel.h"
#include "models/SessionRows.h"

#include <QAbstractTableModel>

namespace sb::models {

// The Sessions lens: every sb:session:* (a client connection on a replica) and
// sb:token:* (an issued token) from the latest pass, one row each; the sessions per
// replica and per user; and the session and token counts over time for the chart.
// TTLs are deadlines on the steady clock, ticked by the view like RedisKeyModel's.
class SessionModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        KindColumn,
        IdColumn,
        UserColumn,
        ReplicaColumn,
        TransportColumn,
        SinceColumn,
        TtlColumn,
        ColumnCount
    };

    explicit SessionModel(QObject *parent = nullptr, int historyCapacity = 720);

    // A pass's rows replace the whole picture (a reset is cheaper than diffing thousands of
    // rows). applyRows takes rows built off the GUI thread (SessionRowsBuilder) and emits
    // the rows it let go as retired(); applySnapshot builds them here (tests, small sets).
    void applyRows(const sb::models::SessionRows &rows);
    void applySnapshot(const inspect::RedisSessionSnapshot &snapshot);

    int sessionCount() const { return m_sessionCount; }
    int tokenCount() const { return int(m_rows.size()) - m_sessionCount; }
    bool hasSnapshot() const { return m_hasSnapshot; }
    QString lastError() const { return m_lastError; }
    // When the pass behind the shown rows finished (ms since the epoch; 0: none yet). The
    // sessions are read every few seconds, not with the area's other figures, so their age
    // is their own (state.json: figures.sessionsAsOf).
    qint64 readAtMs() const { return m_readAtMs; }
    QMap<QString, int> sessionsPerReplica() const { return m_perReplica.counts(); }
    QMap<QString, int> sessionsPerUser() const { return m_perUser.counts(); }
    SessionCountModel *perReplicaModel() { return &m_perReplica; }
    SessionCountModel *perUserModel() { return &m_perUser; }
    const CountHistory &sessionHistory() const { return m_sessionHistory; }
    const CountHistory &tokenHistory() const { return m_tokenHistory; }

    void tickTtl(int first, int last);
    // As RedisKeyModel's: TTLs stop at `steadyMs` while Redis does not answer.
    void freezeClock(qint64 steadyMs);
    void thawClock();
    bool isClockFrozen() const { return m_frozenAtMs >= 0; }
    // "since" as the node wrote it (epoch ms, epoch s, ISO 8601) in local time.
    static QString formatSince(const QString &since);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void snapshotApplied();
    // The rows a pass replaced, for the builder's thread to free.
    void retired(const sb::models::SessionRows &rows);

private:
    QList<SessionRow> m_rows; // sessions first, then tokens
    int m_sessionCount = 0;
    bool m_hasSnapshot = false;
    qint64 m_readAtMs = 0;
    QString m_lastError;
    SessionCountModel m_perReplica;
    SessionCountModel m_perUser;
    CountHistory m_sessionHistory;
    CountHistory m_tokenHistory;
    qint64 m_frozenAtMs = -1; // steady clock; -1: live
};

} // namespace sb::models
