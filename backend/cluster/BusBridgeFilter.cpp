#include "cluster/BusBridgeFilter.h"

namespace sb::cluster {

BusBridgeFilter::BusBridgeFilter(EventBus::Handler deliver, int capacity)
    : m_deliver(std::move(deliver))
    , m_capacity(capacity)
{ }

void BusBridgeFilter::deliver(const QByteArray &payload, const BusHop &hop, BroadcastOrigin origin)
{
    const QMutexLocker lock(&m_mutex);
    if (origin.isValid()) {
        const std::pair<int, qint64> key { origin.partition, origin.offset };
        if (m_seen.contains(key)) {
            ++m_repeats;
            return;
        }
        m_seen.insert(key);
        m_order.push_back(key);
        if (int(m_order.size()) > m_capacity) {
            m_seen.remove(m_order.front());
            m_order.pop_front();
        }
    }
    ++m_delivered;
    if (m_deliver)
        m_deliver(payload, hop);
}

} // namespace sb::cluster
