#include "models/AlertModel.h"

#include "models/AlertRules.h"

#include <QBrush>
#include <QColor>
#include <QJsonArray>

namespace sb::models {

namespace {
bool sameAlerts(const QList<Alert> &a, const QList<Alert> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (a.at(i).key() != b.at(i).key() || a.at(i).raisedAt != b.at(i).raisedAt)
            return false;
    return true;
}

QString alertTime(const QDateTime &at)
{
    return at.isValid() ? at.toLocalTime().toString(QStringLiteral("HH:mm:ss")) : QString();
}
} // namespace

AlertModel::AlertModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

int AlertModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_active.size() + m_recent.size());
}

int AlertModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AlertModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    static const char *const titles[ColumnCount]
        = { "Severity", "Alert", "Subject", "Figure", "Since", "Cleared" };
    static const char *const tips[ColumnCount]
        = { "critical, warning or info; active alerts are listed first", "The rule that raised it",
              "What it is about: a replica, a consumer group, a topic, Redis, the cluster",
              "The figure that raised it, as of the last evaluation",
              "When its condition began to hold (it is raised once it held for the raise hold time)",
              "When it cleared (its clear condition held for the clear hold time); empty while active" };
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole)
        return QString::fromLatin1(titles[section]);
    if (role == Qt::ToolTipRole)
        return QString::fromLatin1(tips[section]);
    return {};
}

QVariant AlertModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Alert &a = alert(index.row());
    switch (role) {
    case ActiveRole:
        return a.isActive();
    case SeverityRole:
        return int(a.severity);
    case RuleRole:
        return a.rule;
    case SubjectRole:
        return a.subject;
    case Qt::ForegroundRole:
        if (!a.isActive())
            return QBrush(QColor(0x75, 0x75, 0x75)); // cleared: history, greyed
        return index.column() == Severity ? QVariant(QBrush(severityColor(a.severity))) : QVariant();
    case Qt::ToolTipRole: {
        QString tip = QStringLiteral("%1 — %2\n%3").arg(ruleTitle(a.rule), a.subject, a.figure);
        if (!a.detail.isEmpty())
            tip += QStringLiteral("\n") + a.detail;
        tip += QStringLiteral("\nsince %1 UTC, raised %2 UTC")
                   .arg(a.since.toUTC().toString(Qt::ISODate), a.raisedAt.toUTC().toString(Qt::ISODate));
        if (!a.isActive())
            tip += QStringLiteral(", cleared %1 UTC").arg(a.clearedAt.toUTC().toString(Qt::ISODate));
        return tip;
    }
    case Qt::DisplayRole:
        switch (index.column()) {
        case Severity:
            return Alert::severityName(a.severity);
        case Rule:
            return ruleTitle(a.rule);
        case Subject:
            return a.subject;
        case Figure:
            return a.detail.isEmpty() ? a.figure : a.figure + QStringLiteral(" — ") + a.detail;
        case Since:
            return alertTime(a.since);
        case Cleared:
            return alertTime(a.clearedAt);
        default:
            return {};
        }
    default:
        return {};
    }
}

void AlertModel::apply(const QList<Alert> &active, const QList<Alert> &recent,
    const QList<AlertTransition> &transitions, const QJsonObject &thresholds)
{
    const int before = activeCount();
    const int criticalBefore = criticalCount();
    m_thresholds = thresholds;
    if (sameAlerts(active, m_active) && sameAlerts(recent, m_recent)) {
        m_active = active;
        m_recent = recent;
        if (rowCount() > 0)
            emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    } else {
        beginResetModel();
        m_active = active;
        m_recent = recent;
        endResetModel();
    }
    for (const AlertTransition &t : transitions)
        emit transitioned(t);
    if (before != activeCount() || criticalBefore != criticalCount())
        emit countsChanged(activeCount(), criticalCount());
}

void AlertModel::clear()
{
    apply({}, {}, {}, m_thresholds);
}

int AlertModel::criticalCount() const
{
    int n = 0;
    for (const Alert &a : m_active)
        n += a.severity == Alert::Severity::Critical ? 1 : 0;
    return n;
}

QJsonObject AlertModel::toJson() const
{
    QJsonArray active;
    for (const Alert &a : m_active)
        active.append(a.toJson());
    QJsonArray recent;
    for (const Alert &a : m_recent)
        recent.append(a.toJson());
    return {
        { QStringLiteral("active"), active },
        { QStringLiteral("recent"), recent },
        { QStringLiteral("counts"),
            QJsonObject { { QStringLiteral("active"), activeCount() },
                { QStringLiteral("critical"), criticalCount() },
                { QStringLiteral("recent"), int(m_recent.size()) } } },
        { QStringLiteral("thresholds"), m_thresholds },
    };
}

QColor AlertModel::severityColor(Alert::Severity severity)
{
    // The Kafka tables' colours (KafkaStatusStyle), so red and amber mean the same everywhere.
    switch (severity) {
    case Alert::Severity::Critical:
        return QColor(0xc6, 0x28, 0x28);
    case Alert::Severity::Warning:
        return QColor(0xb2, 0x6b, 0x00);
    case Alert::Severity::Info:
        return QColor(0x15, 0x65, 0xc0);
    }
    return {};
}

QString AlertModel::ruleTitle(const QString &rule)
{
    static const QList<QPair<QStringView, const char *>> titles {
        { AlertRules::ReplicaDown, "Replica down" },
        { AlertRules::ReplicaUnready, "Replica not ready" },
        { AlertRules::DrainOverdue, "Drain over its grace" },
        { AlertRules::ConnectionImbalance, "Connection imbalance" },
        { AlertRules::ConsumerGroup, "Consumer group" },
        { AlertRules::DeadLetters, "Dead letters growing" },
        { AlertRules::RedisUnreachable, "Redis unreachable" },
        { AlertRules::RedisLatency, "Redis slow" },
        { AlertRules::HeartbeatTimeouts, "Heart-beat timeouts" },
        { AlertRules::SlowConsumerDrops, "Slow consumers dropped" },
        { AlertRules::TapDrops, "Tap frames dropped" },
    };
    for (const auto &[key, title] : titles)
        if (key == rule)
            return QString::fromLatin1(title);
    return rule;
}

} // namespace sb::models
