#pragma once

#include "models/Alert.h"

#include <QMetaType>

namespace sb::models {

// What one evaluation changed: an alert raised, cleared, or made critical while active
// (a group gone from WARN to ERR): what a notification or an event log reports.
struct AlertTransition
{
    enum class Kind { Raised, Escalated, Cleared };

    Kind kind = Kind::Raised;
    Alert alert; // as it is after the transition
};

} // namespace sb::models

Q_DECLARE_METATYPE(sb::models::AlertTransition)
