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

bool sameEvent(const FaultEventLog::Event &a, const FaultEventLog::Event &b)
{
    return a.id == b.id && a.at == b.at && a.action == b.action && a.args == b.args
        && a.accepted == b.accepted && a.outcome == b.outcome && a.effectState == b.effectState
        && a.effect == b.effect;
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

std::optional<FaultEventLog::Event> FaultEventLog::eventFromJson(const QJsonObject &json)
{
    Event event;
    event.id = json.value(QStringLiteral("id")).toInt();
    event.at = QDateTime::fromString(json.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
    event.action = json.value(QStringLiteral("action")).toString();
    if (event.id <= 0 || !event.at.isValid() || event.action.isEmpty())
        return std::nullopt;
    event.args = json.value(QStringLiteral("args")).toObject();
    event.accepted = json.value(QStringLiteral("accepted")).toBool();
    event.outcome = json.value(QStringLiteral("outcome")).toString();
    const QString state = json.value(QStringLiteral("effectState")).toString();
    event.effectState = EffectState::None;
    for (EffectState known : { EffectState::Watching, EffectState::Observed, EffectState::NotObserved })
        if (state == effectStateName(known))
            event.effectState = known;
    for (const QJsonValue &line : json.value(QStringLiteral("effect")).toArray())
        event.effect.append(line.toString());
    return event;
}

void FaultEventLog::mirror(const QList<Event> &given)
{
    // Bounded like the log's own rows, whatever the other log holds.
    const QList<Event> events = given.size() > kMaxEvents ? given.mid(given.size() - kMaxEvents) : given;
    QList<int> ended;
    // The oldest rows the other log dropped go first (ids grow with the rows), so the rest
    // can be compared row by row.
    qsizetype dropped = 0;
    while (!events.isEmpty() && dropped < m_events.size() && m_events.at(dropped).id < events.first().id)
        ++dropped;
    if (dropped > 0) {
        beginRemoveRows({}, 0, int(dropped) - 1);
        m_events.remove(0, dropped);
        endRemoveRows();
    }
    bool samePrefix = events.size() >= m_events.size();
    for (qsizetype row = 0; samePrefix && row < m_events.size(); ++row)
        samePrefix = m_events.at(row).id == events.at(row).id;
    if (!samePrefix) {
        beginResetModel();
        m_events = events;
        endResetModel();
    } else {
        for (qsizetype row = 0; row < m_events.size(); ++row) {
            if (sameEvent(m_events.at(row), events.at(row)))
                continue;
            if (m_events.at(row).effectState == EffectState::Watching
                && events.at(row).effectState != EffectState::Watching)
                ended.append(events.at(row).id);
            m_events[row] = events.at(row);
            emit dataChanged(index(int(row), 0), index(int(row), ColumnCount - 1));
        }
        if (events.size() > m_events.size()) {
            beginInsertRows({}, int(m_events.size()), int(events.size()) - 1);
            m_events.append(events.mid(m_events.size()));
            endInsertRows();
        }
    }
    m_nextId = m_events.isEmpty() ? m_nextId : m_events.last().id + 1;
    for (int id : std::as_const(ended))
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
