#pragma once

#include "node/PeriodicTimers.h"
#include "protocol/StompHeartBeat.h"

#include <QElapsedTimer>
#include <QPointer>

#include <functional>

namespace sb::node {

// The clock of one STOMP session's heart-beats, once CONNECT negotiated them
// (protocol::negotiateStompHeartBeat): beatDue() when nothing went to the client for 3/4 of
// the outgoing interval, peerSilent() when nothing came from it for 3 incoming intervals.
// The session tells it when bytes go either way and acts on the two callbacks.
// What is sent is marked, not timed: sent() runs for every frame (every delivery), and a
// clock read there was a measurable share of a delivery's instructions (docs/benchmarks.md,
// "Instructions per delivery"); the send timer, four ticks an interval, counts the ticks
// that saw nothing sent and beats at the third, 3/4 to 4/4 of an interval after the last
// frame, as the clock's "3/4 of the interval passed" did at the same ticks.
// Both ticks are the worker's PeriodicTimers (one QTimer for all its sessions), not a QTimer
// each: Qt's per-thread timer list costs a walk of all timers per re-arm. Not a QObject: its
// two signals' connections and its private cost an idle session ~0.4 KiB (docs/benchmarks.md,
// "Idle connections: where the bytes go"); the callbacks run from the tick, as a direct
// connection's slot did.
class StompHeartBeats
{
public:
    // timers: the worker's; may go first (the worker's end), then nothing ticks.
    // beatDue: nothing went to the client for 3/4 of the outgoing interval; peerSilent:
    // nothing came from it for 3 incoming intervals.
    StompHeartBeats(PeriodicTimers *timers, std::function<void()> beatDue, std::function<void()> peerSilent);
    ~StompHeartBeats();
    StompHeartBeats(const StompHeartBeats &) = delete;
    StompHeartBeats &operator=(const StompHeartBeats &) = delete;

    void start(const protocol::StompHeartBeatIntervals &intervals);
    void stop();
    void received() { m_lastReceived.restart(); }
    void sent() { m_sentSinceTick = true; }
    qint64 silentForMs() const { return m_lastReceived.elapsed(); }
    qint64 incomingMs() const { return m_intervals.incomingMs; }

private:
    void sendTick();
    void checkTick();

    QPointer<PeriodicTimers> m_timers;
    std::function<void()> m_beatDue;
    std::function<void()> m_peerSilent;
    PeriodicTimers::Id m_sendTick = 0; // four times the outgoing interval
    PeriodicTimers::Id m_checkTick = 0; // twice the incoming interval
    protocol::StompHeartBeatIntervals m_intervals;
    QElapsedTimer m_lastReceived;
    bool m_sentSinceTick = false;
    int m_silentTicks = 0; // send-timer ticks in a row with nothing sent
};

} // namespace sb::node
