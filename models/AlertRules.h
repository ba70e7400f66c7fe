#pragma once

#include "models/AlertCondition.h"
#include "models/AlertCounterTrend.h"
#include "models/AlertObservations.h"
#include "models/AlertThresholds.h"

#include <QDateTime>
#include <QList>
#include <QSet>
#include <QStringView>

namespace sb::models {

// The alert rules: from one set of observations, the condition of every subject each rule
// watches (firing, clearing, or in between). Only what some rule watches is listed; a
// subject no longer observed is the engine's to clear. The rules remember what judging a
// moment alone cannot tell: how counters grew over the window, and which replicas were
// draining when they went away (a replica that drained and left is not "down").
class AlertRules
{
public:
    // The rule keys, as alerts and state.json name them.
    static constexpr QStringView ReplicaDown = u"replica-down";
    static constexpr QStringView ReplicaUnready = u"replica-unready";
    static constexpr QStringView DrainOverdue = u"drain-overdue";
    static constexpr QStringView ConnectionImbalance = u"connection-imbalance";
    static constexpr QStringView ConsumerGroup = u"consumer-group";
    static constexpr QStringView DeadLetters = u"dead-letters";
    static constexpr QStringView RedisUnreachable = u"redis-unreachable";
    static constexpr QStringView RedisLatency = u"redis-latency";
    static constexpr QStringView HeartbeatTimeouts = u"heartbeat-timeouts";
    static constexpr QStringView SlowConsumerDrops = u"slow-consumer-drops";
    static constexpr QStringView TapDrops = u"tap-drops";

    QList<AlertCondition> conditions(
        const AlertObservations &observations, const AlertThresholds &thresholds, const QDateTime &now);

private:
    void replicaStates(const AlertObservations &o, const AlertThresholds &t, const QDateTime &now,
        QList<AlertCondition> *out);
    static void imbalance(const AlertObservations &o, const AlertThresholds &t, QList<AlertCondition> *out);
    static void consumerGroups(const AlertObservations &o, QList<AlertCondition> *out);
    static void redis(const AlertObservations &o, const AlertThresholds &t, QList<AlertCondition> *out);
    void counters(
        const AlertObservations &o, const AlertThresholds &t, qint64 nowMs, QList<AlertCondition> *out);
    void counter(const QString &rule, const QString &subject, qint64 value, int raiseAt, const QString &what,
        Alert::Severity severity, const AlertThresholds &t, qint64 nowMs, QList<AlertCondition> *out);

    AlertCounterTrend m_trend;
    QSet<QString> m_leftAfterDraining; // down replicas whose last state seen alive was draining
    QSet<QString> m_draining;
};

} // namespace sb::models
