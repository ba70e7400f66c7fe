#pragma once

#include "inspect/BurrowStatus.h"

#include <QString>

namespace sb::inspect {

// A status and the reason for it in words, as the console shows it.
struct BurrowVerdict
{
    BurrowStatus status = BurrowStatus::NotFound;
    QString reason;
};

} // namespace sb::inspect
