#include "node/StompHeartBeats.h"

#include <utility>

namespace sb::node {

namespace {
// The send tick comes four times an interval: three silent ticks are 3/4 of it at least.
constexpr int kSilentTicksBeforeBeat = 3;
} // namespace

StompHeartBeats::StompHeartBeats(
    PeriodicTimers *timers, std::function<void()> beatDue, std::function<void()> peerSilent)
    : m_timers(timers)
    , m_beatDue(std::move(beatDue))
    , m_peerSilent(std::move(peerSilent))
{
    m_lastReceived.start();
}

StompHeartBeats::~StompHeartBeats()
{
    stop();
}

void StompHeartBeats::sendTick()
{
    if (std::exchange(m_sentSinceTick, false)) {
        m_silentTicks = 0;
        return;
    }
    if (++m_silentTicks >= kSilentTicksBeforeBeat) {
        m_beatDue();
        // The beat went at this tick: the next is due three silent ticks on, 3/4 of an
        // interval (sent() during beatDue() would count it only from the next tick).
        m_sentSinceTick = false;
        m_silentTicks = 0;
    }
}

void StompHeartBeats::checkTick()
{
    if (m_intervals.incomingMs > 0 && m_lastReceived.elapsed() > 3 * m_intervals.incomingMs)
        m_peerSilent();
}

void StompHeartBeats::start(const protocol::StompHeartBeatIntervals &intervals)
{
    stop();
    m_intervals = intervals;
    m_sentSinceTick = false;
    m_silentTicks = 0;
    if (!m_timers)
        return;
    // Ticked four times an interval and sent once 3/4 of it passed in silence, so the gap
    // never exceeds the negotiated interval (a check once an interval with a "nearly due"
    // margin let it reach almost twice that). A tick may run up to 1/16 of its period early
    // (PeriodicTimers::slackMs, wake-ups shared): a beat at most 3/64 of the interval early.
    if (intervals.outgoingMs > 0)
        m_sendTick = m_timers->start(qMax<qint64>(intervals.outgoingMs / 4, 10), [this] { sendTick(); });
    if (intervals.incomingMs > 0)
        m_checkTick = m_timers->start(qMax<qint64>(intervals.incomingMs / 2, 50), [this] { checkTick(); });
}

void StompHeartBeats::stop()
{
    if (m_timers) {
        m_timers->stop(m_sendTick);
        m_timers->stop(m_checkTick);
    }
    m_sendTick = 0;
    m_checkTick = 0;
}

} // namespace sb::node
