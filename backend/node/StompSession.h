#pragma once

#include "node/AuthenticatedUser.h"
#include "node/ChannelPolicy.h"
#include "node/ConnectionPresence.h"
#include "node/Envelope.h"
#include "node/ReplaySeam.h"
#include "node/StompHeartBeats.h"
#include "node/StompOwedReceipts.h"
#include "node/StompSessionDeps.h"
#include "node/StompSessionSubscriptions.h"
#include "node/StompSubscriber.h"
#include "node/StompTransactions.h"
#include "node/TapEvent.h"
#include "node/WebSocketWriter.h"
#include "protocol/StompDecoder.h"
#include "protocol/StompFrame.h"
#include "protocol/WebSocketFrameDecoder.h"

#include <QBasicTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

class QTcpSocket;

namespace sb::node {

class PublishAcknowledgements;
class SessionLease;
class SharedMessageFrame;
class WriteBatch;

// One STOMP 1.0–1.2 session over a WebSocket: CONNECT with a bearer token, heart-beats,
// authorised SUBSCRIBE and SEND, receipts, transactions, and delivery of MESSAGE frames
// from the worker's SubscriptionTable, where its subscriptions are registered. Errors end
// in an ERROR frame, then the close.
// The WebSocket is the session's own: once the worker has answered the handshake, the
// session reads its TCP socket through a protocol::WebSocketFrameDecoder and answers what
// QWebSocket used to (a ping with a pong, the peer's close by echoing its code, a frame
// left incomplete for --limit-ws-frame-timeout-ms (5 s) with 1001, a protocol error with
// 1002, 1007 or 1009), with an ERROR before each close it starts. A QWebSocket and its data
// processor per session cost ~3 KiB and ~20 connections (docs/benchmarks.md, "Idle
// connections: where the bytes go").
class StompSession : public QObject, public StompSubscriber
{
    Q_OBJECT
public:
    using Subscription = StompSubscription;

    // batch, periodicTimers, subscriptions, acks, policy: the worker's, which outlive the
    // session (as does `parent`, the worker: the context of the session's last presence
    // answer); deps: what it uses of the replica.
    // transport: the upgraded TCP socket, its handshake answered; subprotocol: the one the
    // answer chose (the tap's OPEN says it).
    StompSession(QTcpSocket *transport, const QByteArray &subprotocol, WriteBatch *batch,
        PeriodicTimers *periodicTimers, SubscriptionTable *subscriptions, PublishAcknowledgements *acks,
        const ChannelPolicy *policy, const StompSessionDeps &deps, QObject *parent);
    ~StompSession() override;

    QString sessionId() const { return m_sessionId; }
    const AuthenticatedUser &user() const { return m_user; }
    bool isConnected() const { return m_state == State::Connected; }

    void deliver(
        const Subscription &subscription, const SharedMessageFrame &message, qint64 publishedAtUs) override;
    // Drain: ERROR "server shutting down", then close 1001 so the client reconnects elsewhere.
    void goAway();
    // The user's credentials were revoked (a role change): ERROR with the reason, close.
    void revoke(const QString &reason) { protocolError(reason, QByteArrayLiteral("revoked")); }
    // The tap's STATE frame for this session: its subscriptions, since when it exists.
    TapEvent tapState() const;

signals:
    void finished(sb::node::StompSession *session);

protected:
    void timerEvent(QTimerEvent *event) override; // the CONNECT's deadline, a frame's

private:
    enum class State { AwaitingConnect, Authenticating, Connected, Closing };

