#include "node/StompHeartBeats.h"

namespace sb::node {

StompHeartBeats::StompHeartBeats(QObject *parent)
    : QObject(parent)
{
    m_lastReceived.start();
    m_lastSent.start();
    connect(&m_sendTimer, &QTimer::timeout, this, [this] {
        if (m_lastSent.elapsed() >= m_intervals.outgoingMs * 3 / 4)
            emit beatDue();
    });
    connect(&m_checkTimer, &QTimer::timeout, this, [this] {
        if (m_intervals.incomingMs > 0 && m_lastReceived.elapsed() > 3 * m_intervals.incomingMs)
            emit peerSilent();
    });
}

void StompHeartBeats::start(const protocol::StompHeartBeatIntervals &intervals)
{
    m_intervals = intervals;
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
