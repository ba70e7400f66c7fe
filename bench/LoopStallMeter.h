#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

// How long the GUI thread's event loop stalls: a 1 ms precise timer on that thread; any
// gap beyond 1 ms is time the thread spent elsewhere (applying a poll, painting). Samples
// are kept only while measuring() is on, so start-up is not counted.
class LoopStallMeter : public QObject
{
public:
    explicit LoopStallMeter(const char *label)
        : m_label(label)
    {
        m_samples.reserve(100000);
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(1);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] { tick(); });
        m_clock.start();
        m_timer.start();
    }

    void setMeasuring(bool on) { m_measuring = on; }
    bool measuring() const { return m_measuring; }
    size_t sampleCount() const { return m_samples.size(); }

    double percentile(double p) const
    {
        if (m_samples.empty())
            return 0;
        std::vector<double> sorted = m_samples;
        std::sort(sorted.begin(), sorted.end());
        return sorted[std::min(sorted.size() - 1, size_t(p * double(sorted.size() - 1) + 0.5))];
    }
    double worst() const
    {
        return m_samples.empty() ? 0 : *std::max_element(m_samples.begin(), m_samples.end());
    }

private:
    void tick()
    {
        const qint64 now = m_clock.nsecsElapsed();
        if (m_measuring && m_last >= 0) {
            m_samples.push_back(std::max(0.0, double(now - m_last) / 1e6 - 1.0));
            if (m_samples.back() >= 16.0)
                std::fprintf(
                    stderr, "%s: stall %.1f ms at %.3f s\n", m_label, m_samples.back(), double(now) / 1e9);
        }
        m_last = now;
    }

    const char *m_label;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = -1;
    bool m_measuring = false;
    std::vector<double> m_samples;
};

// The p-th percentile of any sample (nearest rank), for figures other than stalls.
inline double percentileOf(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, size_t(p * double(values.size() - 1) + 0.5))];
}
