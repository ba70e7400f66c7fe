#pragma once

#include <QHash>
#include <QList>
#include <QString>

namespace sb::models {

// How much each of a set of counters (a replica's heart-beat timeouts, a DLT's records)
// grew over a sliding window of time. A counter seen for the first time has grown by
// nothing: what it counted before the console watched it is not news. A counter that
// went down was reset (its replica restarted): it counts again from zero.
class AlertCounterTrend
{
public:
    // Records `value` for `key` at `nowMs` and returns its growth over the last windowMs.
    qint64 growth(const QString &key, qint64 value, qint64 nowMs, qint64 windowMs);
    // Forgets the counters not recorded since `beforeMs` (their subject is gone).
    void forgetOlderThan(qint64 beforeMs);
    int size() const { return int(m_samples.size()); }

private:
    struct Sample
    {
        qint64 atMs = 0;
        qint64 value = 0;
    };
    QHash<QString, QList<Sample>> m_samples; // oldest first
};

} // namespace sb::models
