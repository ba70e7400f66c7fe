#include "models/SessionModel.h"

#include "inspect/RedisKeyRecord.h"
#include "models/RedisKeyModel.h"

#include <QDateTime>

namespace sb::models {

namespace {
QString withoutPrefix(const QByteArray &key)
{
    // sb:session:{id} / sb:token:{jti}: the id is what follows the last ':'-separated kind.
    const qsizetype kindEnd = key.indexOf(':', key.indexOf(':') + 1);
    return QString::fromUtf8(kindEnd >= 0 ? key.mid(kindEnd + 1) : key);
}

qint64 deadline(qint64 observedAtMs, qint64 pttlMs)
{
    return pttlMs >= 0 ? observedAtMs + pttlMs : -1;
}
} // namespace

SessionModel::SessionModel(QObject *parent, int historyCapacity)
    : QAbstractTableModel(parent)
    , m_perReplica(QStringLiteral("Replica"))
    , m_perUser(QStringLiteral("User"))
    , m_sessionHistory(historyCapacity)
    , m_tokenHistory(historyCapacity)
{ }

void SessionModel::applySnapshot(const inspect::RedisSessionSnapshot &snapshot)
{
    m_lastError = snapshot.error;
    if (!snapshot.error.isEmpty() && snapshot.sessions.isEmpty() && snapshot.tokens.isEmpty()
        && m_hasSnapshot) {
        Q_EMIT snapshotApplied(); // a failed pass keeps the last good picture on screen
        return;
    }
    QMap<QString, int> perReplica;
    QMap<QString, int> perUser;
    QList<Row> rows;
    rows.reserve(snapshot.sessions.size() + snapshot.tokens.size());
    for (const inspect::RedisSessionRecord &s : snapshot.sessions) {
        rows.append({ true, withoutPrefix(s.key), s.user, s.node, s.transport, s.since,
            deadline(snapshot.observedAtMs, s.pttlMs) });
        ++perReplica[s.node];
        ++perUser[s.user];
    }
    for (const inspect::RedisTokenRecord &t : snapshot.tokens)
        rows.append(
            { false, withoutPrefix(t.key), t.user, {}, {}, {}, deadline(snapshot.observedAtMs, t.pttlMs) });

    // A pass replaces the whole picture; a reset is cheaper than diffing thousands of rows.
    beginResetModel();
    m_rows = std::move(rows);
    m_sessionCount = int(snapshot.sessions.size());
    endResetModel();
    m_hasSnapshot = true;
    m_perReplica.setCounts(perReplica);
    m_perUser.setCounts(perUser);
    const qint64 when = snapshot.wallClockMs ? snapshot.wallClockMs : QDateTime::currentMSecsSinceEpoch();
    m_sessionHistory.append(when, m_sessionCount);
    m_tokenHistory.append(when, tokenCount());
    Q_EMIT snapshotApplied();
}

void SessionModel::tickTtl(int first, int last)
{
    first = qMax(0, first);
    last = qMin(int(m_rows.size()) - 1, last);
    if (first <= last)
        Q_EMIT dataChanged(index(first, TtlColumn), index(last, TtlColumn), { Qt::DisplayRole });
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
    const Row &row = m_rows.at(index.row());
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
        return RedisKeyModel::formatTtl(
            row.deadlineMs < 0 ? -1 : qMax<qint64>(0, row.deadlineMs - inspect::steadyNowMs()));
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
