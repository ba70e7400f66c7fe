#include "models/SessionModel.h"

#include "inspect/RedisKeyRecord.h"
#include "models/RedisKeyModel.h"

#include <QDateTime>

namespace sb::models {

SessionModel::SessionModel(QObject *parent, int historyCapacity)
    : QAbstractTableModel(parent)
    , m_perReplica(QStringLiteral("Replica"))
    , m_perUser(QStringLiteral("User"))
    , m_sessionHistory(historyCapacity)
    , m_tokenHistory(historyCapacity)
{ }

void SessionModel::applySnapshot(const inspect::RedisSessionSnapshot &snapshot)
{
    applyRows(SessionRows::fromSnapshot(snapshot));
}

void SessionModel::applyRows(const SessionRows &incoming)
{
    m_lastError = incoming.error;
    if (!incoming.error.isEmpty() && incoming.empty() && m_hasSnapshot) {
        emit snapshotApplied(); // a failed pass keeps the last good picture on screen
        return;
    }
    SessionRows old;
    beginResetModel();
    old.rows = std::exchange(m_rows, incoming.rows); // shared, not copied
    m_sessionCount = incoming.sessionCount;
    endResetModel();
    m_hasSnapshot = true;
    m_perReplica.setCounts(incoming.perReplica);
    m_perUser.setCounts(incoming.perUser);
    const qint64 when = incoming.wallClockMs ? incoming.wallClockMs : QDateTime::currentMSecsSinceEpoch();
    m_readAtMs = when;
    m_sessionHistory.append(when, m_sessionCount);
    m_tokenHistory.append(when, tokenCount());
    emit snapshotApplied();
    emit retired(old);
}

void SessionModel::tickTtl(int first, int last)
{
    first = qMax(0, first);
    last = qMin(int(m_rows.size()) - 1, last);
    if (first <= last)
        emit dataChanged(index(first, TtlColumn), index(last, TtlColumn), { Qt::DisplayRole });
}

void SessionModel::freezeClock(qint64 steadyMs)
{
    m_frozenAtMs = qMax<qint64>(0, steadyMs);
    tickTtl(0, int(m_rows.size()) - 1);
}

void SessionModel::thawClock()
{
    if (m_frozenAtMs < 0)
        return;
    m_frozenAtMs = -1;
    tickTtl(0, int(m_rows.size()) - 1);
}

QString SessionModel::formatSince(const QString &since)
{
    bool ok = false;
    const qint64 number = since.toLongLong(&ok);
    QDateTime when;
    if (ok)
        when = QDateTime::fromMSecsSinceEpoch(number < 100000000000LL ? number * 1000 : number);
    else
        when = QDateTime::fromString(since, Qt::ISODateWithMs);
    return when.isValid() ? when.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : since;
}

int SessionModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SessionModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SessionModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SessionRow &row = m_rows.at(index.row());
    if (role == Qt::TextAlignmentRole && index.column() == TtlColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case KindColumn:
        return row.session ? QStringLiteral("session") : QStringLiteral("token");
    case IdColumn:
        return row.id;
    case UserColumn:
        return row.user;
    case ReplicaColumn:
        return row.node;
    case TransportColumn:
        return row.transport;
    case SinceColumn:
        return role == Qt::ToolTipRole ? row.since : formatSince(row.since);
    case TtlColumn:
        return RedisKeyModel::formatTtl(row.deadlineMs < 0
                ? -1
                : qMax<qint64>(
                    0, row.deadlineMs - (m_frozenAtMs >= 0 ? m_frozenAtMs : inspect::steadyNowMs())));
    }
    return {};
}

QVariant SessionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char *const names[] = { "Kind", "Id", "User", "Replica", "Transport", "Since", "TTL" };
    return section >= 0 && section < ColumnCount ? QString::fromLatin1(names[section]) : QVariant();
}

} // namespace sb::models
