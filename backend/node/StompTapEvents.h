#pragma once

#include "node/StompSubscription.h"
#include "node/TapEvent.h"

#include <QHash>

namespace sb::node {

// The tap's frames about one STOMP session rather than one of its frames (docs/protocol.md,
// "Tap frames"): OPEN, STATE and CLOSE, built from what the session says of itself. The
// session decides when; these say how.
class StompTapEvents
{
public:
    static TapEvent lifecycle(const QString &session, const QString &user, const QByteArray &command);
    // remote: address:port of the client; subprotocol: the one the WebSocket agreed on.
    static TapEvent open(const QString &session, const QByteArray &remote, const QString &subprotocol);
    // stateWord: connecting, connected or closing; subscriptions listed by id, in id order.
    static TapEvent state(const QString &session, const QString &user, qint64 sinceMs,
        const QByteArray &stateWord, const QHash<QByteArray, StompSubscription> &subscriptions);
    // why: the machine word (client, heartbeat_timeout, ...); code: the WebSocket close code
    // (0: none); message: the ERROR's message that preceded the close, if any.
    // The reason a CLOSE gives when the client closed, or Qt did for it: frame_too_large
    // (1009), bad_utf8 (1007) or client.
    static QByteArray peerCloseReason(int closeCode);
    static TapEvent close(
        const QString &session, const QString &user, const QByteArray &why, int code, const QString &message);
};

} // namespace sb::node
