#pragma once

#include <QString>

namespace sb::inspect {

// Burrow's status vocabulary (github.com/linkedin/Burrow, "Consumer Lag Evaluation
// Rules"). Partitions are OK, WARN, STOP, STALL or REWIND; a group is OK, WARN or ERR
// (ERR when any partition is STOP, STALL or REWIND). NotFound: nothing to judge yet
// (no committed offset seen for the partition or group).
//
// Two more, for a group that belonged to one replica that is gone (KafkaGroupRetirement):
// Down, its replica died without leaving and the group still holds its partitions (an
// error until its session times out); Retired, nothing will consume for it again — left on
// purpose (drained) or its session timed out — so its growing lag is no alarm.
enum class BurrowStatus { NotFound, Ok, Warn, Err, Stop, Stall, Rewind, Down, Retired };

inline QString burrowStatusName(BurrowStatus status)
{
    switch (status) {
    case BurrowStatus::NotFound:
        return QStringLiteral("NOTFOUND");
    case BurrowStatus::Ok:
        return QStringLiteral("OK");
    case BurrowStatus::Warn:
        return QStringLiteral("WARN");
    case BurrowStatus::Err:
        return QStringLiteral("ERR");
    case BurrowStatus::Stop:
        return QStringLiteral("STOP");
    case BurrowStatus::Stall:
        return QStringLiteral("STALL");
    case BurrowStatus::Rewind:
        return QStringLiteral("REWIND");
    case BurrowStatus::Down:
        return QStringLiteral("DOWN");
    case BurrowStatus::Retired:
        return QStringLiteral("RETIRED");
    }
    return {};
}

// How bad a status is, for sorting and for a group's worst partition: OK < WARN < the
// error kinds. NotFound and Retired sort lowest (nothing known, or nothing expected, is
// not an alarm).
inline int burrowSeverity(BurrowStatus status)
{
    switch (status) {
    case BurrowStatus::NotFound:
    case BurrowStatus::Retired:
        return 0;
    case BurrowStatus::Down:
        return 3;
    case BurrowStatus::Ok:
        return 1;
    case BurrowStatus::Warn:
        return 2;
    case BurrowStatus::Err:
        return 3;
    case BurrowStatus::Stop:
    case BurrowStatus::Stall:
    case BurrowStatus::Rewind:
        return 4;
    }
    return 0;
}

} // namespace sb::inspect
