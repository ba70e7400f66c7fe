#include "node/WebSocketUpgrade.h"

#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketServer>

namespace sb::node {

WebSocketUpgrade::WebSocketUpgrade(
    QTcpSocket *socket, WebSocketEndpoint endpoint, const QStringList &subprotocols, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_endpoint(endpoint)
    , m_server(new QWebSocketServer(QStringLiteral("switchboard"), QWebSocketServer::NonSecureMode, this))
{
    m_server->setSupportedSubprotocols(subprotocols);
    connect(m_server, &QWebSocketServer::newConnection, this, &WebSocketUpgrade::onNewConnection);
    // A handshake Qt refuses (or one that never completes) ends with the socket: so does this.
    connect(socket, &QObject::destroyed, this, &QObject::deleteLater);
    m_server->handleConnection(socket);
}

void WebSocketUpgrade::onNewConnection()
{
    // This server was handed one socket: its one WebSocket is that socket's.
    QWebSocket *webSocket = m_server->nextPendingConnection();
    if (!webSocket)
        return;
    if (m_socket) {
        disconnect(m_socket, &QObject::destroyed, this, nullptr);
        // Qt's server deletes a socket it upgraded once it disconnects, but only while the
        // server lives, and this one goes now: the socket keeps that end of its own.
        connect(m_socket, &QTcpSocket::disconnected, m_socket, &QObject::deleteLater);
    }
    emit opened(webSocket, m_socket, m_endpoint);
    deleteLater();
}

} // namespace sb::node
