#pragma once

#include "support/ReplicaProbes.h"

#include <QDateTime>
#include <QList>
#include <QUrl>

class QNetworkAccessManager;
class QProcess;

namespace sb::testing {

// Each replica's own answers (ReplicaProbes), read again and again with the moment of each
// reading, for tests that hold a console's picture "as of" a time against what the
// replicas said of themselves within that second.
class ReplicaProbeSeries
{
public:
    struct Reading
    {
        QDateTime at;
        QList<ReplicaProbes> replicas; // in the order of the nodes given
    };

    ReplicaProbeSeries(QNetworkAccessManager *network, QList<QUrl> nodes);

    // Reads every replica until `process` (a console taking its snapshot) has ended, or
    // `timeoutMs` passed, and once more after.
    void readUntilFinished(QProcess *process, int timeoutMs);
    // Reads every replica for `durationMs` (or until `process` has ended): the readings
    // before a fault the test injects while the console still runs.
    void readFor(QProcess *process, int durationMs);
    // The reading taken nearest to `at`; null when there is none.
    const Reading *nearestTo(const QDateTime &at) const;

private:
    void read();

    QNetworkAccessManager *m_network;
    QList<QUrl> m_nodes;
    QList<Reading> m_readings;
};

} // namespace sb::testing
