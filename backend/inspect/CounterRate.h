#pragma once

#include <QDateTime>

#include <optional>

namespace sb::inspect {

// Per-second rate of a monotonically increasing counter between two polls. A counter
// that went backwards (the process restarted) gives no rate for that poll instead of a
// huge negative one.
class CounterRate
{
public:
    std::optional<double> update(std::optional<double> value, const QDateTime &at)
    {
        std::optional<double> rate;
        if (value && m_last && m_at.isValid()) {
            const qint64 ms = m_at.msecsTo(at);
            if (ms > 0 && *value >= *m_last)
                rate = (*value - *m_last) * 1000.0 / double(ms);
        }
        m_last = value;
        m_at = at;
        return rate;
    }

private:
    std::optional<double> m_last;
    QDateTime m_at;
};

} // namespace sb::inspect
