#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <optional>

namespace sb::protocol {

// The two numbers of a STOMP heart-beat header, from the point of view of whoever sent
// it: "<canSendEveryMs>,<wantsReceiveEveryMs>" (cx,cy in CONNECT, sx,sy in CONNECTED).
// 0 means "cannot send" / "does not want any".
struct StompHeartBeat
{
    qint64 sendMs = 0;
    qint64 receiveMs = 0;

    // Parses "cx,cy": two non-negative decimal integers (at most 2^31-1), nothing else.
    // A missing header means 0,0; pass a null view for that.
    static std::optional<StompHeartBeat> parse(QByteArrayView value);
    QByteArray toHeaderValue() const;

    friend bool operator==(const StompHeartBeat &a, const StompHeartBeat &b)
    {
        return a.sendMs == b.sendMs && a.receiveMs == b.receiveMs;
    }
};

// What one side actually does after the CONNECT/CONNECTED exchange.
struct StompHeartBeatIntervals
{
    // Send a heart-beat (or any frame) at least this often; 0 = never.
    qint64 outgoingMs = 0;
    // Expect something from the peer at least this often; 0 = do not check.
    qint64 incomingMs = 0;

    friend bool operator==(const StompHeartBeatIntervals &a, const StompHeartBeatIntervals &b)
    {
        return a.outgoingMs == b.outgoingMs && a.incomingMs == b.incomingMs;
    }
};

// STOMP 1.2 §Heart-beating, seen from `local` (our own offer) against `remote` (the
// peer's header). Symmetric, so the server passes (its sx,sy; client's cx,cy) and a
// client passes (its cx,cy; server's sx,sy):
//   outgoing = 0 if local.send == 0 or remote.receive == 0, else max(local.send, remote.receive)
//   incoming = 0 if remote.send == 0 or local.receive == 0, else max(remote.send, local.receive)
StompHeartBeatIntervals negotiateStompHeartBeat(const StompHeartBeat &local, const StompHeartBeat &remote);

} // namespace sb::protocol
