#include "app/MessageSchedule.h"

#include <algorithm>
#include <cmath>

namespace sb::app {

MessageSchedule::MessageSchedule(double perSecond)
{
    setRate(perSecond);
}

void MessageSchedule::setRate(double perSecond)
{
    m_rate = std::isfinite(perSecond) ? std::max(perSecond, 0.0) : 0.0;
}

void MessageSchedule::burst(double factor, qint64 untilMs)
{
    m_burstFactor = std::isfinite(factor) ? std::max(factor, 0.0) : 1.0;
    m_burstUntilMs = untilMs;
}

double MessageSchedule::rateAt(qint64 nowMs) const
{
    return nowMs < m_burstUntilMs ? m_rate * m_burstFactor : m_rate;
}

int MessageSchedule::due(qint64 nowMs)
{
    if (m_lastMs < 0 || nowMs <= m_lastMs) {
        m_lastMs = std::max(m_lastMs, nowMs);
        return 0;
    }
    const qint64 from = std::max(m_lastMs, nowMs - kMaxCatchUpMs);
    m_lastMs = nowMs;
    // The part of the interval inside the burst at its rate, the rest at the plain rate.
    const qint64 burstEnd = std::clamp(m_burstUntilMs, from, nowMs);
    m_credit += (burstEnd - from) * m_rate * m_burstFactor / 1000.0 + (nowMs - burstEnd) * m_rate / 1000.0;
    const double whole = std::floor(m_credit + 1e-9);
    m_credit = std::max(m_credit - whole, 0.0);
    return int(whole);
}

} // namespace sb::app
