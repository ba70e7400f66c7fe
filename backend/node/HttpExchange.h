#pragma once

#include "node/AuthenticatedUser.h"
#include "node/WebSocketEndpoint.h"
#include "protocol/HttpResponse.h"

#include <QHostAddress>
#include <QObject>

namespace sb::node {

// An HTTP connection as the request handlers see it (HttpApi, ReplicasEndpoint): where the
// answer goes, possibly later, and the two ways the connection can stop being HTTP. A
// QObject, so a late answer holds it by QPointer and is dropped once it is gone, and so it
// can be the context of a callback. HttpConnection is the one implementation.
class HttpExchange : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual QHostAddress peerAddress() const = 0;
    virtual void respond(const protocol::HttpResponse &response) = 0;
    // The socket becomes `user`'s SSE stream (replaying after lastEventId when given).
    virtual void upgradeToSse(const AuthenticatedUser &user, const QString &lastEventId) = 0;
    // The socket goes to the WebSocket handshake, still unread, for `endpoint`.
    virtual void upgradeToWebSocket(WebSocketEndpoint endpoint) = 0;
};

} // namespace sb::node
