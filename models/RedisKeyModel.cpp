#include "models/RedisKeyModel.h"

#include "inspect/RedisGlob.h"

#include <QSet>

#include <algorithm>
#include <limits>

namespace sb::models {

using inspect::RedisKeyRecord;
using inspect::RedisKeyType;

RedisKeyModel::RedisKeyModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void RedisKeyModel::reset(quint64 generation, const QByteArray &pattern)
{
    beginResetModel();
    m_rows.clear();
    m_rows.squeeze();
    m_index.clear();
    m_index.squeeze();
    m_generation = generation;
    m_pattern = pattern.isEmpty() ? QByteArray("*") : pattern;
    endResetModel();
}

void RedisKeyModel::reserve(qsizetype rows)
{
    if (rows <= m_rows.capacity())
        return;
    m_rows.reserve(rows);
    m_index.reserve(rows);
}

RedisKeyModel::Row RedisKeyModel::toRow(const RedisKeyRecord &record)
{
    Row row;
    row.key = record.key;
    row.type = record.type;
    row.deadlineMs = record.pttlMs >= 0 ? record.observedAtMs + record.pttlMs : NoDeadline;
    row.memoryBytes = record.memoryBytes < 0
        ? -1
        : qint32(qMin<qint64>(record.memoryBytes, std::numeric_limits<qint32>::max()));
    return row;
}

void RedisKeyModel::appendBatch(quint64 generation, const inspect::RedisKeyBatch &records)
{
    if (generation != m_generation || records.isEmpty())
        return;
    QList<Row> fresh;
    fresh.reserve(records.size());
    for (const RedisKeyRecord &record : records) {
        if (!record.exists())
            continue; // expired between SCAN and TYPE
        const auto known = m_index.constFind(record.key);
        if (known != m_index.cend()) {
            updateRow(*known, record); // SCAN may return a key twice (rehashing)
            continue;
        }
        m_index.insert(record.key, m_rows.size() + fresh.size());
        fresh.append(toRow(record));
    }
    if (fresh.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(fresh.size()) - 1);
    m_rows.append(std::move(fresh));
    endInsertRows();
}

void RedisKeyModel::applyRefresh(const inspect::RedisKeyBatch &records)
{
    QList<qsizetype> gone;
    QList<Row> fresh;
    QSet<QByteArray> freshKeys;
    for (const RedisKeyRecord &record : records) {
        const auto known = m_index.constFind(record.key);
        if (known == m_index.cend()) {
            if (m_generation != 0 && record.exists() && !freshKeys.contains(record.key)
                && inspect::redisGlobMatch(m_pattern, record.key)) {
                freshKeys.insert(record.key);
                fresh.append(toRow(record));
            }
        } else if (!record.exists()) {
            gone.append(*known);
        } else {
            updateRow(*known, record);
        }
    }
    removeRowsAt(std::move(gone));
    if (!fresh.isEmpty()) {
        const int first = int(m_rows.size());
        for (qsizetype i = 0; i < fresh.size(); ++i)
            m_index.insert(fresh.at(i).key, first + i);
        beginInsertRows({}, first, first + int(fresh.size()) - 1);
        m_rows.append(std::move(fresh));
        endInsertRows();
    }
}

void RedisKeyModel::applyAction(const inspect::RedisActionResult &result)
{
    const qsizetype row = m_index.value(result.key, -1);
    if (row < 0)
        return;
    if (result.pttlMs == RedisKeyRecord::Missing) {
        removeRowsAt({ row });
        return;
    }
    Row &r = m_rows[row];
    r.deadlineMs = result.pttlMs >= 0 ? result.observedAtMs + result.pttlMs : NoDeadline;
    const QModelIndex cell = index(int(row), TtlColumn);
    emit dataChanged(cell, cell);
}

void RedisKeyModel::updateRow(qsizetype row, const RedisKeyRecord &record)
{
    const Row updated = toRow(record);
    Row &current = m_rows[row];
    current.type = updated.type;
    current.deadlineMs = updated.deadlineMs;
    if (updated.memoryBytes >= 0)
        current.memoryBytes = updated.memoryBytes;
    emit dataChanged(index(int(row), TypeColumn), index(int(row), MemoryColumn));
}

// Removes rows (any order), one beginRemoveRows per contiguous run, then renumbers the
// index once from the first removed row: O(rows after it), not O(n) per removed row.
void RedisKeyModel::removeRowsAt(QList<qsizetype> rows)
{
    if (rows.isEmpty())
        return;
    std::sort(rows.begin(), rows.end(), std::greater<>());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    for (qsizetype i = 0; i < rows.size();) {
        qsizetype last = rows.at(i);
        qsizetype first = last;
        ++i;
        while (i < rows.size() && rows.at(i) == first - 1)
            first = rows.at(i++);
        beginRemoveRows({}, int(first), int(last));
        for (qsizetype r = first; r <= last; ++r)
            m_index.remove(m_rows.at(r).key);
        m_rows.remove(first, last - first + 1);
        endRemoveRows();
    }
    for (qsizetype r = rows.constLast(); r < m_rows.size(); ++r)
        m_index[m_rows.at(r).key] = r;
}

void RedisKeyModel::tickTtl(int first, int last)
{
    first = qMax(0, first);
    last = qMin(int(m_rows.size()) - 1, last);
    if (first > last)
        return;
    emit dataChanged(index(first, TtlColumn), index(last, TtlColumn), { Qt::DisplayRole, RemainingMsRole });
}

void RedisKeyModel::freezeClock(qint64 steadyMs)
{
    m_frozenAtMs = qMax<qint64>(0, steadyMs);
    repaintTtls();
}

void RedisKeyModel::thawClock()
{
    if (m_frozenAtMs < 0)
        return;
    m_frozenAtMs = -1;
    repaintTtls();
}

qint64 RedisKeyModel::clockMs() const
{
    return m_frozenAtMs >= 0 ? m_frozenAtMs : inspect::steadyNowMs();
}

void RedisKeyModel::repaintTtls()
{
    if (!m_rows.isEmpty()) // one signal: views repaint only the rows they show
        emit dataChanged(index(0, TtlColumn), index(int(m_rows.size()) - 1, TtlColumn),
            { Qt::DisplayRole, RemainingMsRole });
}

QByteArray RedisKeyModel::keyAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).key : QByteArray();
}

