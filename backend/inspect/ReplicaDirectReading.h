#pragma once

#include "inspect/ReplicaDecoder.h"
#include "inspect/ReplicaInfo.h"

#include <QByteArray>
#include <QString>

namespace sb::inspect {

// What one replica's own endpoints answered in one direct probe, and what that means.
// Pure: ReplicaDirectProbe does the requests. Used when the registry cannot tell (it is
// unreadable, or no longer lists a replica): a replica whose /healthz/live answers is alive,
// whatever the registry says, and /healthz/ready says whether it takes traffic and why not.
struct ReplicaDirectReading
{
    struct Answer
    {
        bool reached = false; // an HTTP status came back (any status)
        int status = 0;
        QByteArray body;
        QString error; // the transport failure in words, when not reached
    };

    struct Verdict
    {
        bool alive = false;
        QString failure; // why it counts as down (set when !alive)
        ReplicaInfo info; // when alive: state, stateReason, figures; source "probe"
        ReplicaDecoder::Counters counters; // raw message counters from /metrics, for rates
    };

    Answer live; // GET /healthz/live
    Answer ready; // GET /healthz/ready
    Answer metrics; // GET /metrics (no credentials needed: /admin/stats checks its token in Redis)

    // `expectedId` is the id the registry gave for this address: a /metrics that names
    // another node means the address now belongs to someone else, so this replica is not there.
    Verdict judge(const QString &expectedId) const;

    // The stateReason of a replica whose /healthz/ready says its dependencies are down.
    static QString dependenciesDown() { return QStringLiteral("dependencies down"); }
};

} // namespace sb::inspect
