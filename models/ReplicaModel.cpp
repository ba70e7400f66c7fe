#include "models/ReplicaModel.h"

#include <QBrush>
#include <QColor>
#include <QLocale>
#include <QSet>

namespace sb::models {

using sb::inspect::ReplicaInfo;
using sb::inspect::ReplicaSnapshot;

namespace {

QVariant count(const std::optional<qint64> &value)
{
    return value ? QVariant(QString::number(*value)) : QVariant(QStringLiteral("—"));
}

QVariant rate(const std::optional<double> &value)
{
    return value ? QVariant(QString::number(*value, 'f', 1)) : QVariant(QStringLiteral("—"));
}

QString clock(const QDateTime &at)
{
    return at.isValid() ? at.toLocalTime().toString(QStringLiteral("HH:mm:ss")) : QStringLiteral("—");
}

QColor stateColour(ReplicaInfo::State state)
{
    switch (state) {
    case ReplicaInfo::State::Ready:
        return QColor(0xc8, 0xe6, 0xc9); // green
    case ReplicaInfo::State::Up:
        return QColor(0xbb, 0xde, 0xfb); // blue: answering, readiness unknown
    case ReplicaInfo::State::Unready:
        return QColor(0xff, 0xf5, 0x9d); // yellow: alive, refuses traffic
    case ReplicaInfo::State::Draining:
        return QColor(0xff, 0xe0, 0xb2); // amber
    case ReplicaInfo::State::Down:
        return QColor(0xff, 0xcd, 0xd2); // red
    case ReplicaInfo::State::Left:
        return QColor(0xe0, 0xe0, 0xe0); // grey: gone on purpose, not an error
    }
    return {};
}

} // namespace

ReplicaModel::ReplicaModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

int ReplicaModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ReplicaModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ReplicaModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole) {
        static const QStringList names { QStringLiteral("Replica"), QStringLiteral("Address"),
            QStringLiteral("State"), QStringLiteral("Uptime"), QStringLiteral("WebSocket"),
            QStringLiteral("SSE"), QStringLiteral("Subscriptions"), QStringLiteral("In/s"),
            QStringLiteral("Out/s"), QStringLiteral("HB timeouts"), QStringLiteral("Slow drops"),
            QStringLiteral("Last seen") };
        return names.at(section);
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case State:
            return QStringLiteral("up: answering; alive, not ready: its /healthz/live answers, its "
                                  "/healthz/ready refuses traffic (and why); ready: accepts traffic; "
                                  "draining: shutting down; down: no source sees it and its own probes fail");
        case WsConnections:
            return QStringLiteral("Open STOMP-over-WebSocket connections");
        case SseConnections:
            return QStringLiteral("Open Server-Sent Events streams");
        case MessagesInPerSecond:
            return QStringLiteral("Frames received per second");
        case MessagesOutPerSecond:
            return QStringLiteral("Frames sent per second");
        case HeartbeatTimeouts:
            return QStringLiteral("Connections closed after 3 silent heart-beat intervals (total)");
        case SlowConsumerDrops:
            return QStringLiteral(
                "Connections dropped for not reading: their outbound queue passed "
                "--limit-outbound-bytes (sb_dropped_total{reason=\"slow_consumer\"}, total)");
        default:
            break;
        }
    }
    return {};
}

QVariant ReplicaModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ReplicaInfo &r = m_rows.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return display(r, column);
    case SortRole:
        return sortValue(r, column);
    case StateRole:
        return int(r.state);
    case IdRole:
        return r.id;
    case Qt::ToolTipRole:
        return toolTip(r, column);
    case Qt::TextAlignmentRole:
        return column >= Uptime && column <= SlowConsumerDrops
            ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter))
            : QVariant();
    case Qt::BackgroundRole:
        return column == State ? QVariant(QBrush(stateColour(r.state))) : QVariant();
    case Qt::ForegroundRole:
        // Down rows keep their last known figures, greyed, so nobody reads them as live.
        return r.isGone() ? QVariant(QBrush(QColor(0x75, 0x75, 0x75))) : QVariant();
    default:
        return {};
    }
}

