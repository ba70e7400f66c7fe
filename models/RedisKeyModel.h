#pragma once

#include "inspect/RedisActionResult.h"
#include "inspect/RedisKeyRecord.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace sb::models {

// The key browser's table: key, type, TTL, memory. Built for millions of rows: a row is
// a 40-byte record (the key's bytes are shared with the batch it came in), text is made
// only in data(), and each batch from the scanner is one beginInsertRows().
//
// TTLs are stored as absolute deadlines on the steady clock, so the column counts down
// with no network call: the view calls tickTtl() once a second for the rows it shows.
// Batches carry the scan generation; those of any other generation than the current
// one (a scan the user replaced) are dropped.
class RedisKeyModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { KeyColumn, TypeColumn, TtlColumn, MemoryColumn, ColumnCount };
    enum Role { KeyBytesRole = Qt::UserRole + 1, KeyTypeRole, RemainingMsRole, MemoryBytesRole };

    explicit RedisKeyModel(QObject *parent = nullptr);

    // Starts a new listing: clears the rows and accepts batches of this generation only.
    void reset(quint64 generation, const QByteArray &pattern);
    quint64 generation() const { return m_generation; }
    QByteArray pattern() const { return m_pattern; }

    // Sizes the rows and the key index for `rows` up front (e.g. DBSIZE for MATCH *), so a
    // million-key listing never stalls the GUI thread on one big rehash or reallocation.
    void reserve(qsizetype rows);
    void appendBatch(quint64 generation, const inspect::RedisKeyBatch &records);
    // Fresh TYPE/PTTL of some keys (visible rows, notified keys): known keys are updated,
    // gone ones removed, new ones that match the pattern appended.
    void applyRefresh(const inspect::RedisKeyBatch &records);
    void applyAction(const inspect::RedisActionResult &result);
    // Repaints the TTL cells of rows [first, last] (clamped): the once-a-second countdown.
    void tickTtl(int first, int last);
    // While the server does not answer, TTLs show what was left at `steadyMs` (when it was
    // last heard) instead of counting down to "expired" keys nobody can see expire;
    // thawed, they count down live again (and the assembly re-reads the rows on screen).
    void freezeClock(qint64 steadyMs);
    void thawClock();
    bool isClockFrozen() const { return m_frozenAtMs >= 0; }

    int rowOfKey(const QByteArray &key) const { return int(m_index.value(key, -1)); }
    QByteArray keyAt(int row) const;
    inspect::RedisKeyType typeAt(int row) const;
    // Milliseconds left, -1 for no expiry.
    qint64 remainingMs(int row) const;

    static QString formatTtl(qint64 remainingMs);
    static QString formatBytes(qint64 bytes);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    static constexpr qint64 NoDeadline = -1;

    struct Row
    {
        QByteArray key;
        qint64 deadlineMs = NoDeadline; // steady clock
        qint32 memoryBytes = -1; // saturated at 2 GiB; -1 unknown
        inspect::RedisKeyType type = inspect::RedisKeyType::Unknown;
    };

    static Row toRow(const inspect::RedisKeyRecord &record);
    qint64 clockMs() const;
    void repaintTtls();
    void updateRow(qsizetype row, const inspect::RedisKeyRecord &record);
    void removeRowsAt(QList<qsizetype> rows); // not removeRows: that would hide QAbstractItemModel's

    QList<Row> m_rows;
    QHash<QByteArray, qsizetype> m_index; // key -> row: dedupes SCAN's repeats, finds notified keys
    quint64 m_generation = 0;
    QByteArray m_pattern = "*";
    qint64 m_frozenAtMs = -1; // steady clock; -1: live
};

} // namespace sb::models
