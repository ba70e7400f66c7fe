#pragma once

#include "node/PeriodicTimers.h"
#include "protocol/StompHeartBeat.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

namespace sb::node {

// The clock of one STOMP session's heart-beats, once CONNECT negotiated them
// (protocol::negotiateStompHeartBeat): beatDue() when nothing went to the client for 3/4 of
// the outgoing interval, peerSilent() when nothing came from it for 3 incoming intervals.
// The session tells it when bytes go either way and acts on the two signals.
// What is sent is marked, not timed: sent() runs for every frame (every delivery), and a
// clock read there was a measurable share of a delivery's instructions (docs/benchmarks.md,
// "Instructions per delivery"); the send timer, four ticks an interval, counts the ticks
// that saw nothing sent and beats at the third, 3/4 to 4/4 of an interval after the last
// frame, as the clock's "3/4 of the interval passed" did at the same ticks.
// Both ticks are the worker's PeriodicTimers (one QTimer for all its sessions), not a QTimer
// each: Qt's per-thread timer list costs a walk of all timers per re-arm.
class StompHeartBeats : public QObject
{
    Q_OBJECT
public:
    // timers: the worker's; may go first (the worker's end), then nothing ticks.
    explicit StompHeartBeats(PeriodicTimers *timers, QObject *parent = nullptr);
    ~StompHeartBeats() override;
    StompHeartBeats(const StompHeartBeats &) = delete;
    StompHeartBeats &operator=(const StompHeartBeats &) = delete;

    void start(const protocol::StompHeartBeatIntervals &intervals);
    void stop();
    void received() { m_lastReceived.restart(); }
    void sent() { m_sentSinceTick = true; }
    qint64 silentForMs() const { return m_lastReceived.elapsed(); }
    qint64 incomingMs() const { return m_intervals.incomingMs; }

signals:
    void beatDue();
    void peerSilent();

private:
    void sendTick();
    void checkTick();

    QPointer<PeriodicTimers> m_timers;
    PeriodicTimers::Id m_sendTick = 0; // four times the outgoing interval
    PeriodicTimers::Id m_checkTick = 0; // twice the incoming interval
    protocol::StompHeartBeatIntervals m_intervals;
    QElapsedTimer m_lastReceived;
    bool m_sentSinceTick = false;
    int m_silentTicks = 0; // send-timer ticks in a row with nothing sent
};

} // namespace sb::node
