#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace sb::models {

// One alert the console raised: which rule, about what, how bad, since when and the figure
// that raised it. Active while clearedAt is invalid; kept among the recent ones after.
struct Alert
{
    enum class Severity { Info, Warning, Critical };

    QString rule; // a stable key: "replica-down", "consumer-group", ... (AlertRules)
    QString subject; // what it is about: a replica id, a group id, a topic, "redis", "cluster"
    Severity severity = Severity::Warning;
    QString figure; // the figure that raised it, in words: "imbalance 2.4 (max 40, mean 17)"
    QString detail; // the reason, where a source gives one (Burrow's, Redis' error)
    QDateTime since; // when its condition began to hold (it is raised a hold time later)
    QDateTime raisedAt;
    QDateTime clearedAt; // invalid while active

    bool isActive() const { return !clearedAt.isValid(); }
    // rule and subject: one alert per pair at a time.
    QString key() const { return rule + QChar(0x1f) + subject; }

    static QString severityName(Severity severity);
    QJsonObject toJson() const;
};

} // namespace sb::models
