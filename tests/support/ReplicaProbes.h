#pragma once

#include <QString>
#include <QUrl>

class QNetworkAccessManager;

namespace sb::testing {

// One replica's own answers at one moment, for tests that compare what the console shows
// with what the replica says of itself: /healthz/live, /healthz/ready (and its
// "dependencies") and its connections from /metrics.
struct ReplicaProbes
{
    int live = 0; // HTTP status, 0 when unreachable
    int ready = 0;
    QString dependencies; // /healthz/ready's "dependencies"
    bool draining = false; // /healthz/ready's "draining"
    qint64 stomp = -1; // /metrics sb_connections, -1 when unknown
    qint64 sse = -1;

    // Three blocking GETs (at most 3 s each), fine in a fixture.
    static ReplicaProbes read(QNetworkAccessManager *network, const QUrl &node);
};

} // namespace sb::testing