RedisKeyType RedisKeyModel::typeAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).type : RedisKeyType::Unknown;
}

qint64 RedisKeyModel::remainingMs(int row) const
{
    if (row < 0 || row >= m_rows.size() || m_rows.at(row).deadlineMs == NoDeadline)
        return -1;
    return qMax<qint64>(0, m_rows.at(row).deadlineMs - clockMs());
}

QString RedisKeyModel::formatTtl(qint64 remainingMs)
{
    if (remainingMs < 0)
        return QStringLiteral("no expiry");
    if (remainingMs == 0)
        return QStringLiteral("expired");
    // Rounded up, so a key with 0.4 s left still shows "1 s" rather than "expired".
    const qint64 seconds = (remainingMs + 999) / 1000;
    if (seconds < 60)
        return QString::number(seconds) + u" s";
    if (seconds < 3600)
        return QString::number(seconds / 60) + u" m " + QString::number(seconds % 60).rightJustified(2, u'0')
            + u" s";
    if (seconds < 86400)
        return QString::number(seconds / 3600) + u" h "
            + QString::number(seconds % 3600 / 60).rightJustified(2, u'0') + u" m";
    return QString::number(seconds / 86400) + u" d " + QString::number(seconds % 86400 / 3600) + u" h";
}

QString RedisKeyModel::formatBytes(qint64 bytes)
{
    if (bytes < 0)
        return QStringLiteral("—");
    if (bytes < 1024)
        return QString::number(bytes) + u" B";
    if (bytes < 1024 * 1024)
        return QString::number(double(bytes) / 1024.0, 'f', 1) + u" KiB";
    if (bytes < 1024LL * 1024 * 1024)
        return QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 1) + u" MiB";
    return QString::number(double(bytes) / (1024.0 * 1024.0 * 1024.0), 'f', 1) + u" GiB";
}

int RedisKeyModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RedisKeyModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RedisKeyModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case KeyColumn:
            return QString::fromUtf8(row.key);
        case TypeColumn:
            return inspect::redisKeyTypeName(row.type);
        case TtlColumn:
            return formatTtl(remainingMs(index.row()));
        case MemoryColumn:
            return formatBytes(row.memoryBytes);
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == KeyColumn)
            return QString::fromUtf8(row.key);
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == TtlColumn || index.column() == MemoryColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case KeyBytesRole:
        return row.key;
    case KeyTypeRole:
        return int(row.type);
    case RemainingMsRole:
        return remainingMs(index.row());
    case MemoryBytesRole:
        return qint64(row.memoryBytes);
    }
    return {};
}

QVariant RedisKeyModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case KeyColumn:
        return QStringLiteral("Key");
    case TypeColumn:
        return QStringLiteral("Type");
    case TtlColumn:
        return QStringLiteral("TTL");
    case MemoryColumn:
        return QStringLiteral("Memory");
    }
    return {};
}

} // namespace sb::models
