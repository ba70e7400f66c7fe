#include "node/Worker.h"

#include "node/Destination.h"
#include "node/HttpConnection.h"
#include "node/LingeringSocket.h"
#include "node/NodeServices.h"
#include "node/PublishAcknowledgements.h"
#include "node/Router.h"
#include "node/SseStream.h"
#include "node/TapReader.h"
#include "protocol/NodeApi.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketServer>

Q_LOGGING_CATEGORY(lcWorker, "sb.node.worker")

namespace sb::node {

Worker::Worker(NodeServices *services, QObject *parent)
    : QObject(parent)
    , m_services(services)
    , m_webSockets(new QWebSocketServer(QStringLiteral("switchboard"), QWebSocketServer::NonSecureMode, this))
    , m_publishAcks(new PublishAcknowledgements(this))
{
    m_webSockets->setSupportedSubprotocols({QString(protocol::nodeapi::StompSubprotocol), QStringLiteral("v11.stomp"),
                                            QStringLiteral("v10.stomp")});
    connect(m_webSockets, &QWebSocketServer::newConnection, this, &Worker::onWebSocket);
}

Worker::~Worker() = default;

int Worker::connectionCount() const
{
    return int(m_http.size() + m_sessions.size() + m_sseStreams.size() + m_tapReaders.size());
}

void Worker::adoptSocket(qintptr descriptor)
{
    const auto &limits = m_services->config.limits;
    auto *socket = new LingeringSocket(limits.closeLingerMs, this);
    if (!socket->setSocketDescriptor(descriptor)) {
        qCWarning(lcWorker) << "cannot adopt a socket:" << socket->errorString();
        delete socket;
        return;
    }
    connect(socket, &LingeringSocket::lingerExpired, this,
            [this] { m_services->metrics.dropped(QByteArrayLiteral("linger_timeout")); });
    if (m_services->metrics.totalConnections() >= limits.maxConnections) {
        m_services->metrics.dropped(QByteArrayLiteral("too_many_connections"));
        HttpConnection::refuse(socket, 503, QStringLiteral("too many connections (limit %1)").arg(limits.maxConnections));
        return;
    }
    const QHostAddress peer = socket->peerAddress();
    AddressConnectionLimit *perAddress = &m_services->connectionsPerAddress;
    if (!perAddress->tryAcquire(peer, limits.maxConnectionsPerAddress, limits.exemptLoopbackFromAddressLimit)) {
        m_services->metrics.dropped(QByteArrayLiteral("too_many_connections_per_address"));
        HttpConnection::refuse(socket, 429, QStringLiteral("too many connections from %1 (limit %2 per address)")
                                                .arg(peer.toString(), QString::number(limits.maxConnectionsPerAddress)));
        return;
    }
    // The socket outlives the HTTP connection when it becomes a WebSocket or an SSE stream:
    // its end is the connection's end.
    new AddressConnectionLimit::Place(perAddress, peer, socket);
    // While draining, a new connection is still read: probes must see "not ready", and
    // HttpApi refuses any new work on it with 503.
    auto *connection = new HttpConnection(socket, this, m_services);
    m_http.insert(connection);
    connect(connection, &QObject::destroyed, this, [this, connection] { m_http.remove(connection); });
}

void Worker::handOffWebSocket(QTcpSocket *socket, UpgradeKind kind)
{
    m_pendingUpgrades.insert(socket, kind);
    connect(socket, &QObject::destroyed, this, [this, socket] { m_pendingUpgrades.remove(socket); });
    m_webSockets->handleConnection(socket);
}

void Worker::onWebSocket()
{
    while (QWebSocket *webSocket = m_webSockets->nextPendingConnection()) {
        // QWebSocketServer keeps our QTcpSocket as the transport; find which upgrade it was.
        QTcpSocket *transport = nullptr;
        UpgradeKind kind = UpgradeKind::Stomp;
        for (auto it = m_pendingUpgrades.begin(); it != m_pendingUpgrades.end(); ++it) {
            if (it.key()->peerPort() == webSocket->peerPort() && it.key()->peerAddress() == webSocket->peerAddress()) {
                transport = it.key();
                kind = it.value();
                m_pendingUpgrades.erase(it);
                break;
            }
        }
        webSocket->setMaxAllowedIncomingMessageSize(quint64(m_services->config.limits.maxFrameBytes) + 1024);
        webSocket->setMaxAllowedIncomingFrameSize(quint64(m_services->config.limits.maxFrameBytes) + 1024);
        if (kind == UpgradeKind::Tap) {
            auto *reader = new TapReader(webSocket, m_services->config.limits.tapQueueFrames,
                                         m_services->config.limits.maxOutboundQueueBytes, &m_services->metrics, this);
            m_tapReaders.insert(reader);
            m_services->tap->addReader(reader);
            // Every worker sends its sessions' STATE to this reader, through its own event
            // loop (never a lock on another thread's sessions, never a wait). Live frames
            // may come in between: the reader is already attached, so nothing falls between.
            for (Worker *worker : m_services->router->workers())
                QMetaObject::invokeMethod(worker, [worker, reader] { worker->tapBaseline(reader); }, Qt::QueuedConnection);
            connect(reader, &TapReader::closed, this, [this](TapReader *r) {
                m_services->tap->removeReader(r);
                m_tapReaders.remove(r);
                r->deleteLater();
            });
            continue;
        }
        auto *session = new StompSession(webSocket, transport, this, m_services);
        m_sessions.insert(session);
        connect(session, &StompSession::finished, this, [this](StompSession *s) {
            m_sessions.remove(s);
            s->deleteLater();
        });
    }
}

void Worker::startSse(SseStream *stream)
{
    m_sseStreams.insert(stream->user().name, stream);
}

void Worker::sseClosed(SseStream *stream)
{
    m_sseStreams.remove(stream->user().name, stream);
}

void Worker::sessionOpened(StompSession *) {}

void Worker::sessionClosed(StompSession *session)
{
    for (auto it = m_subscribers.begin(); it != m_subscribers.end();) {
        it->removeIf([session](const Subscriber &s) { return s.session == session; });
        it = it->isEmpty() ? m_subscribers.erase(it) : std::next(it);
    }
    for (auto it = m_userQueues.begin(); it != m_userQueues.end();)
        it = it->session == session ? m_userQueues.erase(it) : std::next(it);
}

void Worker::addSubscription(StompSession *session, const StompSession::Subscription &subscription)
{
    if (subscription.destination == Destination::userNotifications())
        m_userQueues.insert(session->user().name, {session, subscription});
    else
        m_subscribers[subscription.destination].append({session, subscription});
}

void Worker::removeSubscription(StompSession *session, const StompSession::Subscription &subscription)
{
    if (subscription.destination == Destination::userNotifications()) {
        for (auto it = m_userQueues.begin(); it != m_userQueues.end();)
            it = (it->session == session && it->subscription.id == subscription.id) ? m_userQueues.erase(it) : std::next(it);
        return;
    }
    auto it = m_subscribers.find(subscription.destination);
    if (it == m_subscribers.end())
        return;
    it->removeIf([&](const Subscriber &s) { return s.session == session && s.subscription.id == subscription.id; });
    if (it->isEmpty())
        m_subscribers.erase(it);
}

void Worker::deliver(const EnvelopePtr &envelope)
{
    if (envelope->type == Envelope::Type::Message)
        deliverMessage(*envelope);
    else
        deliverPresence(*envelope);
}

void Worker::deliverMessage(const Envelope &envelope)
{
    const ChatMessage &message = envelope.message;
    const auto topic = m_subscribers.constFind(Destination::channelTopic(message.channel));
    if (topic != m_subscribers.cend() || !m_userQueues.isEmpty() || !m_sseStreams.isEmpty()) {
        const QByteArray body = message.toJsonBytes();
        if (topic != m_subscribers.cend()) {
            const QList<Subscriber> subscribers = *topic; // a delivery may close a session
            for (const Subscriber &s : subscribers)
                s.session->deliver(s.subscription, message.id, body, envelope.publishedAtUs);
        }
        if (m_userQueues.isEmpty() && m_sseStreams.isEmpty())
            return;
        const QByteArray notification = QJsonDocument(message.notificationJson()).toJson(QJsonDocument::Compact);
        for (const QString &recipient : envelope.recipients) {
            const QList<Subscriber> queues = m_userQueues.values(recipient);
            for (const Subscriber &s : queues)
                s.session->deliver(s.subscription, message.id, notification, envelope.publishedAtUs);
            const QList<SseStream *> streams = m_sseStreams.values(recipient);
            for (SseStream *stream : streams)
                stream->deliver({message.id, QByteArrayLiteral("notification"), notification}, envelope.publishedAtUs);
        }
    }
}

void Worker::deliverPresence(const Envelope &envelope)
{
    const auto it = m_subscribers.constFind(Destination::presence());
    if (it == m_subscribers.cend())
        return;
    const QByteArray body = envelope.presenceBody();
    const QString id = QStringLiteral("presence-") + QString::number(envelope.publishedAtUs);
    const QList<Subscriber> subscribers = *it;
    for (const Subscriber &s : subscribers)
        s.session->deliver(s.subscription, id, body, 0);
}

void Worker::drain()
{
    const auto sessions = m_sessions;
    for (StompSession *session : sessions)
        session->goAway();
    const auto streams = m_sseStreams.values();
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
    const auto streams = m_sseStreams.values(user);
    for (SseStream *stream : streams)
        stream->revoke();
}

void Worker::tapBaseline(TapReader *reader)
{
    // STATE for what already exists here, so a reader that attaches late still knows who
    // is subscribed to what. Each worker answers for its own sessions, on its own thread.
    for (StompSession *session : std::as_const(m_sessions))
        m_services->tap->publishTo(reader, session->tapState());
    for (SseStream *stream : std::as_const(m_sseStreams))
        m_services->tap->publishTo(reader, stream->tapState());
}

} // namespace sb::node
