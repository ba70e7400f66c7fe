#include "app/FaultEventLog.h"

namespace sb::app {

namespace {
QString effectStateName(FaultEventLog::EffectState state)
{
    switch (state) {
    case FaultEventLog::EffectState::Watching:
        return QStringLiteral("watching");
    case FaultEventLog::EffectState::Observed:
        return QStringLiteral("observed");
    case FaultEventLog::EffectState::NotObserved:
        return QStringLiteral("not observed");
    case FaultEventLog::EffectState::None:
        break;
    }
    return QStringLiteral("none");
}
} // namespace

FaultEventLog::FaultEventLog(QObject *parent)
    : QAbstractTableModel(parent)
{ }

int FaultEventLog::add(const QString &action, const QJsonObject &args, bool accepted, const QString &outcome)
{
    if (m_events.size() >= kMaxEvents) {
        beginRemoveRows({}, 0, 0);
        m_events.removeFirst();
        endRemoveRows();
    }
    Event event;
    event.id = m_nextId++;
    event.at = QDateTime::currentDateTimeUtc();
    event.action = action;
    event.args = args;
    event.accepted = accepted;
    event.outcome = outcome;
    event.effectState = accepted ? EffectState::Watching : EffectState::None;
    beginInsertRows({}, int(m_events.size()), int(m_events.size()));
    m_events.append(event);
    endInsertRows();
    return event.id;
}

int FaultEventLog::rowOf(int id) const
{
    // Ids grow with the rows: the row is at most id - first id.
    for (qsizetype row = m_events.size() - 1; row >= 0; --row)
        if (m_events.at(row).id == id)
            return int(row);
    return -1;
}

void FaultEventLog::append(int row, const QString &what)
{
    Event &event = m_events[row];
    const double seconds = double(event.at.msecsTo(QDateTime::currentDateTimeUtc())) / 1000.0;
    event.effect.append(QStringLiteral("+%1 s: %2").arg(seconds, 0, 'f', 1).arg(what));
}

void FaultEventLog::observe(int id, const QString &what)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    append(row, what);
    emit dataChanged(index(row, Effect), index(row, Effect));
}

void FaultEventLog::finish(int id, EffectState state, const QString &what)
{
    const int row = rowOf(id);
    // An event ends once: a watch can end several ways (seen, deadline, its replica gone),
    // and one that fires before the watch's deferred deletion must not add a second ending.
    if (row < 0 || m_events.at(row).effectState != EffectState::Watching)
        return;
    append(row, what);
    m_events[row].effectState = state;
    emit dataChanged(index(row, Outcome), index(row, Effect));
    emit finished(id);
}

const FaultEventLog::Event *FaultEventLog::eventWithId(int id) const
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_events.at(row);
}

QJsonObject FaultEventLog::toJson(const Event &event) const
{
    return { { QStringLiteral("id"), event.id },
        { QStringLiteral("time"), event.at.toString(Qt::ISODateWithMs) },
        { QStringLiteral("action"), event.action }, { QStringLiteral("args"), event.args },
        { QStringLiteral("accepted"), event.accepted }, { QStringLiteral("outcome"), event.outcome },
        { QStringLiteral("effectState"), effectStateName(event.effectState) },
        { QStringLiteral("effect"), QJsonArray::fromStringList(event.effect) } };
}

QJsonArray FaultEventLog::toJson() const
{
    QJsonArray events;
    for (const Event &event : m_events)
        events.append(toJson(event));
    return events;
}

int FaultEventLog::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int FaultEventLog::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FaultEventLog::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_events.size())
        return {};
    const Event &event = m_events.at(index.row());
    if (role == Qt::ToolTipRole && index.column() == Effect)
        return event.effect.join(u'\n');
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Time:
        return event.at.toLocalTime().toString(QStringLiteral("HH:mm:ss"));
    case Action:
        return event.action;
    case Arguments: {
        QStringList pairs;
        for (auto it = event.args.begin(); it != event.args.end(); ++it)
            pairs << it.key() + u'=' + it.value().toVariant().toString();
        return pairs.join(u' ');
    }
    case Outcome:
        return QString((event.accepted ? QString() : QStringLiteral("refused: ")) + event.outcome);
    case Effect:
        if (event.effectState == EffectState::None)
            return QString();
        return QString(effectStateName(event.effectState)
            + (event.effect.isEmpty() ? QString() : QString(QStringLiteral(" — ") + event.effect.last())));
    default:
        return {};
    }
}

QVariant FaultEventLog::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return QStringLiteral("Time");
    case Action:
        return QStringLiteral("Action");
    case Arguments:
        return QStringLiteral("Arguments");
    case Outcome:
        return QStringLiteral("Outcome");
    case Effect:
        return QStringLiteral("Effect observed");
    default:
        return {};
    }
}

} // namespace sb::app
