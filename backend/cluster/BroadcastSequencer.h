#pragma once

#include "cluster/BroadcastOrigin.h"
#include "cluster/EventBus.h"

#include <QHash>
#include <QList>
#include <QMutex>
#include <QSet>

#include <atomic>
#include <functional>

namespace sb::cluster {

// Stage 2 over a channel that can miss messages (Redis pub/sub): hands each stage-1 record
// to the delivery handler at most once and, per stage-1 partition, in offset order, from
// two sources — the live channel and the catch-up reads of stage 1 (KafkaBroadcastCatchUp).
//
// While a partition is being caught up, its live messages are held back and delivered
// after what is read from stage 1, so a record read late never comes after a later one of
// its partition. At most `maxHeld` are held in all; beyond that every held one is dropped
// (counted) and the partitions stay held, dropping, until a round that completes reads
// them from stage 1 again. A round that fails (Kafka unreachable) also leaves them held:
// releasing them would move past what was never read. A message without an origin (not
// sent by a relay of ours) is delivered at once.
//
// Thread-safe. The delivery handler runs under the sequencer's lock: deliveries from the
// channel's thread and the catch-up thread never overlap.
class BroadcastSequencer
{
public:
    // The delivery handler, told each record's stage-1 origin too (invalid when it has none).
    using Delivery
        = std::function<void(const QByteArray &payload, const BusHop &hop, BroadcastOrigin origin)>;
    BroadcastSequencer(Delivery deliver, int maxHeld);
    BroadcastSequencer(EventBus::Handler deliver, int maxHeld);

    void live(const QByteArray &payload, const BusHop &hop, BroadcastOrigin origin);

    // A catch-up round: beginCatchUp() holds every partition; holdOnly() releases those
    // with nothing to catch up; each of the others is read from resumeOffset() to its end,
    // each record handed to caughtUp(), then release()d; endCatchUp(completed) ends the
    // round, false when another one must run (not completed, or held messages dropped).
    void beginCatchUp();
    void holdOnly(const QSet<int> &partitions);
    qint64 resumeOffset(int partition, qint64 floor) const;
    void caughtUp(const QByteArray &payload, const BusHop &hop, BroadcastOrigin origin);
    void release(int partition);
    bool endCatchUp(bool completed);

    // Counters (monotonic).
    quint64 delivered() const { return m_delivered.load(); }
    quint64 repeats() const { return m_repeats.load(); } // dropped: already delivered
    quint64 caughtUpCount() const { return m_caughtUp.load(); } // delivered from stage 1
    quint64 heldDropped() const { return m_heldDropped.load(); } // live dropped while held, read again
    quint64 ceilingHits() const { return m_ceilingHits.load(); } // times maxHeld was reached
    int maxHeld() const { return m_maxHeld; }

private:
    struct Held
    {
        QByteArray payload;
        QByteArray topic;
        BroadcastOrigin origin;
    };
    // Lock held.
    bool isHeld(int partition) const { return m_holdAll || m_holding.contains(partition); }
    void deliverHeld(int partition);
    bool deliverInOrder(const QByteArray &payload, const BusHop &hop, BroadcastOrigin origin);

    const Delivery m_deliver;
    const int m_maxHeld;
    mutable QMutex m_mutex;
    QHash<int, qint64> m_last; // partition -> last offset delivered
    bool m_holdAll = false;
    QSet<int> m_holding;
    QHash<int, QList<Held>> m_held;
    int m_heldCount = 0;
    bool m_overflowed = false;
    std::atomic<quint64> m_delivered { 0 };
    std::atomic<quint64> m_repeats { 0 };
    std::atomic<quint64> m_caughtUp { 0 };
    std::atomic<quint64> m_heldDropped { 0 };
    std::atomic<quint64> m_ceilingHits { 0 };
};

} // namespace sb::cluster