    void onReadyRead();
    void readFrames(); // what the WebSocket decoder has: messages, control frames, its error
    void onPeerClose(quint16 code, const QByteArray &reason);
    // A WebSocket the client broke (the decoder's error), or a frame it left incomplete:
    // counted as `why`, ERROR `message`, close `code`.
    void webSocketError(quint16 code, const QString &message, const QByteArray &why);
    void onBytes(const QByteArray &bytes); // one WebSocket message: STOMP frames
    void handleFrame(protocol::StompFrame frame);
    void dispatch(const protocol::StompFrame &frame); // a frame of a connected session
    void handleConnect(const protocol::StompFrame &frame);
    void handleSubscribe(const protocol::StompFrame &frame);
    void handleUnsubscribe(const protocol::StompFrame &frame);
    void handleSend(const protocol::StompFrame &frame);
    void handleAck(const protocol::StompFrame &frame);
    void handleTransaction(const protocol::StompFrame &frame);
    void handleDisconnect(const protocol::StompFrame &frame);
    // Checks and publishes one SEND; false after an ERROR. An accepted publish's id is
    // added to *publishes: its verdict decides the frame's RECEIPT (see StompOwedReceipts).
    bool applySend(const protocol::StompFrame &frame, QSet<quint64> *publishes);
    void publishSettled(quint64 publish, const QString &error);
    // The frame's RECEIPT once `waitFor` is durable and every earlier receipt went out.
    void receipt(const protocol::StompFrame &frame, const QSet<quint64> &waitFor = {});
    void sendOwed(const QList<StompOwedReceipts::Owed> &due);
    void recovered(const QByteArray &subscriptionId, const cluster::ReplayResult &history);
    void sendMessage(
        const Subscription &subscription, const SharedMessageFrame &message, qint64 publishedAtUs);
    // The ERROR frame for `message` (receipt-id of `frame` when it asked for one); remembers the
    // message for the tap's CLOSE frame.
    protocol::StompFrame errorFrame(
        const QString &message, const protocol::StompFrame *frame, const QString &details = {});
    void protocolError(const QString &message, const QByteArray &dropReason,
        const protocol::StompFrame *frame = nullptr, const QString &details = {});
    // protocolError for a slow consumer, counted by the limit that dropped it (NodeMetrics).
    void dropSlowConsumer(const QString &message, const QByteArray &limit);
    // Not the client's fault (a dependency is down): ERROR with a retry-after header, close 1013.
    // `counted`: whoever refused already counted dropReason (the publish paths).
    void retryLater(const QString &message, int retryAfterSeconds, const QByteArray &dropReason,
        const protocol::StompFrame &frame, bool counted = false);
    // A SUBSCRIBE or SEND refused: ERROR with its words, counted by its reason (forbidden,
    // an authorisation failure, is counted as one too).
    void refuse(const StompSessionSubscriptions::Refusal &refusal, const protocol::StompFrame &frame);
    bool sendFrame(const protocol::StompFrame &frame, const QString &messageId = {});
    // An encoded frame to the client, unless the outbound queue is over its limit: then the
    // session ends as a slow consumer (an ERROR frame always goes). False if nothing was sent.
    bool sendEncoded(const QByteArray &bytes, WebSocketWriter::Kind kind, bool isError);
    void sendHeartBeat();
    void closeSilentPeer(); // nothing came for 3 heart-beat intervals
    void tap(const QByteArray &direction, const protocol::StompFrame &frame, qint64 bytes,
        const QString &messageId = {});
    void tapClose();
    // why: the machine word the tap's CLOSE frame carries (client, heartbeat_timeout, ...).
    void close(int code, const QString &reason, const QByteArray &why);
    void onDisconnected();

    PublishAcknowledgements *m_acks;
    const ChannelPolicy *m_policy;
    const StompSessionDeps &m_deps; // the worker's, which outlives the session
    QPointer<QTcpSocket> m_transport;
    WebSocketWriter m_writer;
    protocol::WebSocketFrameDecoder m_frames;
    // Started while a frame is incomplete, again with each read (webSocketFrameTimeoutMs). It
    // and the CONNECT's deadline are timer ids, not a QTimer object (and its connection) per
    // session.
    QBasicTimer m_frameDeadline;
    QBasicTimer m_connectDeadline;
    protocol::StompDecoder m_decoder;
    protocol::StompVersion m_version = protocol::StompVersion::V1_2;
    State m_state = State::AwaitingConnect;
    QString m_sessionId;
    qint64 m_startedAtMs; // the WebSocket was accepted
    QByteArray m_closeWhy; // set when the node ends the session; empty: the client did
    int m_closeCode = 0; // the WebSocket close code the node sent
    int m_peerCloseCode = 1000; // the client's close code, as echoed (1000: none, or no close frame)
    QString m_closeMessage; // the ERROR message that preceded the close, if any
    AuthenticatedUser m_user;
    std::unique_ptr<SessionLease> m_lease; // while authenticated
    StompSessionSubscriptions m_subscriptions;
    static constexpr int kMaxEarlyFrames = 32;
    QList<protocol::StompFrame> m_earlyFrames; // sent between CONNECT and CONNECTED
    StompTransactions m_transactions;
    StompOwedReceipts m_owedReceipts;
    PeriodicTimers *m_periodicTimers; // heart-beat ticks and the lease's refresh
    StompHeartBeats m_heartBeats;
    ConnectionPresence m_presence; // counted once authenticated (STOMP) or opened (SSE)
    bool m_finished = false;
};

} // namespace sb::node
