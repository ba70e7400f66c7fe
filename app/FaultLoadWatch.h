#pragma once

#include "protocol/FaultRequest.h"

#include <QHash>
#include <QObject>
#include <QString>

#include <functional>

namespace sb::app {

class FaultEventLog;
class FaultMetricsReader;

// The effects of the load faults, seen in the replicas' own counters (GET /metrics each
// second): a burst's inbound rate (sb_messages_total{direction="in"} over the running
// replicas) at least twice what it was the second before; a slow consumer dropped by its
// replica (sb_dropped_total{reason="slow_consumer"} up). Each watch writes what it saw to
// the FaultEventLog and ends with its `watch` object (FaultActions::startWatch).
class FaultLoadWatch : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMetricsPollMs = 1000;

    // `runningReplicas`: id → base URL of the replicas running now.
    FaultLoadWatch(FaultEventLog *log, std::function<QHash<QString, QString>()> runningReplicas,
        QObject *parent = nullptr);

    // Reads the rate for one step, then starts the burst (`start` says why not when it
    // cannot), then watches it.
    void burst(int eventId, QObject *watch, const protocol::FaultRequest &request,
        std::function<bool(QString *why)> start);
    void slowConsumer(int eventId, QObject *watch, const QString &replica, const QString &replicaUrl);

private:
    FaultEventLog *m_log;
    std::function<QHash<QString, QString>()> m_runningReplicas;
    FaultMetricsReader *m_metrics; // a child
};

} // namespace sb::app
