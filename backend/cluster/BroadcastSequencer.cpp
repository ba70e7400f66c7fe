#include "cluster/BroadcastSequencer.h"

namespace sb::cluster {

BroadcastSequencer::BroadcastSequencer(Delivery deliver, int maxHeld)
    : m_deliver(std::move(deliver))
    , m_maxHeld(maxHeld)
{ }

BroadcastSequencer::BroadcastSequencer(EventBus::Handler deliver, int maxHeld)
    : BroadcastSequencer(Delivery([deliver = std::move(deliver)](
                                      const QByteArray &payload, const BusHop &hop, BroadcastOrigin) {
        if (deliver)
            deliver(payload, hop);
    }),
        maxHeld)
{ }

void BroadcastSequencer::live(const QByteArray &payload, const BusHop &hop, BroadcastOrigin origin)
{
    const QMutexLocker lock(&m_mutex);
    if (!origin.isValid() || !isHeld(origin.partition)) {
        deliverInOrder(payload, hop, origin);
        return;
    }
    if (!m_overflowed && m_heldCount >= m_maxHeld) {
        // Everything held is in stage 1 too: drop it all and read it again there rather
        // than hold without bound.
        m_heldDropped += quint64(m_heldCount);
        m_held.clear();
        m_heldCount = 0;
        m_overflowed = true;
        ++m_ceilingHits;
    }
    if (m_overflowed) {
        ++m_heldDropped;
        return;
    }
    m_held[origin.partition].append({ payload, hop.topic.toByteArray(), origin });
    ++m_heldCount;
}

void BroadcastSequencer::beginCatchUp()
{
    const QMutexLocker lock(&m_mutex);
    m_holdAll = true;
    m_overflowed = false;
}

void BroadcastSequencer::holdOnly(const QSet<int> &partitions)
{
    const QMutexLocker lock(&m_mutex);
    if (m_overflowed)
        return; // keep dropping everywhere: the next round reads it all again
    const QList<int> held = m_held.keys();
    for (int partition : held)
        if (!partitions.contains(partition))
            deliverHeld(partition);
    m_holdAll = false;
    m_holding = partitions;
}

qint64 BroadcastSequencer::resumeOffset(int partition, qint64 floor) const
{
    const QMutexLocker lock(&m_mutex);
    const auto it = m_last.constFind(partition);
    return it == m_last.cend() ? floor : std::max(floor, *it + 1);
}

void BroadcastSequencer::caughtUp(const QByteArray &payload, const BusHop &hop, BroadcastOrigin origin)
{
    const QMutexLocker lock(&m_mutex);
    if (deliverInOrder(payload, hop, origin))
        ++m_caughtUp;
}

void BroadcastSequencer::release(int partition)
{
    const QMutexLocker lock(&m_mutex);
    if (m_overflowed)
        return;
    deliverHeld(partition);
    m_holding.remove(partition);
}

bool BroadcastSequencer::endCatchUp(bool completed)
{
    const QMutexLocker lock(&m_mutex);
    if (!completed || m_overflowed)
        return false; // still held: the next round starts at once
    const QList<int> held = m_held.keys();
    for (int partition : held)
        deliverHeld(partition);
    m_holdAll = false;
    m_holding.clear();
    return true;
}

void BroadcastSequencer::deliverHeld(int partition)
{
    const QList<Held> held = m_held.take(partition);
    m_heldCount -= int(held.size());
    for (const Held &message : held)
        deliverInOrder(message.payload,
            BusHop { .medium = BusHop::Medium::Redis,
                .topic = message.topic,
                .partition = -1,
                .offset = -1,
                .key = {} },
            message.origin);
}

bool BroadcastSequencer::deliverInOrder(const QByteArray &payload, const BusHop &hop, BroadcastOrigin origin)
{
    if (origin.isValid()) {
        const auto it = m_last.find(origin.partition);
        if (it != m_last.end() && origin.offset <= *it) {
            ++m_repeats; // a relay sent it again (after a rebalance), or stage 1 had it first
            return false;
        }
        m_last.insert(origin.partition, origin.offset);
    }
    ++m_delivered;
    if (m_deliver)
        m_deliver(payload, hop, origin);
    return true;
}

} // namespace sb::cluster
