#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace sb::test {

// The longest gap between ticks of a 5 ms timer on the thread that creates it: how long that
// thread's event loop stopped turning (a GUI-thread stall) while the meter lived.
class EventLoopGapMeter : public QObject
{
public:
    EventLoopGapMeter()
    {
        m_timer.setInterval(5);
        connect(&m_timer, &QTimer::timeout, this,
            [this] { m_longestGapMs = qMax(m_longestGapMs, m_sinceTick.restart()); });
        m_sinceTick.start();
        m_timer.start();
    }
    // Counting the gap still open: a stall read from inside it (a slot the stalled loop
    // finally ran, or a check right after it) has not been ticked past yet.
    qint64 longestGapMs() const { return qMax(m_longestGapMs, m_sinceTick.elapsed()); }

private:
    QTimer m_timer;
    QElapsedTimer m_sinceTick;
    qint64 m_longestGapMs = 0;
};

} // namespace sb::test
