#include "inspect/LagTracker.h"

#include "inspect/BurrowEvaluator.h"

namespace sb::inspect {

QString LagTracker::keyOf(const QString &group, const QString &topic, int partition)
{
    return group + QChar(0x1f) + topic + QChar(0x1f) + QString::number(partition);
}

BurrowVerdict LagTracker::observe(const QString &group, const QString &topic, int partition, qint64 committed,
    qint64 logEndOffset, bool liveMembers, qint64 nowMs)
{
    const QString key = keyOf(group, topic, partition);
    m_seen.insert(key);
    QList<LagObservation> &window = m_windows[key];
    const qint64 lag = lagOf(committed, logEndOffset);
    if (window.isEmpty() || window.last().offset != committed || liveMembers) {
        window.append({ committed, lag, nowMs });
        if (window.size() > kWindowSize)
            window.removeFirst();
    }
    return BurrowEvaluator::evaluatePartition(window, lag, logEndOffset, nowMs);
}

void LagTracker::endPoll()
{
    for (auto it = m_windows.begin(); it != m_windows.end();) {
        if (m_seen.contains(it.key()))
            ++it;
        else
            it = m_windows.erase(it);
    }
    m_seen.clear();
}

QList<LagObservation> LagTracker::window(const QString &group, const QString &topic, int partition) const
{
    return m_windows.value(keyOf(group, topic, partition));
}

} // namespace sb::inspect
