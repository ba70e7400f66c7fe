#pragma once

#include <QList>
#include <QPointF>

namespace sb::models {

// A fixed-size ring of (time, value) samples for a live chart: appending never grows
// memory, and points() gives what QXYSeries::replace() wants, oldest first.
class CountHistory
{
public:
    explicit CountHistory(int capacity = 720)
        : m_capacity(qMax(1, capacity))
    {
        m_samples.reserve(m_capacity);
    }

    void append(qint64 wallClockMs, double value)
    {
        const QPointF point(double(wallClockMs), value);
        if (m_samples.size() < m_capacity) {
            m_samples.append(point);
        } else {
            m_samples[m_next] = point;
            m_next = (m_next + 1) % m_capacity;
        }
    }

    int size() const { return int(m_samples.size()); }
    int capacity() const { return m_capacity; }
    QPointF last() const
    {
        if (m_samples.isEmpty())
            return {};
        return m_samples.at((m_next + m_samples.size() - 1) % m_samples.size());
    }

    QList<QPointF> points() const
    {
        QList<QPointF> ordered;
        ordered.reserve(m_samples.size());
        for (qsizetype i = 0; i < m_samples.size(); ++i)
            ordered.append(m_samples.at((m_next + i) % m_samples.size()));
        return ordered;
    }

private:
    int m_capacity;
    qsizetype m_next = 0; // the oldest sample once full
    QList<QPointF> m_samples;
};

} // namespace sb::models
