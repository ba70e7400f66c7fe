#pragma once

#include <QtGlobal>

namespace sb::inspect {

// One committed offset of a consumer group's partition as the console saw it: the offset,
// the lag at that moment (log-end offset minus committed offset) and when (epoch ms).
// Burrow calls these the window's "offset commits".
struct LagObservation
{
    qint64 offset = 0;
    qint64 lag = 0;
    qint64 atMs = 0;
};

// Log-end offset minus committed offset, never negative; -1 while the log end is unknown.
inline qint64 lagOf(qint64 committed, qint64 logEndOffset)
{
    return logEndOffset < 0 ? -1 : qMax<qint64>(0, logEndOffset - committed);
}

} // namespace sb::inspect
