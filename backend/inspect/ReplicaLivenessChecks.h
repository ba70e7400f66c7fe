#pragma once

#include "inspect/HttpReplicaProbe.h"
#include "inspect/RegistryScanner.h"

#include <QDateTime>
#include <QHash>
#include <QPointer>
#include <QString>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;
class QObject;

namespace sb::inspect {

// The registry lists a replica until its key expires (RegistryAnnouncer::kTtlSeconds, 5 s
// after its last announcement), so a replica killed -9 would read "ready" for that long.
// Each poll asks every listed replica one question at its own address — GET /healthz/ready,
// any HTTP status meaning "alive" — and a replica whose address has answered before and
// now refuses is down at once, while the registry still lists it; one that stops answering
// otherwise (a timeout, a closed connection) is down after kFailuresBeforeDown such checks in
// a row, as a replica or console on a loaded host can miss one answer's deadline and is not
// down for that (issue 11: no false "down"). One whose entry says draining is down only after
// kFailuresBeforeDown failures of any kind: a finished drain closes its address just as its
// last entry (left=1, RegistryAnnouncer::markLeft) reaches Redis, so one refusal read beside
// the entry before the mark is the end of a drain as often as a kill; the next poll tells
// (the mark, or still draining and refusing: killed mid-drain, down). One marked left is not
// asked at all. One that has
// never answered keeps the registry's word (the console may have no route to replicas'
// addresses: a NAT, a pod network), and is asked again on HttpReplicaProbe's back-off.
// One request per replica per poll on the discovery's QNetworkAccessManager, whose
// keep-alive reuses one connection per replica; at most maxLivenessChecksPerPoll, the
// longest-unasked first. Lives on the discovery's thread.
class ReplicaLivenessChecks
{
public:
    ReplicaLivenessChecks(
        const ReplicaDiscoveryConfig &config, QNetworkAccessManager *network, QObject *owner);
    ~ReplicaLivenessChecks();
    ReplicaLivenessChecks(const ReplicaLivenessChecks &) = delete;
    ReplicaLivenessChecks &operator=(const ReplicaLivenessChecks &) = delete;

    // Starts a check of each replica `registry` lists (with an address) that is idle and
    // due; forgets the replicas it no longer lists. Each check runs `done` once, later, on
    // the owner's thread. Returns how many started.
    int checkListed(const RegistryScanner::Result &registry, const std::function<void()> &done);
    // Why a listed replica counts as gone although the registry still lists it: its address
    // answered before and its last check failed. Empty when it is alive, or unknown.
    QString failure(const QString &id) const;
    static constexpr int kFailuresBeforeDown = 2;

private:
    struct Replica
    {
        QString address;
        QPointer<QNetworkReply> reply; // the check in flight
        bool answered = false; // its address answered a check, ever (this address)
        QString error; // the last check's failure; empty when it answered
        int failures = 0; // checks failed in a row
        bool refused = false; // the last one was refused: nothing listens at the address
        bool draining = false; // its registry entry says draining
        QDateTime nextAttempt;
        QDateTime lastAsked;
    };

    void start(const QString &id, Replica &replica, const std::function<void()> &done);
    void abort(Replica &replica);

    const int m_timeoutMs;
    const int m_intervalMs;
    const int m_maxBackoffMs;
    const int m_maxPerPoll;
    QNetworkAccessManager *m_network;
    QObject *m_owner;
    QHash<QString, Replica> m_replicas;
};

} // namespace sb::inspect
