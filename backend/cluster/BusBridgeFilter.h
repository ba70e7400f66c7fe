#pragma once

#include "cluster/BroadcastOrigin.h"
#include "cluster/EventBus.h"

#include <QMutex>
#include <QSet>

#include <atomic>
#include <deque>
#include <utility>

namespace sb::cluster {

// Stage 2 on two buses at once (a rolling switch of the bus, `--bus-bridge`): each
// bridged relay sends every record on the broadcast topic and the Redis channel, so a
// bridged replica hears most records twice, and some once (those an unbridged replica
// relayed on its one bus). This hands the first copy of each stage-1 record (by its
// origin, see BroadcastOrigin) to the delivery handler and drops the later one.
//
// The window is the last `capacity` origins: the second copy comes within the two buses'
// difference in latency (milliseconds to seconds), far inside it. A copy without an origin
// (not relayed by a replica of this version) is delivered; the node's own repeat filter
// (node::RecentIds, by message id) is behind this one.
//
// Thread-safe: both buses' threads call deliver(); the check and the delivery run under
// one lock, so a copy let through is handed on before its twin is looked at, and one
// source's order is kept.
class BusBridgeFilter
{
public:
    BusBridgeFilter(EventBus::Handler deliver, int capacity = 50000);

    void deliver(const QByteArray &payload, const BusHop &hop, BroadcastOrigin origin);

    quint64 delivered() const { return m_delivered.load(); }
    quint64 repeats() const { return m_repeats.load(); } // second copies dropped

private:
    const EventBus::Handler m_deliver;
    const int m_capacity;
    QMutex m_mutex;
    QSet<std::pair<int, qint64>> m_seen;
    std::deque<std::pair<int, qint64>> m_order;
    std::atomic<quint64> m_delivered { 0 };
    std::atomic<quint64> m_repeats { 0 };
};

} // namespace sb::cluster
