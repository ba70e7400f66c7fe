#pragma once

#include <QByteArray>

namespace sb::cluster {

// One figure an EventBus adapter reports about itself, rendered by the node in /metrics
// (Prometheus text) and /admin/stats: what stage 1 and stage 2 did, which only the adapter
// knows (records persisted, dead-lettered, caught up after an outage, ...).
struct BusCounter
{
    enum class Kind { Counter, Gauge };
    QByteArray name; // a Prometheus metric name, e.g. sb_bus_catchup_rounds_total
    Kind kind = Kind::Counter;
    QByteArray help;
    double value = 0;
};

} // namespace sb::cluster
