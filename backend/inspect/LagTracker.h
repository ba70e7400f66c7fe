#pragma once

#include "inspect/BurrowVerdict.h"
#include "inspect/LagObservation.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

namespace sb::inspect {

// The sliding windows of recent commits, one per (group, topic, partition), that the
// Burrow rules judge. Burrow reads every commit from __consumer_offsets; the console only
// polls committed offsets (OffsetFetch, which never joins the group), so a "commit" here
// is a poll that saw the committed offset change — or, for a group whose members the
// broker reports as live, every poll (a live member that does not move is at best
// committing in place, which Burrow calls STALL; a group nobody consumes for is STOP).
//
// Not thread-safe; lives with the inspector on its worker thread.
class LagTracker
{
public:
    static constexpr int kWindowSize = 10; // Burrow's default `intervals`

    // Records this poll's committed offset and log-end offset (-1 when unknown) and
    // judges the partition.
    BurrowVerdict observe(const QString &group, const QString &topic, int partition, qint64 committed,
        qint64 logEndOffset, bool liveMembers, qint64 nowMs);
    // Drops the windows of partitions that were not observed since the last call.
    void endPoll();

    int windowCount() const { return int(m_windows.size()); }
    QList<LagObservation> window(const QString &group, const QString &topic, int partition) const;

private:
    static QString keyOf(const QString &group, const QString &topic, int partition);

    QHash<QString, QList<LagObservation>> m_windows;
    QSet<QString> m_seen;
};

} // namespace sb::inspect
