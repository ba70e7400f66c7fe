#pragma once

#include <QtGlobal>

namespace sb::app {

// How many messages the demo population owes at a moment, for a total rate in messages per
// second and an optional burst (a factor until a deadline). Pure: the caller passes its
// clock in ms, so tests drive time by hand. Fractions carry over from one call to the next,
// so 20 msg/s polled every 50 ms sends exactly one per poll, and 0.5 msg/s one every 2 s.
class MessageSchedule
{
public:
    // A thread that stalled longer than this owes at most this much: a paused demo resumes
    // at its rate, without a flood of the messages it missed.
    static constexpr qint64 kMaxCatchUpMs = 1000;

    explicit MessageSchedule(double perSecond = 0);

    void setRate(double perSecond);
    double rate() const { return m_rate; }
    // `factor` × the rate from now until untilMs; replaces a burst still running.
    void burst(double factor, qint64 untilMs);
    double rateAt(qint64 nowMs) const;
    // The messages due since the previous call (none at the first: it starts the clock).
    int due(qint64 nowMs);

private:
    double m_rate = 0;
    double m_burstFactor = 1;
    qint64 m_burstUntilMs = -1;
    qint64 m_lastMs = -1;
    double m_credit = 0;
};

} // namespace sb::app
