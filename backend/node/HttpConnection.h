#pragma once

#include "node/AuthenticatedUser.h"
#include "node/Worker.h"
#include "protocol/HttpRequestParser.h"
#include "protocol/HttpResponse.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QTcpSocket;

namespace sb::node {

struct NodeServices;

// One HTTP/1.1 connection: requests in order, keep-alive, a deadline for each request head
// (slowloris) and for idle keep-alive. The head deadline runs from the accept and, on a
// kept-alive connection, from the first byte of the next request; a 408 goes only to a
// request that has begun: sent to an idle connection, it would race the client's next
// request on it and be read as that request's answer, where a silent close lets the client
// retry (RFC 9112 §9.3.1). Until a request head is complete its bytes are only
// peeked, so a WebSocket upgrade can be handed to QWebSocketServer with the handshake
// still unread; plain requests then consume their bytes.
class HttpConnection : public QObject
{
    Q_OBJECT
public:
    HttpConnection(QTcpSocket *socket, Worker *worker, NodeServices *services);
    ~HttpConnection() override;

    // Writes one error response to a connection we will not serve, then closes it.
    static void refuse(QTcpSocket *socket, int status, const QString &reason);

    QHostAddress peerAddress() const;
    Worker *worker() const { return m_worker; }
    void respond(const protocol::HttpResponse &response); // may come later, from a callback
    void upgradeToSse(const AuthenticatedUser &user, const QString &lastEventId);
    void upgradeToWebSocket(Worker::UpgradeKind kind);
    void closeWhenIdle();

private:
    void onReadyRead();
    void processBuffered();
    void fail(int status, const QString &reason, const QByteArrayView &dropReason);
    void onHeadDeadline();
    bool requestBegun() const;
    void detachSocket();

    QPointer<QTcpSocket> m_socket;
    Worker *m_worker;
    NodeServices *m_services;
    protocol::HttpRequestParser m_parser;
    qint64 m_peeked = 0;      // socket bytes already fed to the parser but not yet read
    bool m_busy = false;      // a response is pending: later pipelined requests wait
    bool m_keepAlive = true;
    bool m_closeWhenIdle = false;
    bool m_upgradeRequest = false; // the pending request asked for a WebSocket upgrade
    QTimer m_headTimer;
    QTimer m_idleTimer;
};

} // namespace sb::node
