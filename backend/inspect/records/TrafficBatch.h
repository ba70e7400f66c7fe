#pragma once

#include "inspect/TapSourceStatus.h"
#include "protocol/TrafficFrame.h"

#include <QList>
#include <QMetaType>

namespace sb::inspect {

// What the capture worker hands the GUI thread at most every kFlushMs: the frames since
// the last batch, every source's status, and the frames the capture itself had to drop
// because the GUI had not taken the earlier batches yet.
struct TrafficBatch
{
    QList<protocol::TrafficFrame> frames;
    QList<TapSourceStatus> sources;
    qint64 droppedByConsole = 0; // total so far
};

} // namespace sb::inspect

Q_DECLARE_METATYPE(sb::inspect::TrafficBatch)
