#pragma once

#include "inspect/BurrowStatus.h"

#include <QBrush>
#include <QColor>
#include <QVariant>

namespace sb::models {

// How a Burrow status is coloured in every Kafka table, so OK/WARN/ERR read the same in
// the groups and the partitions (and mean the same as the status bar's colours).
inline QVariant burrowForeground(sb::inspect::BurrowStatus status)
{
    switch (status) {
    case sb::inspect::BurrowStatus::Ok:
        return QBrush(QColor(0x1b, 0x7f, 0x3b));
    case sb::inspect::BurrowStatus::Warn:
        return QBrush(QColor(0xb2, 0x6b, 0x00));
    case sb::inspect::BurrowStatus::Err:
    case sb::inspect::BurrowStatus::Stop:
    case sb::inspect::BurrowStatus::Stall:
    case sb::inspect::BurrowStatus::Rewind:
    case sb::inspect::BurrowStatus::Down:
        return QBrush(QColor(0xc6, 0x28, 0x28));
    case sb::inspect::BurrowStatus::NotFound:
    case sb::inspect::BurrowStatus::Retired:
        return QBrush(QColor(0x75, 0x75, 0x75));
    }
    return {};
}

// Lag and offsets: "—" where unknown (never a made-up 0).
inline QString offsetText(qint64 value)
{
    return value < 0 ? QStringLiteral("—") : QString::number(value);
}

} // namespace sb::models
