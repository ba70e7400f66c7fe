#pragma once

#include "inspect/CounterRate.h"
#include "inspect/HttpReplicaProbe.h"
#include "inspect/ReplicaDirectReading.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace sb::inspect {

// Asks one replica the registry listed, at its own address, how it is: /healthz/live,
// /healthz/ready and /metrics in parallel, judged by ReplicaDirectReading. The discovery
// uses it when the registry cannot say (Redis unreachable, or the replica's key gone), so
// that an outage of the registry is not taken for the death of every replica. Needs no
// credentials (/admin/stats would: its token is checked in the very Redis that is down).
// Retries a failing replica on HttpReplicaProbe's schedule. Lives on the discovery's thread.
class ReplicaDirectProbe : public QObject
{
    Q_OBJECT
public:
    using Outcome = HttpReplicaProbe::Outcome;
    using Done = HttpReplicaProbe::Done;

    // `address` as the registry has it: host:port (or a URL).
    ReplicaDirectProbe(QString id, const QString &address, const ReplicaDiscoveryConfig &config,
        QNetworkAccessManager *network, QObject *parent = nullptr);
    ~ReplicaDirectProbe() override;

    const QString &id() const { return m_id; }
    QUrl base() const { return m_base; }
    bool busy() const { return m_waiting > 0; }
    bool isDue(const QDateTime &now) const { return !m_nextAttempt.isValid() || now >= m_nextAttempt; }
    // When poll() was last called; invalid before the first.
    QDateTime lastPolled() const { return m_lastPolled; }
    // Starts one probe; `done` runs once, later, on this object's thread.
    void poll(Done done);
    bool hasOutcome() const { return m_hasOutcome; }
    const Outcome &lastOutcome() const { return m_last; }
    ReplicaSourceStatus status() const;
    // Drops the last outcome and the back-off: what it said before no longer counts.
    void forget();

private:
    void get(const QString &path, ReplicaDirectReading::Answer *into);
    void answered();

    const QString m_id;
    const QUrl m_base;
    const int m_timeoutMs;
    const int m_intervalMs;
    const int m_maxBackoffMs;
    QNetworkAccessManager *m_network;

    int m_waiting = 0;
    Done m_done;
    QList<QPointer<QNetworkReply>> m_replies;
    ReplicaDirectReading m_reading;
    Outcome m_last;
    bool m_hasOutcome = false;
    int m_failures = 0;
    QDateTime m_nextAttempt;
    QDateTime m_lastPolled;
    CounterRate m_inRate;
    CounterRate m_outRate;
};

} // namespace sb::inspect
