#include "node/Worker.h"

#include "node/AddressConnectionLimit.h"
#include "node/HttpConnection.h"
#include "node/LingeringSocket.h"
#include "node/NodeMetrics.h"
#include "node/PeriodicTimers.h"
#include "node/PublishAcknowledgements.h"
#include "node/SocketSendBuffer.h"
#include "node/SseStream.h"
#include "node/StompSession.h"
#include "node/TapHub.h"
#include "node/TapReader.h"
#include "node/WebSocketUpgrade.h"
#include "node/WriteBatch.h"
#include "protocol/HttpRequest.h"
#include "protocol/NodeApi.h"
#include "protocol/WebSocketHandshake.h"

#include <QLoggingCategory>
#include <QTcpSocket>
#include <QWebSocket>

#include <utility>

Q_LOGGING_CATEGORY(lcWorker, "sb.node.worker")

namespace sb::node {

Worker::Worker(const WorkerDeps *deps, QObject *parent)
    : QObject(parent)
    , m_deps(*deps)
    , m_publishAcks(new PublishAcknowledgements(this))
    , m_writeBatch(new WriteBatch(this))
    , m_periodicTimers(new PeriodicTimers(this))
    , m_policy(m_deps.users)
{ }

Worker::~Worker()
{
    // Sessions and streams reach back into m_subscriptions (and count themselves closed)
    // as they end: they go first, while it exists. QObject would delete them, its
    // children, only after every member of this class is gone.
    // Their finished() signals go unheard: nothing is left to do for them here.
    const QSet<StompSession *> sessions = std::exchange(m_sessions, {});
    for (StompSession *session : sessions) {
        session->disconnect(this);
        delete session;
    }
    const QSet<SseStream *> streams = std::exchange(m_sseStreams, {});
    for (SseStream *stream : streams) {
        stream->disconnect(this);
        delete stream;
    }
}

int Worker::connectionCount() const
{
    return int(m_http.size() + m_sessions.size() + m_sseStreams.size() + m_tapReaders.size());
}

void Worker::adoptSocket(qintptr descriptor)
{
    const NodeLimits &limits = m_deps.limits;
    // Before the node writes its first byte: the kernel's share of a stalled client's backlog
    // stays small, and the node's outbound limits see the rest.
    QString sendBufferError;
    if (limits.socketSendBufferBytes > 0
        && !SocketSendBuffer::bound(descriptor, limits.socketSendBufferBytes, &sendBufferError))
        qCWarning(lcWorker) << "--limit-socket-send-buffer-bytes:" << sendBufferError;
    auto *socket = new LingeringSocket(limits.closeLingerMs, this);
    if (!socket->setSocketDescriptor(descriptor)) {
        qCWarning(lcWorker) << "cannot adopt a socket:" << socket->errorString();
        delete socket;
        return;
    }
    // Nagle off unless asked for: a message goes out when it is written, not when the client's
    // ACK of the one before it comes back. With a client that delays its ACKs (~40 ms on Linux
    // once it has sent something itself, up to 200 ms on Windows) Nagle held every message
    // that followed another within that delay (docs/benchmarks.md, "The generator's ACKs, and
    // Nagle on the node's connections"); the worker's WriteBatch already gathers what it
    // writes into one send per connection and pass.
    if (!m_deps.tcpNagle)
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(socket, &LingeringSocket::lingerExpired, this,
        [this] { m_deps.metrics->dropped(QByteArrayLiteral("linger_timeout")); });
    if (m_deps.metrics->totalConnections() >= limits.maxConnections) {
        m_deps.metrics->dropped(QByteArrayLiteral("too_many_connections"));
        HttpConnection::refuse(
            socket, 503, QStringLiteral("too many connections (limit %1)").arg(limits.maxConnections));
        return;
    }
    const QHostAddress peer = socket->peerAddress();
    AddressConnectionLimit *perAddress = m_deps.connectionsPerAddress;
    if (!perAddress->tryAcquire(
            peer, limits.maxConnectionsPerAddress, limits.exemptLoopbackFromAddressLimit)) {
        m_deps.metrics->dropped(QByteArrayLiteral("too_many_connections_per_address"));
        HttpConnection::refuse(socket, 429,
            QStringLiteral("too many connections from %1 (limit %2 per address)")
                .arg(peer.toString(), QString::number(limits.maxConnectionsPerAddress)));
        return;
    }
    // The socket outlives the HTTP connection when it becomes a WebSocket or an SSE stream:
    // its end is the connection's end.
    new AddressConnectionLimit::Place(perAddress, peer, socket);
    // While draining, a new connection is still read: probes must see "not ready", and
    // HttpApi refuses any new work on it with 503.
    auto *connection = new HttpConnection(socket, limits, &m_deps.http, m_publishAcks, &m_policy, this);
    m_http.insert(connection);
    connect(connection, &QObject::destroyed, this, [this, connection] { m_http.remove(connection); });
    connect(connection, &HttpConnection::sseRequested, this, &Worker::startSse);
    connect(connection, &HttpConnection::webSocketRequested, this, &Worker::upgradeWebSocket);
}

void Worker::startSse(QTcpSocket *socket, const AuthenticatedUser &user, const QString &lastEventId)
{
    const bool http10 = false;
    auto *stream = new SseStream(socket, user, lastEventId, http10, m_writeBatch, m_periodicTimers,
        &m_subscriptions, &m_policy, m_deps.sse, this);
    m_sseStreams.insert(stream);
    connect(stream, &SseStream::finished, this, [this](SseStream *s) { m_sseStreams.remove(s); });
    stream->start();
}

void Worker::upgradeWebSocket(
    QTcpSocket *socket, WebSocketEndpoint endpoint, const protocol::HttpRequest &handshake)
{
    if (endpoint == WebSocketEndpoint::Stomp) {
        startStompSession(socket, handshake);
        return;
    }
    // The tap (one per admin, not the thousands of sessions) stays on QWebSocket, offered
    // the same subprotocols as before.
    const QStringList subprotocols { QString(protocol::nodeapi::StompSubprotocol),
        QStringLiteral("v11.stomp"), QStringLiteral("v10.stomp") };
    auto *upgrade = new WebSocketUpgrade(socket, endpoint, subprotocols, this);
    connect(upgrade, &WebSocketUpgrade::opened, this,
        [this](QWebSocket *webSocket, QTcpSocket *transport, WebSocketEndpoint) {
            openTapReader(webSocket, transport);
        });
}

void Worker::startStompSession(QTcpSocket *socket, const protocol::HttpRequest &handshake)
{
    // Answered here, as QWebSocketServer answered it (protocol::WebSocketHandshake): a
    // QWebSocket per session cost ~3 KiB and ~20 connections (docs/benchmarks.md, "Idle
    // connections: where the bytes go").
    static const QList<QByteArray> subprotocols { QByteArray(protocol::nodeapi::StompSubprotocol.data(),
                                                      protocol::nodeapi::StompSubprotocol.size()),
        QByteArrayLiteral("v11.stomp"), QByteArrayLiteral("v10.stomp") };
    const protocol::WebSocketHandshake answer
        = protocol::WebSocketHandshake::accept(handshake, subprotocols, "switchboard");
    socket->write(answer.response());
    // The socket ends the connection: its session finishes (and is deleted) on disconnected().
    connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    auto *session = new StompSession(socket, answer.subprotocol(), m_writeBatch, m_periodicTimers,
        &m_subscriptions, m_publishAcks, &m_policy, m_deps.stomp, this);
    m_sessions.insert(session);
    connect(session, &StompSession::finished, this, [this](StompSession *s) {
        m_sessions.remove(s);
        s->deleteLater();
    });
}

void Worker::openTapReader(QWebSocket *webSocket, QTcpSocket *transport)
{
    const NodeLimits &limits = m_deps.limits;
    webSocket->setMaxAllowedIncomingMessageSize(quint64(limits.maxFrameBytes) + 1024);
    webSocket->setMaxAllowedIncomingFrameSize(quint64(limits.maxFrameBytes) + 1024);
    auto *reader = new TapReader(
        webSocket, limits.tapQueueFrames, limits.maxOutboundQueueBytes, m_deps.metrics, this, transport);
    m_tapReaders.insert(reader);
    m_deps.tap->addReader(reader);
    // Every worker sends its sessions' STATE to this reader, through its own event
    // loop (never a lock on another thread's sessions, never a wait). Live frames
    // may come in between: the reader is already attached, so nothing falls between.
    emit tapReaderAttached(reader);
    connect(reader, &TapReader::closed, this, [this](TapReader *r) {
        m_deps.tap->removeReader(r);
        m_tapReaders.remove(r);
        r->deleteLater();
    });
}

void Worker::deliver(const EnvelopePtr &envelope)
{
    m_subscriptions.deliver(*envelope);
}

void Worker::drain()
{
    const auto sessions = m_sessions;
    for (StompSession *session : sessions)
        session->goAway();
    const auto streams = m_sseStreams;
    for (SseStream *stream : streams)
        stream->goAway();
    const auto connections = m_http;
    for (HttpConnection *connection : connections)
        connection->closeWhenIdle();
}

void Worker::closeSessionsOf(const QString &user, const QString &reason)
{
    const auto sessions = m_sessions;
    for (StompSession *session : sessions)
        if (session->user().name == user)
            session->revoke(reason);
    const auto streams = m_sseStreams;
    for (SseStream *stream : streams)
        if (stream->user().name == user)
            stream->revoke();
}

void Worker::tapBaseline(TapReader *reader)
{
    // STATE for what already exists here, so a reader that attaches late still knows who
    // is subscribed to what. Each worker answers for its own sessions, on its own thread.
    for (StompSession *session : std::as_const(m_sessions))
        m_deps.tap->publishTo(reader, session->tapState());
    for (SseStream *stream : std::as_const(m_sseStreams))
        m_deps.tap->publishTo(reader, stream->tapState());
}

} // namespace sb::node
