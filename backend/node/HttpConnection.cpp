#include "node/HttpConnection.h"

#include "node/HttpApi.h"
#include "node/HttpApiDeps.h"
#include "node/NodeMetrics.h"
#include "node/NodeReadiness.h"

#include <QTcpSocket>

namespace sb::node {

HttpConnection::HttpConnection(QTcpSocket *socket, const NodeLimits &limits, const HttpApiDeps *api,
    PublishAcknowledgements *acks, const ChannelPolicy *policy, QObject *parent)
    : HttpExchange(parent)
    , m_socket(socket)
    , m_api(api)
    , m_acks(acks)
    , m_policy(policy)
{
    protocol::HttpLimits parserLimits;
    parserLimits.maxHeaderSection = limits.maxHttpHeaderBytes;
    parserLimits.maxBodySize = limits.maxHttpBodyBytes;
    m_parser = protocol::HttpRequestParser(parserLimits);
    socket->setParent(this);
    api->metrics->connectionOpened(NodeMetrics::Transport::Http);

    m_headTimer.setSingleShot(true);
    m_headTimer.setInterval(limits.httpHeaderTimeoutMs);
    connect(&m_headTimer, &QTimer::timeout, this, &HttpConnection::onHeadDeadline);
    m_idleTimer.setSingleShot(true);
    m_idleTimer.setInterval(limits.httpIdleTimeoutMs);
    // An idle keep-alive connection is closed silently (RFC 9112 §9.3.1: an answer could be
    // read as the reply to a request the client is sending right now), but lingering, so
    // such a request cannot turn the close into a reset.
    connect(&m_idleTimer, &QTimer::timeout, this, [this] {
        if (m_socket && !m_busy)
            m_socket->close();
    });
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    m_headTimer.start();
    if (socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &HttpConnection::onReadyRead, Qt::QueuedConnection);
}

HttpConnection::~HttpConnection()
{
    if (m_socket && m_socket->parent() == this)
        m_api->metrics->connectionClosed(NodeMetrics::Transport::Http);
}

void HttpConnection::refuse(QTcpSocket *socket, int status, const QString &reason)
{
    protocol::HttpResponse response = protocol::HttpResponse::jsonError(status, reason);
    response.setCloseConnection(true);
    if (status == 503 || status == 429)
        response.setHeader("Retry-After", "1");
    socket->write(response.serialize());
    QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    // close(), not disconnectFromHost(): the node's sockets linger (LingeringSocket), so a
    // request the client already sent cannot turn this answer into a reset.
    socket->close();
}

QHostAddress HttpConnection::peerAddress() const
{
    return m_socket ? m_socket->peerAddress() : QHostAddress();
}

void HttpConnection::onReadyRead()
{
    if (!m_socket || m_busy)
        return;
    // Peek: the bytes stay in the socket in case this turns out to be a WebSocket upgrade.
    const QByteArray available = m_socket->peek(m_socket->bytesAvailable());
    if (available.size() > m_peeked) {
        m_parser.feed(QByteArrayView(available).sliced(m_peeked));
        m_peeked = available.size();
    }
    processBuffered();
}

bool HttpConnection::requestBegun() const
{
    // Every peeked byte has been fed to the parser, which knows a request line from the
    // empty lines a client may send between requests.
    return m_parser.requestStarted();
}

void HttpConnection::onHeadDeadline()
{
    if (requestBegun()) {
        fail(408, QStringLiteral("the request head did not arrive within %1 ms").arg(m_headTimer.interval()),
            QByteArrayLiteral("header_timeout"));
        return;
    }
    // A connection that never sent a byte: nobody waits for an answer.
    m_api->metrics->dropped(QByteArrayLiteral("header_timeout"));
    m_busy = true;
    m_idleTimer.stop();
    if (m_socket)
        m_socket->close(); // lingering, as above
}

void HttpConnection::processBuffered()
{
    while (m_socket && !m_busy) {
        if (m_parser.state() == protocol::HttpRequestParser::State::Error) {
            fail(m_parser.errorStatus(), m_parser.errorReason(), QByteArrayLiteral("bad_request"));
            return;
        }
        if (m_parser.state() != protocol::HttpRequestParser::State::Complete) {
            // Plain bodies can be long: once the head is known not to be an upgrade, read
            // (consume) instead of peeking again and again.
            if (requestBegun() && !m_headTimer.isActive()) {
                // The next request on a kept-alive connection: from now on it has a deadline.
                m_idleTimer.stop();
                m_headTimer.start();
            }
            if (m_parser.headersComplete() && !m_parser.request().isWebSocketUpgrade() && m_peeked > 0) {
                m_socket->read(m_peeked);
                m_peeked = 0;
            }
            return;
        }
        m_headTimer.stop();
        m_idleTimer.stop();
        const protocol::HttpRequest &head = m_parser.request();
        if (head.isWebSocketUpgrade()) {
            m_busy = true;
            m_upgradeRequest = true;
            HttpApi(*m_api, this, m_acks, m_policy).handleUpgrade(head);
            return;
        }
        const qint64 consumed = m_peeked - m_parser.bufferedBytes();
        if (consumed > 0)
            m_socket->read(consumed);
        m_peeked -= qMax<qint64>(consumed, 0);
        const protocol::HttpRequest request = m_parser.takeRequest();
        m_keepAlive = request.keepAlive();
        m_busy = true;
        m_api->metrics->message(NodeMetrics::Transport::Http, NodeMetrics::Direction::In);
        HttpApi(*m_api, this, m_acks, m_policy).handle(request);
    }
}

void HttpConnection::respond(const protocol::HttpResponse &original)
{
    if (!m_socket)
        return;
    protocol::HttpResponse response = original;
    // An upgrade answered with a plain response (401, 403, …) is never resumed: its bytes
    // are still unread in the socket, so going on would parse the same request again and
    // again (unbounded recursion through processBuffered). The client expected a protocol
    // switch anyway; it gets the reason and the close.
    const bool close = !m_keepAlive || m_closeWhenIdle || m_upgradeRequest || m_api->readiness->isDraining()
        || response.closesConnection();
    response.setCloseConnection(close);
    m_socket->write(response.serialize());
    if (close) {
        // Stay busy: nothing more is read or answered on this connection. A lingering close
        // (LingeringSocket): what the client pipelined behind this request cannot reset it.
        m_socket->close();
        return;
    }
    m_busy = false;
    m_idleTimer.start(); // the head deadline starts with the next request's first byte
    processBuffered();
}

void HttpConnection::fail(int status, const QString &reason, const QByteArrayView &dropReason)
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    m_api->metrics->dropped(dropReason.toByteArray());
    m_keepAlive = false;
    // Final: no timer may answer a second time and nothing more is parsed.
    m_busy = true;
    m_headTimer.stop();
    m_idleTimer.stop();
    protocol::HttpResponse response = protocol::HttpResponse::jsonError(status, reason);
    response.setCloseConnection(true);
    m_socket->write(response.serialize());
    m_socket->close(); // lingering: a body still on its way (413) cannot reset the answer
}

