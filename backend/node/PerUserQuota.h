#pragma once

#include <QHash>
#include <QMutex>
#include <QString>

namespace sb::node {

// Counts something per user across all worker threads (e.g. open SSE streams) against a cap.
class PerUserQuota
{
public:
    explicit PerUserQuota(int limit)
        : m_limit(limit)
    { }
    bool tryAcquire(const QString &user)
    {
        QMutexLocker lock(&m_mutex);
        int &count = m_counts[user];
        if (count >= m_limit)
            return false;
        ++count;
        return true;
    }
    void release(const QString &user)
    {
        QMutexLocker lock(&m_mutex);
        auto it = m_counts.find(user);
        if (it != m_counts.end() && --*it <= 0)
            m_counts.erase(it);
    }

private:
    int m_limit;
    QMutex m_mutex;
    QHash<QString, int> m_counts;
};

} // namespace sb::node
