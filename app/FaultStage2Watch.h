#pragma once

#include "app/FaultStage2Reading.h"

#include <QHash>
#include <QObject>
#include <QString>

#include <functional>

namespace sb::app {

class FaultEventLog;
class FaultMetricsReader;

// What each replica's stage 2 missed across a fault (restart-redis, switch-bus), told from
// the replicas' own /metrics (FaultStage2Reading): read before the fault, then polled after
// it until every replica has settled (one on the Redis bus re-subscribed and its catch-up
// finished reading stage 1), and written to the FaultEventLog one line per replica.
class FaultStage2Watch : public QObject
{
    Q_OBJECT
public:
    using Readings = QHash<QString, FaultStage2Reading>; // replica id → its reading
    static constexpr int kPollMs = 500;

    explicit FaultStage2Watch(FaultEventLog *log, QObject *parent = nullptr);

    // `replicas`: id → base URL. `done` gets a reading for each (not answered: missing).
    void read(const QHash<QString, QString> &replicas, QObject *context,
        std::function<void(const Readings &)> done);
    // Polls `replicas` until each has settled against `before` (empty: counted from their
    // start), then writes what each missed to event `eventId` and calls `done`. Nothing is
    // written once `watch` ends (its deadline).
    void report(int eventId, QObject *watch, const QHash<QString, QString> &replicas, const Readings &before,
        std::function<void()> done);

private:
    FaultEventLog *m_log;
    FaultMetricsReader *m_metrics; // a child
};

} // namespace sb::app
