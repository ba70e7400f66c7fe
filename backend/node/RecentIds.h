#pragma once

#include <QMutex>
#include <QSet>
#include <QString>

#include <deque>

namespace sb::node {

// The last `capacity` message ids this replica delivered. Stage 2 is at-least-once (a
// stage-1 batch redone after a rebalance or a slow acknowledgement broadcasts its records
// again), so a replica drops what it has already delivered: its clients see each message
// once. Thread-safe.
class RecentIds
{
public:
    explicit RecentIds(int capacity = 10000)
        : m_capacity(capacity)
    { }

    // True the first time an id is seen (within the window), false for a repeat.
    bool insert(const QString &id)
    {
        QMutexLocker lock(&m_mutex);
        if (m_ids.contains(id))
            return false;
        m_ids.insert(id);
        m_order.push_back(id);
        if (int(m_order.size()) > m_capacity) {
            m_ids.remove(m_order.front());
            m_order.pop_front();
        }
        return true;
    }

private:
    const int m_capacity;
    QMutex m_mutex;
    QSet<QString> m_ids;
    std::deque<QString> m_order;
};

} // namespace sb::node
