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

} // namespace sb::inspect
