#pragma once

#include "protocol/StompHeartBeat.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace sb::node {

// The clock of one STOMP session's heart-beats, once CONNECT negotiated them
// (protocol::negotiateStompHeartBeat): beatDue() when nothing went to the client for 3/4 of
// the outgoing interval, peerSilent() when nothing came from it for 3 incoming intervals.
// The session tells it when bytes go either way and acts on the two signals.
class StompHeartBeats : public QObject
{
    Q_OBJECT
public:
    explicit StompHeartBeats(QObject *parent = nullptr);

    void start(const protocol::StompHeartBeatIntervals &intervals);
    void stop();
    void received() { m_lastReceived.restart(); }
    void sent() { m_lastSent.restart(); }
    qint64 silentForMs() const { return m_lastReceived.elapsed(); }
    qint64 incomingMs() const { return m_intervals.incomingMs; }

signals:
    void beatDue();
    void peerSilent();

private:
    protocol::StompHeartBeatIntervals m_intervals;
    QTimer m_sendTimer;
    QTimer m_checkTimer;
    QElapsedTimer m_lastReceived;
    QElapsedTimer m_lastSent;
};

} // namespace sb::node
