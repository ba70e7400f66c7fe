#pragma once

#include "inspect/ReplicaInfo.h"
#include "inspect/ReplicaSourceStatus.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>

namespace sb::inspect {

// One poll's result: every known replica (down ones included, until forgotten) and how
// each source fared. Sent to the GUI thread as one batch per poll.
struct ReplicaSnapshot
{
    QDateTime at;
    quint64 poll = 0; // 1, 2, 3... per discovery instance
    QList<ReplicaInfo> replicas; // ordered by id
    QList<ReplicaSourceStatus> sources;
    // The registry cannot be read: the replicas it listed last are probed at their own
    // addresses instead (ReplicaDirectProbe), and degradedReason says so in words.
    bool discoveryDegraded = false;
    QString degradedReason;

    int failingSources() const
    {
        int n = 0;
        for (const auto &s : sources)
            n += s.ok ? 0 : 1;
        return n;
    }
};

} // namespace sb::inspect

Q_DECLARE_METATYPE(sb::inspect::ReplicaSnapshot)
