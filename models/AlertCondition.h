#pragma once

#include "models/Alert.h"

namespace sb::models {

// What one rule sees of one subject at one evaluation. Two conditions, not one, give the
// hysteresis: an alert is raised once `firing` has held for the raise hold time and
// cleared once `clearing` has held for the clear hold time; between the two thresholds
// (neither holds) nothing changes, so a figure hovering around one threshold cannot flap.
struct AlertCondition
{
    QString rule;
    QString subject;
    Alert::Severity severity = Alert::Severity::Warning;
    QString figure;
    QString detail;
    bool firing = false;
    bool clearing = true;
};

} // namespace sb::models