QVariant ReplicaModel::display(const ReplicaInfo &r, int column) const
{
    switch (column) {
    case Id:
        return r.id;
    case Address:
        return r.address.isEmpty() ? QStringLiteral("—") : r.address;
    case State:
        return QString(r.stateText() + QStringLiteral(" since ") + clock(r.stateSince));
    case Uptime:
        if (r.isGone() || !r.started.isValid())
            return QStringLiteral("—");
        return formatDuration(qMax<qint64>(0, r.started.secsTo(m_at)));
    case WsConnections:
        return count(r.wsConnections);
    case SseConnections:
        return count(r.sseConnections);
    case Subscriptions:
        return count(r.subscriptions);
    case MessagesInPerSecond:
        return rate(r.messagesInPerSecond);
    case MessagesOutPerSecond:
        return rate(r.messagesOutPerSecond);
    case HeartbeatTimeouts:
        return count(r.heartbeatTimeouts);
    case SlowConsumerDrops:
        return count(r.slowConsumerDrops);
    case LastSeen:
        return clock(r.lastSeen);
    default:
        return {};
    }
}

QVariant ReplicaModel::sortValue(const ReplicaInfo &r, int column) const
{
    auto number = [](const auto &value) { return value ? QVariant(double(*value)) : QVariant(-1.0); };
    switch (column) {
    case Id:
        return r.id;
    case Address:
        return r.address;
    case State:
        return int(r.state);
    case Uptime:
        return r.started.isValid() && !r.isGone() ? QVariant(double(r.started.secsTo(m_at))) : QVariant(-1.0);
    case WsConnections:
        return number(r.wsConnections);
    case SseConnections:
        return number(r.sseConnections);
    case Subscriptions:
        return number(r.subscriptions);
    case MessagesInPerSecond:
        return number(r.messagesInPerSecond);
    case MessagesOutPerSecond:
        return number(r.messagesOutPerSecond);
    case HeartbeatTimeouts:
        return number(r.heartbeatTimeouts);
    case SlowConsumerDrops:
        return number(r.slowConsumerDrops);
    case LastSeen:
        return r.lastSeen.isValid() ? QVariant(double(r.lastSeen.toMSecsSinceEpoch())) : QVariant(-1.0);
    default:
        return {};
    }
}

QString ReplicaModel::toolTip(const ReplicaInfo &r, int column) const
{
    const QLocale locale;
    QString tip;
    switch (column) {
    case State:
        tip = r.stateText() + QStringLiteral(" since ")
            + locale.toString(r.stateSince.toLocalTime(), QLocale::LongFormat);
        break;
    case LastSeen:
        tip = r.lastSeen.isValid() ? locale.toString(r.lastSeen.toLocalTime(), QLocale::LongFormat)
                                   : QStringLiteral("never answered");
        break;
    case Uptime:
        tip = r.started.isValid()
            ? QStringLiteral("started ") + locale.toString(r.started.toLocalTime(), QLocale::LongFormat)
            : QStringLiteral("no source reports the start time");
        break;
    default:
        tip = r.id + QStringLiteral(" — from ") + (r.source.isEmpty() ? QStringLiteral("?") : r.source);
        if (!r.version.isEmpty())
            tip += QStringLiteral(", version ") + r.version;
        break;
    }
    if (r.isDown())
        tip += QStringLiteral("\nDown: ") + r.detail + QStringLiteral("\nFigures are the last known values.");
    else if (r.state == ReplicaInfo::State::Left)
        tip += QStringLiteral("\nLeft: ") + r.detail
            + QStringLiteral("\nNot an error: it drained before it went.");
    else if (!r.detail.isEmpty())
        tip += QStringLiteral("\n") + r.detail;
    return tip;
}

