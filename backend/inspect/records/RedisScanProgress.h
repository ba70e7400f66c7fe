#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

namespace sb::inspect {

// Where a key scan stands, for the progress bar and the snapshot figures.
struct RedisScanProgress
{
    enum class Phase { Idle, Running, Paused, Finished, Failed };

    quint64 generation = 0;
    Phase phase = Phase::Idle;
    QByteArray pattern;
    qint64 dbSize = -1; // DBSIZE, refreshed about once a second while scanning
    qint64 keysReturned = 0; // keys SCAN returned (all of them with MATCH *)
    // Share of the keyspace SCAN has visited, 0..1, read from the cursor itself: Redis
    // walks the table in reverse-binary order, so bit-reversing the cursor gives the
    // visited fraction. It is what makes progress meaningful with a MATCH pattern, where
    // keysReturned counts matches only.
    double visitedFraction = 0.0;
    qint64 budgetLeft = -1; // keys still to scan before pausing; -1: until the end
    int count = 0; // the COUNT of the latest SCAN
    qint64 calls = 0; // SCAN calls so far
    double lastCallMs = 0.0; // round trip of the latest SCAN, as this client saw it
    double maxCallMs = 0.0;
    QString error; // why the scan failed or waits (Phase::Failed, or a retry)

    // Keys visited: exact with MATCH *, estimated from the cursor otherwise.
    qint64 scannedEstimate() const
    {
        if (pattern == "*" || dbSize < 0)
            return keysReturned;
        return qMax(keysReturned, qint64(visitedFraction * double(dbSize)));
    }
};

} // namespace sb::inspect

Q_DECLARE_METATYPE(sb::inspect::RedisScanProgress)
