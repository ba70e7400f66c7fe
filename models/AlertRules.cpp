#include "models/AlertRules.h"

#include <QLocale>

#include <algorithm>

namespace sb::models {

namespace {
using ReplicaState = inspect::ReplicaInfo::State;
using inspect::BurrowStatus;

AlertCondition alertCondition(
    QStringView rule, const QString &subject, Alert::Severity severity, bool firing, bool clearing)
{
    AlertCondition c;
    c.rule = rule.toString();
    c.subject = subject;
    c.severity = severity;
    c.firing = firing;
    c.clearing = clearing;
    return c;
}

QString alertCount(qint64 n)
{
    return QLocale::c().toString(n);
}
} // namespace

QList<AlertCondition> AlertRules::conditions(
    const AlertObservations &observations, const AlertThresholds &thresholds, const QDateTime &now)
{
    QList<AlertCondition> out;
    replicaStates(observations, thresholds, now, &out);
    imbalance(observations, thresholds, &out);
    consumerGroups(observations, &out);
    redis(observations, thresholds, &out);
    counters(observations, thresholds, now.toMSecsSinceEpoch(), &out);
    return out;
}

void AlertRules::replicaStates(
    const AlertObservations &o, const AlertThresholds &t, const QDateTime &now, QList<AlertCondition> *out)
{
    QSet<QString> seen;
    for (const auto &r : o.replicas) {
        seen.insert(r.id);
        const QString since
            = r.stateSince.isValid() ? r.stateSince.toUTC().toString(QStringLiteral("HH:mm:ss")) : QString();
        if (r.state == ReplicaState::Down) {
            if (m_draining.contains(r.id))
                m_leftAfterDraining.insert(r.id); // drained and left: its going away was the point
        } else {
            m_leftAfterDraining.remove(r.id);
            if (r.state == ReplicaState::Draining)
                m_draining.insert(r.id);
            else
                m_draining.remove(r.id);
        }

        const bool down = r.state == ReplicaState::Down && !m_leftAfterDraining.contains(r.id);
        AlertCondition d = alertCondition(ReplicaDown, r.id, Alert::Severity::Critical, down, !down);
        d.figure = since.isEmpty() ? QStringLiteral("down") : QStringLiteral("down since %1 UTC").arg(since);
        d.detail = r.reason;
        out->append(d);

        const bool unready = r.state == ReplicaState::Unready;
        AlertCondition u = alertCondition(ReplicaUnready, r.id, Alert::Severity::Warning, unready, !unready);
        u.figure = QStringLiteral("alive, not ready");
        u.detail = r.reason;
        out->append(u);

        const qint64 drainingFor
            = r.state == ReplicaState::Draining && r.stateSince.isValid() ? r.stateSince.secsTo(now) : -1;
        const bool overdue = drainingFor > t.drainGraceSeconds;
        AlertCondition g = alertCondition(DrainOverdue, r.id, Alert::Severity::Warning, overdue, !overdue);
        g.figure = QStringLiteral("draining for %1 s (grace %2 s)").arg(drainingFor).arg(t.drainGraceSeconds);
        out->append(g);
    }
    // Replicas the source forgot: nothing left to remember of them.
    m_draining.intersect(seen);
    m_leftAfterDraining.intersect(seen);
}

void AlertRules::imbalance(const AlertObservations &o, const AlertThresholds &t, QList<AlertCondition> *out)
{
    qint64 total = 0, most = 0;
    int counted = 0;
    for (const auto &r : o.replicas) {
        if (r.state == ReplicaState::Down || !r.connections)
            continue;
        ++counted;
        total += *r.connections;
        most = std::max(most, *r.connections);
    }
    if (counted < 2)
        return; // one replica cannot be unbalanced; the alert, if any, clears as unobserved
    const double mean = double(total) / counted;
    const bool enough = total >= t.imbalanceMinConnections && mean > 0;
    const double ratio = enough ? double(most) / mean : 0.0;
    AlertCondition c = alertCondition(ConnectionImbalance, QStringLiteral("cluster"),
        Alert::Severity::Warning, enough && ratio > t.imbalanceRaise, !enough || ratio <= t.imbalanceClear);
    c.figure = QStringLiteral("imbalance %1 (max %2, mean %3 over %4 replicas)")
                   .arg(QString::number(ratio, 'f', 2), alertCount(most), QString::number(mean, 'f', 1))
                   .arg(counted);
    out->append(c);
}

void AlertRules::consumerGroups(const AlertObservations &o, QList<AlertCondition> *out)
{
    for (const auto &g : o.groups) {
        const int severity = inspect::burrowSeverity(g.status);
        // WARN is a warning; ERR, STOP, STALL, REWIND and DOWN are errors. OK, NOTFOUND and
        // RETIRED (nothing will consume for it again, on purpose) clear.
        const bool firing = severity >= inspect::burrowSeverity(BurrowStatus::Warn);
        AlertCondition c = alertCondition(ConsumerGroup, g.id,
            g.status == BurrowStatus::Warn ? Alert::Severity::Warning : Alert::Severity::Critical, firing,
            !firing);
        c.figure = QStringLiteral("%1, lag %2").arg(inspect::burrowStatusName(g.status), alertCount(g.lag));
        c.detail = g.reason;
        out->append(c);
    }
}

void AlertRules::redis(const AlertObservations &o, const AlertThresholds &t, QList<AlertCondition> *out)
{
    if (o.redisReachable) {
        const bool down = !*o.redisReachable;
        AlertCondition c = alertCondition(
            RedisUnreachable, QStringLiteral("redis"), Alert::Severity::Critical, down, !down);
        c.figure = QStringLiteral("unreachable");
        c.detail = o.redisDetail;
        out->append(c);
    }
    if (o.redisLatencyMs) {
        const qint64 ms = *o.redisLatencyMs;
        AlertCondition c = alertCondition(RedisLatency, QStringLiteral("redis"), Alert::Severity::Warning,
            ms > t.redisLatencyRaiseMs, ms <= t.redisLatencyClearMs);
        c.figure = QStringLiteral("latency %1 ms (threshold %2 ms)").arg(ms).arg(t.redisLatencyRaiseMs);
        out->append(c);
    }
}

void AlertRules::counters(
    const AlertObservations &o, const AlertThresholds &t, qint64 nowMs, QList<AlertCondition> *out)
{
    for (const auto &d : o.deadLetterTopics)
        counter(DeadLetters.toString(), d.topic, d.records, t.deadLettersRaise,
            QStringLiteral("dead-lettered records"), Alert::Severity::Warning, t, nowMs, out);
    for (const auto &r : o.replicas) {
        if (r.state == ReplicaState::Down)
            continue; // its counters are its last known ones; being down is its own alert
        if (r.heartbeatTimeouts)
            counter(HeartbeatTimeouts.toString(), r.id, *r.heartbeatTimeouts, t.heartbeatTimeoutsRaise,
                QStringLiteral("heart-beat timeouts"), Alert::Severity::Warning, t, nowMs, out);
        if (r.slowConsumerDrops)
            counter(SlowConsumerDrops.toString(), r.id, *r.slowConsumerDrops, t.slowConsumerDropsRaise,
                QStringLiteral("slow consumers dropped"), Alert::Severity::Warning, t, nowMs, out);
    }
    for (const auto &s : o.tapSources)
        counter(TapDrops.toString(), s.id, s.droppedBySource, t.tapDropsRaise,
            QStringLiteral("tap frames dropped by the replica"), Alert::Severity::Info, t, nowMs, out);
    if (o.tapDroppedByConsole)
        counter(TapDrops.toString(), QStringLiteral("console"), *o.tapDroppedByConsole, t.tapDropsRaise,
            QStringLiteral("tap frames dropped by the console"), Alert::Severity::Info, t, nowMs, out);
    // Counters of subjects gone for two windows are forgotten, so memory follows the cluster.
    m_trend.forgetOlderThan(nowMs - 2 * qint64(t.counterWindowSeconds) * 1000);
}

void AlertRules::counter(const QString &rule, const QString &subject, qint64 value, int raiseAt,
    const QString &what, Alert::Severity severity, const AlertThresholds &t, qint64 nowMs,
    QList<AlertCondition> *out)
{
    const qint64 grown
        = m_trend.growth(rule + QChar(0x1f) + subject, value, nowMs, qint64(t.counterWindowSeconds) * 1000);
    AlertCondition c = alertCondition(rule, subject, severity, grown >= raiseAt, grown == 0);
    c.figure = QStringLiteral("+%1 %2 in %3 s (%4 in all)")
                   .arg(alertCount(grown), what)
                   .arg(t.counterWindowSeconds)
                   .arg(alertCount(value));
    out->append(c);
}

} // namespace sb::models
