#include "models/AlertEngine.h"

#include <QJsonArray>
#include <QSet>

#include <algorithm>

namespace sb::models {

AlertEngine::AlertEngine(AlertThresholds thresholds)
    : m_thresholds(thresholds)
{ }

QList<AlertTransition> AlertEngine::evaluate(const AlertObservations &observations, const QDateTime &now)
{
    m_evaluatedAt = now;
    QList<AlertTransition> out;
    QSet<QString> observed;
    for (const AlertCondition &condition : m_rules.conditions(observations, m_thresholds, now)) {
        const QString key = condition.rule + QChar(0x1f) + condition.subject;
        observed.insert(key);
        auto it = m_tracks.find(key);
        if (it == m_tracks.end()) {
            if (!condition.firing)
                continue; // nothing pending, nothing raised: no need to remember it
            it = m_tracks.insert(key, Track {});
            it->alert.rule = condition.rule;
            it->alert.subject = condition.subject;
        }
        step(&*it, condition, now, &out);
    }
    // What is no longer observed clears like a condition that ended.
    AlertCondition gone;
    gone.firing = false;
    gone.clearing = true;
    for (auto it = m_tracks.begin(); it != m_tracks.end(); ++it)
        if (!observed.contains(it.key()))
            step(&*it, gone, now, &out);
    for (auto it = m_tracks.begin(); it != m_tracks.end();) {
        if (!it->raised && !it->firingSince.isValid())
            it = m_tracks.erase(it); // neither pending nor raised
        else
            ++it;
    }
    return out;
}

void AlertEngine::step(
    Track *track, const AlertCondition &condition, const QDateTime &now, QList<AlertTransition> *out)
{
    Alert &alert = track->alert;
    if (condition.firing) {
        if (!track->firingSince.isValid())
            track->firingSince = now;
        // The newest figure while it holds: the alert says how bad it is now.
        const bool escalated = track->raised && condition.severity > alert.severity
            && condition.severity == Alert::Severity::Critical;
        alert.severity = condition.severity;
        alert.figure = condition.figure;
        alert.detail = condition.detail;
        if (escalated)
            out->append({ AlertTransition::Kind::Escalated, alert });
    } else {
        track->firingSince = {};
    }
    track->clearingSince
        = condition.clearing ? (track->clearingSince.isValid() ? track->clearingSince : now) : QDateTime();

    if (!track->raised) {
        if (track->firingSince.isValid()
            && track->firingSince.secsTo(now) >= m_thresholds.raiseAfterSeconds) {
            track->raised = true;
            track->clearingSince = {};
            alert.since = track->firingSince;
            alert.raisedAt = now;
            alert.clearedAt = {};
            out->append({ AlertTransition::Kind::Raised, alert });
        }
        return;
    }
    if (track->clearingSince.isValid()
        && track->clearingSince.secsTo(now) >= m_thresholds.clearAfterSeconds) {
        alert.clearedAt = now;
        out->append({ AlertTransition::Kind::Cleared, alert });
        m_recent.prepend(alert);
        if (m_recent.size() > kRecentLimit)
            m_recent.removeLast();
        track->raised = false;
        track->firingSince = {};
        track->clearingSince = {};
    }
}

QList<Alert> AlertEngine::active() const
{
    QList<Alert> alerts;
    for (const Track &track : m_tracks)
        if (track.raised)
            alerts.append(track.alert);
    std::sort(alerts.begin(), alerts.end(), [](const Alert &a, const Alert &b) {
        if (a.severity != b.severity)
            return a.severity > b.severity;
        if (a.since != b.since)
            return a.since < b.since;
        return a.key() < b.key();
    });
    return alerts;
}

QJsonObject AlertEngine::toJson() const
{
    QJsonArray active;
    for (const Alert &alert : this->active())
        active.append(alert.toJson());
    QJsonArray recent;
    for (const Alert &alert : m_recent)
        recent.append(alert.toJson());
    QJsonObject json {
        { QStringLiteral("active"), active },
        { QStringLiteral("recent"), recent },
        { QStringLiteral("thresholds"), m_thresholds.toJson() },
    };
    if (m_evaluatedAt.isValid())
        json.insert(QStringLiteral("evaluatedAt"), m_evaluatedAt.toUTC().toString(Qt::ISODateWithMs));
    return json;
}

QStringList AlertEngine::pendingRaises() const
{
    QStringList pending;
    for (const Track &track : m_tracks)
        if (!track.raised && track.firingSince.isValid())
            pending << track.alert.rule + u' ' + track.alert.subject + QStringLiteral(" raising");
    pending.sort();
    return pending;
}

QStringList AlertEngine::pendingClears() const
{
    QStringList pending;
    for (const Track &track : m_tracks)
        if (track.raised && track.clearingSince.isValid())
            pending << track.alert.rule + u' ' + track.alert.subject + QStringLiteral(" clearing");
    pending.sort();
    return pending;
}

} // namespace sb::models
