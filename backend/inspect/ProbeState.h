#pragma once

#include <QMetaType>
#include <QString>

namespace sb::inspect {

// Where a probe client is (StompProbeClient, SseProbeClient): one enum for both, so the
// console shows any probe the same way.
enum class ProbeState : quint8 {
    Idle, // not started
    Connecting, // TCP, the WebSocket handshake and CONNECT…CONNECTED; or the SSE request
    Live, // connected: frames flow
    Reconnecting, // SSE: the stream ended or dropped; the next request comes after the retry delay
    Closed, // stopped by its owner (or the count it was asked for was reached)
    Failed, // gave up; the detail (and errorString()) says why
};

inline QString probeStateName(ProbeState state)
{
    switch (state) {
    case ProbeState::Idle:
        return QStringLiteral("idle");
    case ProbeState::Connecting:
        return QStringLiteral("connecting");
    case ProbeState::Live:
        return QStringLiteral("live");
    case ProbeState::Reconnecting:
        return QStringLiteral("reconnecting");
    case ProbeState::Closed:
        return QStringLiteral("closed");
    case ProbeState::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

} // namespace sb::inspect

Q_DECLARE_METATYPE(sb::inspect::ProbeState)
