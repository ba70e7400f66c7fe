#pragma once

#include <QSize>
#include <QString>

namespace sb::app {

// How the console was asked to start.
struct ConsoleOptions
{
    QString profile;          // empty: the embedded demo cluster
    QString snapshotDirectory; // empty: interactive; otherwise write a snapshot and exit
    int snapshotAfterSeconds = 5;
    QSize windowSize; // invalid: the saved (or default 1280x800) geometry
};

} // namespace sb::app
