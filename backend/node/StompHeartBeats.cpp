#include "node/StompHeartBeats.h"

#include <utility>

namespace sb::node {

namespace {
// The send timer ticks four times an interval: three silent ticks are 3/4 of it at least.
constexpr int kSilentTicksBeforeBeat = 3;
} // namespace

StompHeartBeats::StompHeartBeats(QObject *parent)
    : QObject(parent)
{
    m_lastReceived.start();
    connect(&m_sendTimer, &QTimer::timeout, this, [this] {
        if (std::exchange(m_sentSinceTick, false)) {
            m_silentTicks = 0;
            return;
        }
        if (++m_silentTicks >= kSilentTicksBeforeBeat) {
            emit beatDue();
            // The beat went at this tick: the next is due three silent ticks on, 3/4 of an
            // interval (sent() during beatDue() would count it only from the next tick).
            m_sentSinceTick = false;
            m_silentTicks = 0;
        }
    });
    connect(&m_checkTimer, &QTimer::timeout, this, [this] {
        if (m_intervals.incomingMs > 0 && m_lastReceived.elapsed() > 3 * m_intervals.incomingMs)
            emit peerSilent();
    });
}

void StompHeartBeats::start(const protocol::StompHeartBeatIntervals &intervals)
{
    m_intervals = intervals;
    m_sentSinceTick = false;
    m_silentTicks = 0;
    // Checked four times an interval and sent once 3/4 of it passed in silence, so the gap
    // never exceeds the negotiated interval (a check once an interval with a "nearly due"
    // margin let it reach almost twice that).
    if (intervals.outgoingMs > 0)
        m_sendTimer.start(int(qMax<qint64>(intervals.outgoingMs / 4, 10)));
    if (intervals.incomingMs > 0)
        m_checkTimer.start(int(qMax<qint64>(intervals.incomingMs / 2, 50)));
}

void StompHeartBeats::stop()
{
    m_sendTimer.stop();
    m_checkTimer.stop();
}

} // namespace sb::node
