#pragma once

#include "node/Envelope.h"
#include "node/StompSession.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>

class QTcpSocket;
class QWebSocket;
class QWebSocketServer;

namespace sb::node {

struct NodeServices;
class HttpConnection;
class PublishAcknowledgements;
class SseStream;
class TapReader;

// One event-loop thread's share of the replica: the connections accepted onto it and the
// table of its local subscribers. Everything here is touched only from its own thread;
// other threads reach it with queued calls (adoptSocket, deliver, drain).
class Worker : public QObject
{
    Q_OBJECT
public:
    explicit Worker(NodeServices *services, QObject *parent = nullptr);
    ~Worker() override;

    void adoptSocket(qintptr descriptor);
    void deliver(const EnvelopePtr &envelope);
    void drain();
    // A role change: the user's sessions here end (STOMP ERROR, SSE final retry) and must
    // authenticate again, which their revoked tokens no longer can.
    void closeSessionsOf(const QString &user, const QString &reason);
    int connectionCount() const;
    // Where this worker's sessions and HTTP requests wait for their publishes' verdicts.
    PublishAcknowledgements *publishAcknowledgements() const { return m_publishAcks; }

    // WebSocket hand-off from an HttpConnection whose upgrade request is still unread.
    enum class UpgradeKind { Stomp, Tap };
    void handOffWebSocket(QTcpSocket *socket, UpgradeKind kind);
    void startSse(SseStream *stream);

    void sessionOpened(StompSession *session);
    void sessionClosed(StompSession *session);
    void addSubscription(StompSession *session, const StompSession::Subscription &subscription);
    void removeSubscription(StompSession *session, const StompSession::Subscription &subscription);
    void sseClosed(SseStream *stream);
    // A tap reader attached: STATE of each session here, to that reader only.
    void tapBaseline(TapReader *reader);

private:
    struct Subscriber
    {
        StompSession *session;
        StompSession::Subscription subscription;
    };

    void onWebSocket();
    void deliverMessage(const Envelope &envelope);
    void deliverPresence(const Envelope &envelope);

    NodeServices *m_services;
    QWebSocketServer *m_webSockets;
    PublishAcknowledgements *m_publishAcks;
    QHash<QTcpSocket *, UpgradeKind> m_pendingUpgrades;
    QHash<QTcpSocket *, QWebSocket *> m_transports;
    QSet<HttpConnection *> m_http;
    QSet<StompSession *> m_sessions;
    QSet<TapReader *> m_tapReaders;
    QHash<QString, QList<Subscriber>> m_subscribers; // destination -> subscribers here
    QMultiHash<QString, Subscriber> m_userQueues;   // user -> their /user/queue/notifications subscriptions
    QMultiHash<QString, SseStream *> m_sseStreams;  // user -> SSE streams here
};

} // namespace sb::node
