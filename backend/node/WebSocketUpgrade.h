#pragma once

#include "node/WebSocketEndpoint.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

class QTcpSocket;
class QWebSocket;
class QWebSocketServer;

namespace sb::node {

// One WebSocket upgrade to the tap (/admin/tap) HttpApi accepted, carried with its socket
// until Qt completes the handshake (a STOMP session's handshake the worker answers itself,
// without a QWebSocket: Worker::startStompSession): the socket, the endpoint it was
// accepted for and the WebSocket Qt makes of it stay together, so nothing has to be matched
// back afterwards. (The worker used to hand every upgrade to one QWebSocketServer and find
// which socket a new QWebSocket came from by comparing peer addresses and ports.) Its own
// QWebSocketServer reads the handshake, still unread in the socket, and answers it; then
// opened() hands the WebSocket on and the upgrade deletes itself, as it does when the
// socket goes first (a failed handshake).
class WebSocketUpgrade : public QObject
{
    Q_OBJECT
public:
    WebSocketUpgrade(
        QTcpSocket *socket, WebSocketEndpoint endpoint, const QStringList &subprotocols, QObject *parent);

signals:
    // The receiver takes the WebSocket (Qt made it without a parent); `transport` is the
    // socket beneath it, for the bytes still queued to the client.
    void opened(QWebSocket *webSocket, QTcpSocket *transport, sb::node::WebSocketEndpoint endpoint);

private:
    void onNewConnection();

    QPointer<QTcpSocket> m_socket;
    WebSocketEndpoint m_endpoint;
    QWebSocketServer *m_server;
};

} // namespace sb::node
