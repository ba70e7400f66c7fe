#pragma once

#include "app/DemoPopulationOptions.h"
#include "protocol/FaultScript.h"

#include <QList>
#include <QSize>
#include <QString>

namespace sb::app {

// How the console was asked to start.
struct ConsoleOptions
{
    QString profile; // empty: the embedded demo cluster
    QString snapshotDirectory; // empty: interactive; otherwise write a snapshot and exit
    int snapshotAfterSeconds = 5; // with snapshotWhenSettled: the latest time instead
    bool snapshotWhenSettled = false; // --snapshot-settled (ConsoleSnapshotSettling)
    QSize windowSize; // invalid: the saved (or default 1280x800) geometry
    QList<protocol::FaultScriptStep> demoScript; // --demo-script: faults on the demo, timed from its start
    QString recordingPath; // --open-recording: replay this file, nothing live attached
    QString recordingAt; // --at: where the replay starts (RecordingReplay::parseAt); empty: the start
    QString saveRecordingPath; // --save-recording: after the snapshot, the session's recording here
    DemoPopulationOptions demoPopulation; // --demo-population, --demo-rate, --demo-skew, --demo-stomp-share
};

} // namespace sb::app
