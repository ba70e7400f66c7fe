#pragma once

#include "cluster/BroadcastOrigin.h"
#include "cluster/EventBus.h"

#include <QHash>
#include <QMutex>
#include <QSet>
#include <QWaitCondition>

#include <atomic>
#include <deque>
#include <map>
#include <thread>
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
// Order. Each bus brings a partition's records in offset order, but not every record comes
// on both: one an old replica relayed on Kafka alone, then a later one of its partition a
// bridged replica relayed on both after a rebalance, arrive here the later first when the
// Kafka fetch lags (its Redis copy is faster). So a record whose offset is ahead of the next
// one expected of its partition (the last delivered + 1) waits, up to `orderWaitMs`, for
// those before it, and the partition's records go out in offset order. When the wait runs
// out (the record before was never relayed — a poison record the relay dead-lettered — or
// comes later still) what waited is delivered in order and the expiry counted; a record
// that comes after a later one of its partition went out is delivered at once, counted as
// late. At most `capacity` records wait in all; beyond that a partition's go out at once.
// orderWaitMs 0: no waiting (first copy wins, in arrival order); one that comes after a later
// one of its partition is still counted late, so the count shows what the wait would mend.
//
// Thread-safe: both buses' threads call deliver(), and a timer thread delivers what waited
// too long; the check and the delivery run under one lock, so a copy let through is handed
// on before its twin is looked at, and one source's order is kept.
class BusBridgeFilter
{
public:
    static constexpr int kDefaultCapacity = 50000;
    // Off by default: a record held here past a client's reconnect to this replica with
    // `since` reached that client twice in conformance_busswitch (docs/reliability.md, "Order").
    static constexpr int kDefaultOrderWaitMs = 0;

    BusBridgeFilter(
        EventBus::Handler deliver, int capacity = kDefaultCapacity, int orderWaitMs = kDefaultOrderWaitMs);
    ~BusBridgeFilter();
    BusBridgeFilter(const BusBridgeFilter &) = delete;
    BusBridgeFilter &operator=(const BusBridgeFilter &) = delete;

    void deliver(const QByteArray &payload, const BusHop &hop, BroadcastOrigin origin);
    // Ends the timer thread; what still waits is never delivered (the replica is stopping:
    // its clients resume elsewhere with `since` / Last-Event-ID). Idempotent.
    void stop();

    // Counters (monotonic).
    quint64 delivered() const { return m_delivered.load(); }
    quint64 repeats() const { return m_repeats.load(); } // second copies dropped
    quint64 orderWaits() const { return m_orderWaits.load(); } // records that waited for an earlier one
    quint64 orderWaitsExpired() const { return m_orderWaitsExpired.load(); } // waits given up on
    quint64 lateDeliveries() const { return m_late.load(); } // delivered after a later one of its partition
    int orderWaitMs() const { return m_orderWaitMs; }

private:
    struct Waiting
    {
        QByteArray payload;
        QByteArray topic;
        QByteArray key;
        int hopPartition; // where the bus had it (the topic's partition and offset; -1 on Redis)
        qint64 hopOffset;
        BusHop::Medium medium;
        qint64 deadline; // ms on nowMs()'s clock: when it stops waiting
        quint64 arrival; // its number among the records that waited: its key in m_deadlines
    };
    struct Partition
    {
        qint64 next = -1; // offset expected next; -1 before the first delivery
        std::map<qint64, Waiting> waiting; // by stage-1 offset
    };
    // Lock held.
    bool isRepeat(BroadcastOrigin origin);
    void handOn(const QByteArray &payload, const BusHop &hop);
    void deliverWaiting(Partition &partition, bool all);
    void expire();
    void runTimer();
    static qint64 nowMs();

    const EventBus::Handler m_deliver;
    const int m_capacity;
    const int m_orderWaitMs;
    QMutex m_mutex;
    QWaitCondition m_wake;
    bool m_stopping = false;
    QSet<std::pair<int, qint64>> m_seen;
    std::deque<std::pair<int, qint64>> m_order;
    QHash<int, Partition> m_partitions;
    // Every waiting record's (deadline, arrival number) → its stage-1 partition, the earliest
    // deadline first: the timer's next wake without a walk over what waits (the records wait
    // in arrival order, each for the same bound, so new ones go at the end). Its size is the
    // number of records waiting.
    std::map<std::pair<qint64, quint64>, int> m_deadlines;
    quint64 m_arrivals = 0;
    std::thread m_timer;
    std::atomic<quint64> m_delivered { 0 };
    std::atomic<quint64> m_repeats { 0 };
    std::atomic<quint64> m_orderWaits { 0 };
    std::atomic<quint64> m_orderWaitsExpired { 0 };
    std::atomic<quint64> m_late { 0 };
};

} // namespace sb::cluster
