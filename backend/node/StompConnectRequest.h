#pragma once

#include "protocol/StompFrame.h"
#include "protocol/StompHeartBeat.h"
#include "protocol/StompVersion.h"

#include <QByteArray>

namespace sb::node {

// What a CONNECT (or STOMP) frame asks for (docs/protocol.md): the STOMP version both sides
// speak, the client's heart-beat and its bearer token (`Authorization: Bearer …`, or
// `passcode`). Pure; a frame the session cannot serve says which problem it has, in the
// order the session answers them (the version first: the ERROR for the others is written
// in it).
struct StompConnectRequest
{
    enum class Problem { None, UnsupportedVersion, BadHeartBeat, MissingToken };

    Problem problem = Problem::None;
    protocol::StompVersionNegotiation negotiation;
    protocol::StompHeartBeat heartBeat; // the client's; none given: 0,0
    QByteArray token;

    static StompConnectRequest parse(const protocol::StompFrame &frame);
};

} // namespace sb::node