bool ReplicaModel::sameColumn(const ReplicaInfo &a, const ReplicaInfo &b, int column)
{
    switch (column) {
    case Id:
        return a.id == b.id;
    case Address:
        return a.address == b.address;
    case State:
        return a.state == b.state && a.stateReason == b.stateReason && a.stateSince == b.stateSince
            && a.detail == b.detail;
    case Uptime:
        return false; // moves with every poll while up
    case WsConnections:
        return a.wsConnections == b.wsConnections;
    case SseConnections:
        return a.sseConnections == b.sseConnections;
    case Subscriptions:
        return a.subscriptions == b.subscriptions;
    case MessagesInPerSecond:
        return a.messagesInPerSecond == b.messagesInPerSecond;
    case MessagesOutPerSecond:
        return a.messagesOutPerSecond == b.messagesOutPerSecond;
    case HeartbeatTimeouts:
        return a.heartbeatTimeouts == b.heartbeatTimeouts;
    case SlowConsumerDrops:
        return a.slowConsumerDrops == b.slowConsumerDrops;
    case LastSeen:
        return a.lastSeen == b.lastSeen;
    default:
        return true;
    }
}

void ReplicaModel::apply(const ReplicaSnapshot &snapshot)
{
    QHash<QString, const ReplicaInfo *> incoming;
    incoming.reserve(snapshot.replicas.size());
    for (const ReplicaInfo &info : snapshot.replicas)
        incoming.insert(info.id, &info);

    // 1. Removals (replicas forgotten by discovery): one contiguous run per poll keeps it to
    // a single beginRemoveRows; any other run goes in the next poll, a second later.
    int first = -1;
    int last = -1;
    for (int row = 0; row < m_rows.size(); ++row) {
        if (incoming.contains(m_rows.at(row).id)) {
            if (first >= 0)
                break;
            continue;
        }
        if (first < 0)
            first = row;
        last = row;
    }
    if (first >= 0) {
        beginRemoveRows({}, first, last);
        m_rows.remove(first, last - first + 1);
        reindex();
        endRemoveRows();
    }

    // 2. Updates in place; dataChanged per run of changed rows over the columns that moved.
    const QDateTime previousAt = m_at;
    m_at = snapshot.at;
    const bool uptimeMoves = previousAt != m_at;
    int runStart = -1;
    int runLeft = ColumnCount;
    int runRight = -1;
    auto flush = [&](int endRow) {
        if (runStart >= 0)
            emit dataChanged(index(runStart, runLeft), index(endRow, runRight));
        runStart = -1;
        runLeft = ColumnCount;
        runRight = -1;
    };
    for (int row = 0; row < m_rows.size(); ++row) {
        ReplicaInfo &current = m_rows[row];
        const ReplicaInfo *next = incoming.value(current.id);
        int left = ColumnCount;
        int right = -1;
        if (next) {
            for (int column = 0; column < ColumnCount; ++column) {
                const bool changed = column == Uptime ? (uptimeMoves && !current.isGone())
                                                      : !sameColumn(current, *next, column);
                if (changed) {
                    left = qMin(left, column);
                    right = qMax(right, column);
                }
            }
            current = *next;
        }
        if (right < 0) {
            flush(row - 1);
            continue;
        }
        if (runStart < 0)
            runStart = row;
        runLeft = qMin(runLeft, left);
        runRight = qMax(runRight, right);
    }
    flush(int(m_rows.size()) - 1);

    // 3. New replicas, appended in the snapshot's order with one beginInsertRows.
    QList<ReplicaInfo> added;
    for (const ReplicaInfo &info : snapshot.replicas) {
        if (!m_index.contains(info.id))
            added.append(info);
    }
    if (!added.isEmpty()) {
        const int at = int(m_rows.size());
        beginInsertRows({}, at, at + int(added.size()) - 1);
        m_rows.append(added);
        reindex();
        endInsertRows();
    }

    m_figures = ReplicaFigures::from(snapshot.replicas);
    ++m_polls;
    emit snapshotApplied();
}

void ReplicaModel::reindex()
{
    m_index.clear();
    for (int row = 0; row < m_rows.size(); ++row)
        m_index.insert(m_rows.at(row).id, row);
}

QString ReplicaModel::formatDuration(qint64 seconds)
{
    if (seconds < 60)
        return QStringLiteral("%1s").arg(seconds);
    if (seconds < 3600)
        return QStringLiteral("%1m %2s").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    if (seconds < 86400)
        return QStringLiteral("%1h %2m")
            .arg(seconds / 3600)
            .arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1d %2h").arg(seconds / 86400).arg((seconds % 86400) / 3600);
}

} // namespace sb::models
