#pragma once

#include "node/HttpExchange.h"
#include "node/NodeLimits.h"
#include "protocol/HttpRequestParser.h"

#include <QPointer>
#include <QTimer>

class QTcpSocket;

namespace sb::node {

struct HttpApiDeps;
class ChannelPolicy;
class PublishAcknowledgements;

// One HTTP/1.1 connection: requests in order, keep-alive, a deadline for each request head
// (slowloris) and for idle keep-alive. The head deadline runs from the accept and, on a
// kept-alive connection, from the first byte of the next request; a 408 goes only to a
// request that has begun: sent to an idle connection, it would race the client's next
// request on it and be read as that request's answer, where a silent close lets the client
// retry (RFC 9112 §9.3.1). Until a request head is complete its bytes are only
// peeked, so a WebSocket upgrade to the tap can be handed to QWebSocketServer with the
// handshake still unread; plain requests, and a STOMP upgrade (whose handshake the node
// answers itself), then consume their bytes. An upgrade leaves with its socket through a
// signal: whoever owns the connection (the worker) makes the stream or completes the
// handshake; the connection knows nothing of either.
class HttpConnection : public HttpExchange
{
    Q_OBJECT
public:
    // limits: the HTTP ones (head and body sizes, head and idle deadlines); api: what the
    // requests' HttpApi uses, and where the connection is counted (its metrics) and learns
    // of a drain (its readiness). acks: where the requests' publishes wait for their
    // verdicts; policy: who may publish where and use the admin endpoints. api, acks and
    // policy are the worker's, which outlive the connection.
    HttpConnection(QTcpSocket *socket, const NodeLimits &limits, const HttpApiDeps *api,
        PublishAcknowledgements *acks, const ChannelPolicy *policy, QObject *parent);
    ~HttpConnection() override;

    // Writes one error response to a connection we will not serve, then closes it.
    static void refuse(QTcpSocket *socket, int status, const QString &reason);

    QHostAddress peerAddress() const override;
    void respond(const protocol::HttpResponse &response) override; // may come later, from a callback
    void upgradeToSse(const AuthenticatedUser &user, const QString &lastEventId) override;
    void upgradeToWebSocket(WebSocketEndpoint endpoint) override;
    void closeWhenIdle();

signals:
    // The socket leaves this connection (which then deletes itself): a receiver takes it
    // (reparents it); unreceived, it goes with the connection. Emitted on the owner's thread.
    void sseRequested(
        QTcpSocket *socket, const sb::node::AuthenticatedUser &user, const QString &lastEventId);
    // handshake: the upgrade's request. For the tap its bytes are still unread in the socket,
    // for QWebSocketServer to read; for STOMP they were read, and whatever the client sent
    // behind them (its first frames) is what the socket holds.
    void webSocketRequested(
        QTcpSocket *socket, sb::node::WebSocketEndpoint endpoint, const sb::protocol::HttpRequest &handshake);

private:
    void onReadyRead();
    void processBuffered();
    void fail(int status, const QString &reason, const QByteArrayView &dropReason);
    void onHeadDeadline();
    bool requestBegun() const;
    void detachSocket();

    QPointer<QTcpSocket> m_socket;
    const HttpApiDeps *m_api;
    PublishAcknowledgements *m_acks;
    const ChannelPolicy *m_policy;
    protocol::HttpRequestParser m_parser;
    qint64 m_peeked = 0; // socket bytes already fed to the parser but not yet read
    bool m_busy = false; // a response is pending: later pipelined requests wait
    bool m_keepAlive = true;
    bool m_closeWhenIdle = false;
    bool m_upgradeRequest = false; // the pending request asked for a WebSocket upgrade
    QTimer m_headTimer;
    QTimer m_idleTimer;
};

} // namespace sb::node
