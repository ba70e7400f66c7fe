#pragma once

#include "inspect/BurrowVerdict.h"
#include "inspect/LagObservation.h"

#include <QList>

namespace sb::inspect {

// Burrow's consumer-lag rules, applied to one partition's window of recent commits
// (oldest first) — see docs/operations.md, "Kafka lag status", for the rules and source.
// Pure: no clock, no I/O; the caller passes `nowMs`.
//
// In Burrow's order:
//  - no commit in the window: NOTFOUND;
//  - current lag 0 (or the log-end offset unknown): OK;
//  - no commit for longer than the window spans, and not caught up: STOP;
//  - lag 0 somewhere in the window: OK;
//  - the committed offset went backwards: REWIND;
//  - commits that do not move the offset: STALL;
//  - offsets move but the lag never decreases: WARN;
//  - otherwise OK.
class BurrowEvaluator
{
public:
    static BurrowVerdict evaluatePartition(
        const QList<LagObservation> &window, qint64 currentLag, qint64 logEndOffset, qint64 nowMs);

    // A group's status from its partitions: ERR if any is STOP, STALL or REWIND, WARN if
    // any is WARN, OK if any is OK, else NOTFOUND. The reason names the worst partitions.
    struct PartitionResult
    {
        QString topic;
        int partition = 0;
        BurrowVerdict verdict;
    };
    static BurrowVerdict evaluateGroup(const QList<PartitionResult> &partitions);

    static QString formatSpan(qint64 ms);
};

} // namespace sb::inspect
