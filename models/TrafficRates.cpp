#include "models/TrafficRates.h"

#include "models/SeriesHistory.h"

namespace sb::models {

TrafficRates::TrafficRates(SeriesHistory *history)
    : m_history(history)
{ }

QString TrafficRates::seriesName(const protocol::TrafficFrame &frame)
{
    return frame.source + u' ' + protocol::TrafficFrame::transportName(frame.transport);
}

void TrafficRates::count(const QList<protocol::TrafficFrame> &frames)
{
    // Consecutive frames mostly share a series: look the name up only when it changes.
    QString lastSource;
    protocol::TrafficFrame::Transport lastTransport = protocol::TrafficFrame::Transport::Other;
    qint64 *counter = nullptr;
    for (const protocol::TrafficFrame &frame : frames) {
        if (!counter || frame.source != lastSource || frame.transport != lastTransport) {
            counter = &m_counts[seriesName(frame)];
            lastSource = frame.source;
            lastTransport = frame.transport;
        }
        ++*counter;
    }
    m_total += frames.size();
}

void TrafficRates::tick(qint64 nowMs)
{
    if (m_lastTickMs < 0 || nowMs <= m_lastTickMs) {
        m_lastTickMs = nowMs;
        m_counts.clear();
        m_total = 0;
        return;
    }
    const double seconds = double(nowMs - m_lastTickMs) / 1000.0;
    for (auto it = m_counts.begin(); it != m_counts.end(); ++it) {
        m_history->append(it.key(), nowMs, double(it.value()) / seconds);
        it.value() = 0; // keep the series: a quiet second is a 0, not a gap
    }
    m_history->appendTotal(nowMs, double(m_total) / seconds);
    m_total = 0;
    m_lastTickMs = nowMs;
}

} // namespace sb::models
