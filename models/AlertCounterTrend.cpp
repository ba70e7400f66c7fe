#include "models/AlertCounterTrend.h"

namespace sb::models {

qint64 AlertCounterTrend::growth(const QString &key, qint64 value, qint64 nowMs, qint64 windowMs)
{
    QList<Sample> &samples = m_samples[key];
    if (!samples.isEmpty() && value < samples.constLast().value) {
        // Reset: the counter restarted at 0 since the last sample, so all of `value` is new.
        samples.clear();
        samples.append({ nowMs, 0 });
    }
    samples.append({ nowMs, value });
    // Keep one sample at or before the window's start as the baseline; drop older ones.
    const qint64 windowStart = nowMs - windowMs;
    while (samples.size() > 2 && samples.at(1).atMs <= windowStart)
        samples.removeFirst();
    return value - samples.constFirst().value;
}

void AlertCounterTrend::forgetOlderThan(qint64 beforeMs)
{
    for (auto it = m_samples.begin(); it != m_samples.end();) {
        if (it->isEmpty() || it->constLast().atMs < beforeMs)
            it = m_samples.erase(it);
        else
            ++it;
    }
}

} // namespace sb::models