void HttpConnection::detachSocket()
{
    m_headTimer.stop();
    m_idleTimer.stop();
    disconnect(m_socket, nullptr, this, nullptr);
    m_api->metrics->connectionClosed(NodeMetrics::Transport::Http);
}

void HttpConnection::upgradeToSse(const AuthenticatedUser &user, const QString &lastEventId)
{
    if (!m_socket)
        return;
    QTcpSocket *socket = m_socket;
    detachSocket();
    m_socket = nullptr;
    emit sseRequested(socket, user, lastEventId);
    deleteLater();
}

void HttpConnection::upgradeToWebSocket(WebSocketEndpoint endpoint)
{
    if (!m_socket)
        return;
    QTcpSocket *socket = m_socket;
    if (endpoint == WebSocketEndpoint::Stomp) {
        // Its head read (all the socket holds, as a rule: then its buffer's block is handed
        // over, not kept), the frames the client sent right behind it left for the session.
        const qint64 head = m_peeked - m_parser.bufferedBytes();
        if (head > 0)
            socket->read(head);
    }
    const protocol::HttpRequest handshake = m_parser.request();
    detachSocket();
    // The owner's, from now on: this connection goes, the socket lives on under the WebSocket.
    socket->setParent(parent());
    m_socket = nullptr;
    emit webSocketRequested(socket, endpoint, handshake);
    deleteLater();
}

void HttpConnection::closeWhenIdle()
{
    m_closeWhenIdle = true;
    if (m_socket && !m_busy)
        m_socket->close(); // lingering, as above
}

} // namespace sb::node
