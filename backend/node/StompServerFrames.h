#pragma once

#include "node/StompSubscription.h"
#include "protocol/StompFrame.h"
#include "protocol/StompHeartBeat.h"
#include "protocol/StompVersion.h"

#include <QString>

namespace sb::node {

// The frames a node sends a STOMP client, as docs/protocol.md words them: pure builders,
// so the session decides when and these say what. (The replay's reset notice is
// ReplaySeam's.)
class StompServerFrames
{
public:
    static protocol::StompFrame connected(protocol::StompVersion version,
        const protocol::StompHeartBeat &offer, const QString &session, const QString &user);
    // The ERROR for a CONNECT whose accept-version the node does not speak.
    static protocol::StompFrame unsupportedVersion(const protocol::StompVersionNegotiation &negotiation);
    // ERROR: `message` on one line in its header, and in the body followed by `details`;
    // with the receipt-id of `cause` when it asked for a receipt.
    static protocol::StompFrame error(
        const QString &message, const protocol::StompFrame *cause, const QString &details = {});
    // Drain: the client should reconnect to another replica.
    static protocol::StompFrame goingAway();
    static protocol::StompFrame receipt(const QByteArray &receiptId);
    // replayed: read from the channel's history for a SUBSCRIBE with `since`.
    static protocol::StompFrame message(const StompSubscription &subscription, const QString &messageId,
        const QByteArray &body, bool replayed);
};

} // namespace sb::node
