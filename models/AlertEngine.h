#pragma once

#include "models/Alert.h"
#include "models/AlertObservations.h"
#include "models/AlertRules.h"
#include "models/AlertThresholds.h"
#include "models/AlertTransition.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>

namespace sb::models {

// Turns observations into alerts, with hysteresis: a rule's condition must hold for
// raiseAfterSeconds before its alert is raised, and its clear condition for
// clearAfterSeconds before it clears; a subject no longer observed (a replica forgotten, a
// group no longer watched) counts as clear. Pure: the caller passes the time, so tests
// step a clock instead of sleeping, and nothing here waits or reads anything.
class AlertEngine
{
public:
    static constexpr int kRecentLimit = 50; // cleared alerts kept, newest first

    explicit AlertEngine(AlertThresholds thresholds = {});

    const AlertThresholds &thresholds() const { return m_thresholds; }
    void setThresholds(const AlertThresholds &thresholds) { m_thresholds = thresholds; }

    // One evaluation at `now` (UTC); returns what it raised, escalated and cleared.
    QList<AlertTransition> evaluate(const AlertObservations &observations, const QDateTime &now);

    // Active alerts, the most severe first, then the oldest.
    QList<Alert> active() const;
    // Cleared alerts, the most recently cleared first, at most kRecentLimit.
    const QList<Alert> &recent() const { return m_recent; }
    QDateTime evaluatedAt() const { return m_evaluatedAt; }
    // The raises under way: a condition that holds but not yet long enough to raise
    // ("dead-letters <topic> raising"). A settled snapshot waits for them
    // (ConsoleSnapshotSettling), bounded by raiseAfterSeconds.
    QStringList pendingRaises() const;
    // The clears under way: a raised alert whose clear condition holds but not yet for
    // clearAfterSeconds ("consumer-group <group> clearing"). A settled snapshot waits for them
    // too (bounded there), so it does not show an alert active a moment before it clears. A
    // counter's alert is not among them until its window has passed without growth: its clear
    // condition does not hold before.
    QStringList pendingClears() const;
    // {"active": [...], "recent": [...], "evaluatedAt", "thresholds"}: state.json's "alerts".
    QJsonObject toJson() const;

private:
    struct Track
    {
        Alert alert;
        bool raised = false;
        QDateTime firingSince; // invalid while the raise condition does not hold
        QDateTime clearingSince; // invalid while the clear condition does not hold
    };
    void step(
        Track *track, const AlertCondition &condition, const QDateTime &now, QList<AlertTransition> *out);

    AlertThresholds m_thresholds;
    AlertRules m_rules;
    QHash<QString, Track> m_tracks; // by Alert::key(); pending and raised
    QList<Alert> m_recent;
    QDateTime m_evaluatedAt;
};

} // namespace sb::models
