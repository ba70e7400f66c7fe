#pragma once

#include <QDateTime>
#include <QString>

namespace sb::inspect {

// How one discovery source fared in the last poll: the registry, or one HTTP endpoint.
// Feeds the status bar's health and the view's tooltip.
struct ReplicaSourceStatus
{
    QString name; // "registry redis://host:6379/0" or the endpoint URL (never a password)
    bool ok = false;
    QString error; // what went wrong, in words; empty when ok
    int consecutiveFailures = 0;
    QDateTime nextAttempt; // when a failing source is tried again (back-off)
    // Not answered yet (its first poll is still under way): not ok, but no failure either.
    bool pending = false;
};

} // namespace sb::inspect
