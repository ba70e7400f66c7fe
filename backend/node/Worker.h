#pragma once

#include "node/ChannelPolicy.h"
#include "node/Envelope.h"
#include "node/SubscriptionTable.h"
#include "node/WebSocketEndpoint.h"
#include "node/WorkerDeps.h"

#include <QObject>
#include <QSet>

class QTcpSocket;
class QWebSocket;

namespace sb::protocol {
class HttpRequest;
}

namespace sb::node {

struct AuthenticatedUser;
class HttpConnection;
class PeriodicTimers;
class PublishAcknowledgements;
class SseStream;
class StompSession;
class TapReader;
class WriteBatch;

// One event-loop thread's share of the replica: the connections accepted onto it, and the
// table of its local subscribers, which its sessions and streams register in. Connections
// come in as HTTP and leave it through HttpConnection's signals: an SSE stream is made
// here; a WebSocket upgrade to /ws is answered here and its socket made a STOMP session,
// one to the tap completed by Qt (WebSocketUpgrade) and made a tap reader. Everything here
// is touched only from its own thread; other threads reach it with queued calls
// (adoptSocket, deliver, drain, closeSessionsOf, tapBaseline).
class Worker : public QObject
{
    Q_OBJECT
public:
    // deps: NodeServer's, which outlive every worker and whatever a worker made (the
    // connections a worker still holds when it is deleted go after its members).
    explicit Worker(const WorkerDeps *deps, QObject *parent = nullptr);
    ~Worker() override;

    void adoptSocket(qintptr descriptor);
    void deliver(const EnvelopePtr &envelope);
    void drain();
    // A role change: the user's sessions here end (STOMP ERROR, SSE final retry) and must
    // authenticate again, which their revoked tokens no longer can.
    void closeSessionsOf(const QString &user, const QString &reason);
    int connectionCount() const;
    // A tap reader attached (on any worker): STATE of each session here, to that reader only.
    void tapBaseline(TapReader *reader);

signals:
    // A tap reader attached here: every worker owes it a baseline (NodeServer fans it out,
    // each worker on its own thread). Emitted on this worker's thread.
    void tapReaderAttached(sb::node::TapReader *reader);

private:
    void startSse(QTcpSocket *socket, const AuthenticatedUser &user, const QString &lastEventId);
    void upgradeWebSocket(
        QTcpSocket *socket, WebSocketEndpoint endpoint, const protocol::HttpRequest &handshake);
    void startStompSession(QTcpSocket *socket, const protocol::HttpRequest &handshake);
    void openTapReader(QWebSocket *webSocket, QTcpSocket *transport);

    const WorkerDeps &m_deps;
    PublishAcknowledgements *m_publishAcks;
    WriteBatch *m_writeBatch; // the STOMP sessions' frames, written once per batch of events
    // Every connection's periodic ticks (heart-beats, lease refreshes, SSE keep-alive
    // comments) on one QTimer: Qt walks its timer list to re-arm each QTimer.
    PeriodicTimers *m_periodicTimers;
    ChannelPolicy m_policy;
    SubscriptionTable m_subscriptions;
    QSet<HttpConnection *> m_http;
    QSet<StompSession *> m_sessions;
    QSet<SseStream *> m_sseStreams;
    QSet<TapReader *> m_tapReaders;
};

} // namespace sb::node
