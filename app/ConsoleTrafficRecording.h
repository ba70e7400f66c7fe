#pragma once

#include "protocol/TrafficFrame.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace sb::app {

// The Traffic area's part of a saved session recording: the frames of the recording's time
// window, copied out of the area's ring on the GUI thread — each frame's strings and bytes
// are shared, not copied, so 50,000 frames take milliseconds — and turned into JSON by
// toJson(), which costs seconds at that size and so runs on the thread that saves the file
// (RecordingSaveJob) while the ring moves on.
struct ConsoleTrafficRecording
{
    QString origin;
    qint64 fromMs = 0;
    qint64 toMs = 0;
    QList<protocol::TrafficFrame> frames; // oldest first
    qint64 omitted = 0; // in the window, but beyond the newest frames kept

    // {"traffic": {"format", "origin", "from", "to", "frames": [tap frame objects], "omitted"}}.
    // Reads only this value: safe on any thread.
    QJsonObject toJson() const;
};

} // namespace sb::app
