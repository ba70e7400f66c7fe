// StompSession: the session's lifecycle (the socket's bytes into WebSocket messages and
// those into STOMP frames, CONNECT, heart-beats, the close) and its tap events. The client's
// other frames are in StompSessionClientFrames.cpp, what the session writes in
// StompSessionOutput.cpp.

#include "node/StompSession.h"

#include "cluster/ReplayStore.h"
#include "node/MessageService.h"
#include "node/NodeMetrics.h"
#include "node/NodeReadiness.h"
#include "node/PublishAcknowledgements.h"
#include "node/SessionLease.h"
#include "node/SharedMessageFrame.h"
#include "node/StompConnectRequest.h"
#include "node/StompSendBody.h"
#include "node/StompServerFrames.h"
#include "node/StompTapEvents.h"
#include "node/TapHub.h"
#include "node/TokenService.h"
#include "node/WallClock.h"
#include "protocol/StompEncoder.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTcpSocket>
#include <QTimerEvent>
#include <QUuid>

#include <algorithm>

Q_LOGGING_CATEGORY(lcStomp, "sb.node.stomp")

namespace sb::node {

using protocol::StompFrame;

namespace {
// The whole session must authenticate within this, or it only holds a socket for nothing.
constexpr int kConnectTimeoutMs = 10000;
// QWebSocket took a message up to this much over the STOMP frame limit, so that a frame just
// over it still reaches the STOMP decoder, which names the limit (`frame larger than …`).
constexpr qint64 kWebSocketMessageSlack = 1024;
} // namespace

StompSession::StompSession(QTcpSocket *transport, const QByteArray &subprotocol, WriteBatch *batch,
    PeriodicTimers *periodicTimers, SubscriptionTable *subscriptions, PublishAcknowledgements *acks,
    const ChannelPolicy *policy, const StompSessionDeps &deps, QObject *parent)
    : QObject(parent)
    , m_acks(acks)
    , m_policy(policy)
    , m_deps(deps)
    , m_transport(transport)
    , m_writer(transport, batch, deps.metrics)
    , m_frames(qint64(deps.limits.maxFrameBytes) + kWebSocketMessageSlack)
    , m_sessionId(QUuid::createUuid().toString(QUuid::Id128).left(16))
    , m_startedAtMs(QDateTime::currentMSecsSinceEpoch())
    , m_subscriptions(this, subscriptions, policy, deps.metrics, deps.limits.maxSubscriptionsPerSession)
    , m_periodicTimers(periodicTimers)
    , m_heartBeats(
          periodicTimers, [this] { sendHeartBeat(); }, [this] { closeSilentPeer(); })
    , m_presence(deps.records.presence, deps.records.presenceEvents)
{
    protocol::StompLimits limits;
    limits.maxFrameBytes = deps.limits.maxFrameBytes;
    limits.maxHeaders = deps.limits.maxHeadersPerFrame;
    m_decoder.setLimits(limits);
    deps.metrics->connectionOpened(NodeMetrics::Transport::Stomp);

    connect(transport, &QIODevice::readyRead, this, &StompSession::onReadyRead);
    connect(transport, &QAbstractSocket::disconnected, this, &StompSession::onDisconnected);
    // What the client sent right behind its handshake is already in the socket: no readyRead
    // will come for it.
    if (transport->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &StompSession::onReadyRead, Qt::QueuedConnection);
    m_connectDeadline.start(kConnectTimeoutMs, this);
    if (m_deps.tap->wants()) {
        const QByteArray remote = m_transport ? m_transport->peerAddress().toString().toUtf8() + ':'
                + QByteArray::number(m_transport->peerPort())
                                              : QByteArray();
        m_deps.tap->publish(StompTapEvents::open(m_sessionId, remote, QString::fromLatin1(subprotocol)));
    }
}

StompSession::~StompSession()
{
    if (!m_finished) {
        if (m_closeWhy.isEmpty())
            m_closeWhy = QByteArrayLiteral("shutdown"); // the node went away under it
        onDisconnected();
    }
}

void StompSession::onReadyRead()
{
    if (!m_transport || m_state == State::Closing)
        return;
    // All of it at once: when that is one block of the socket's buffer, QIODevice hands the
    // block over instead of copying it, and the socket keeps no 16 KiB block between reads.
    const QByteArray bytes = m_transport->read(m_transport->bytesAvailable());
    if (bytes.isEmpty())
        return;
    m_heartBeats.received(); // any byte, a ping or a frame's part too, is a sign of life
    m_frames.feed(bytes);
    readFrames();
}

void StompSession::readFrames()
{
    using Status = protocol::WebSocketFrameDecoder::Status;
    while (m_state != State::Closing) {
        switch (m_frames.next()) {
        case Status::NeedMoreData:
            if (m_frames.partialFrameBytes() > 0)
                m_frameDeadline.start(m_deps.limits.webSocketFrameTimeoutMs, this); // again: bytes came
            else
                m_frameDeadline.stop();
            return;
        case Status::Message:
            onBytes(m_frames.takePayload()); // text is UTF-8 already: the decoder checked it
            break;
        case Status::Ping:
            m_writer.sendPong(m_frames.takePayload());
            break;
        case Status::Pong:
            m_frames.takePayload();
            break;
        case Status::Close:
            onPeerClose(m_frames.closeCode(), m_frames.closeReason());
            return;
        case Status::Error:
            if (m_frames.errorCode() == protocol::WebSocketFrameDecoder::kCloseTooBig)
                webSocketError(m_frames.errorCode(),
                    QStringLiteral("WebSocket message over the frame limit (%1 bytes)")
                        .arg(m_deps.limits.maxFrameBytes),
                    QByteArrayLiteral("frame_too_large"));
            else if (m_frames.errorCode() == protocol::WebSocketFrameDecoder::kCloseBadData)
                webSocketError(m_frames.errorCode(), QStringLiteral("WebSocket: ") + m_frames.errorString(),
                    QByteArrayLiteral("bad_utf8"));
            else
                webSocketError(m_frames.errorCode(),
                    QStringLiteral("WebSocket protocol error: ") + m_frames.errorString(),
                    QByteArrayLiteral("bad_frame"));
            return;
        }
    }
}

void StompSession::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_connectDeadline.timerId()) {
        m_connectDeadline.stop();
        if (m_state == State::AwaitingConnect || m_state == State::Authenticating)
            protocolError(QStringLiteral("no CONNECT frame within %1 s").arg(kConnectTimeoutMs / 1000),
                QByteArrayLiteral("connect_timeout"));
        return;
    }
    if (event->timerId() != m_frameDeadline.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    m_frameDeadline.stop();
    webSocketError(1001,
        QStringLiteral("a WebSocket frame left incomplete for %1 ms")
            .arg(m_deps.limits.webSocketFrameTimeoutMs),
        QByteArrayLiteral("frame_timeout"));
}

void StompSession::onPeerClose(quint16 code, const QByteArray &reason)
{
    // Echoed, as QWebSocket did: the peer's own code (1000 for a close frame without one).
    m_peerCloseCode = code == protocol::WebSocketFrameDecoder::kCloseNoStatus ? 1000 : int(code);
    m_state = State::Closing;
    m_heartBeats.stop();
    m_frameDeadline.stop();
    m_writer.sendClose(quint16(m_peerCloseCode), reason);
    if (m_transport)
        m_transport->close(); // lingering (LingeringSocket): the client's FIN ends it
}

void StompSession::webSocketError(quint16 code, const QString &message, const QByteArray &why)
{
    if (m_state == State::Closing)
        return;
    m_deps.metrics->dropped(why);
    sendFrame(errorFrame(message, nullptr));
    qCInfo(lcStomp) << "session" << m_sessionId << "error:" << message;
    close(code, message.left(100), why);
}

void StompSession::onBytes(const QByteArray &bytes)
{
    if (m_state == State::Closing)
        return;
    m_decoder.feed(bytes);
    while (m_state != State::Closing) {
        switch (m_decoder.next()) {
        case protocol::StompDecoder::Status::NeedMoreData:
            return;
        case protocol::StompDecoder::Status::HeartBeat:
            continue;
        case protocol::StompDecoder::Status::Error:
            protocolError(m_decoder.errorString(), QByteArrayLiteral("bad_frame"));
            return;
        case protocol::StompDecoder::Status::Frame:
            handleFrame(m_decoder.takeFrame());
            break;
        }
    }
}

void StompSession::handleFrame(StompFrame frame)
{
    m_deps.metrics->message(NodeMetrics::Transport::Stomp, NodeMetrics::Direction::In);
    tap(QByteArrayLiteral("in"), frame, frame.body().size());
    const QByteArray &command = frame.command();

    if (m_state == State::AwaitingConnect) {
        if (command == "CONNECT" || command == "STOMP")
            handleConnect(frame);
        else
            protocolError(QStringLiteral("expected CONNECT or STOMP, got %1").arg(QString::fromUtf8(command)),
                QByteArrayLiteral("bad_frame"), &frame);
        return;
    }
    if (m_state == State::Authenticating) {
        // Clients may pipeline SUBSCRIBE after CONNECT without waiting for CONNECTED; they
        // run, in order, once the token is verified (a few, then it is abuse).
        if (m_earlyFrames.size() >= kMaxEarlyFrames) {
            protocolError(QStringLiteral("more than %1 frames sent before CONNECTED").arg(kMaxEarlyFrames),
                QByteArrayLiteral("bad_frame"), &frame);
            return;
        }
        m_earlyFrames.append(std::move(frame));
        return;
    }
    dispatch(frame);
}

void StompSession::dispatch(const StompFrame &frame)
{
    const QByteArray &command = frame.command();
    if (command == "SUBSCRIBE")
        handleSubscribe(frame);
    else if (command == "UNSUBSCRIBE")
        handleUnsubscribe(frame);
    else if (command == "SEND")
        handleSend(frame);
    else if (command == "ACK" || command == "NACK")
        handleAck(frame);
    else if (command == "BEGIN" || command == "COMMIT" || command == "ABORT")
        handleTransaction(frame);
    else if (command == "DISCONNECT")
        handleDisconnect(frame);
    else
        protocolError(QStringLiteral("%1 is not allowed after CONNECT").arg(QString::fromUtf8(command)),
            QByteArrayLiteral("bad_frame"), &frame);
}

void StompSession::handleConnect(const StompFrame &frame)
{
    const StompConnectRequest request = StompConnectRequest::parse(frame);
    if (request.problem == StompConnectRequest::Problem::UnsupportedVersion) {
        sendFrame(StompServerFrames::unsupportedVersion(request.negotiation));
        m_deps.metrics->dropped(QByteArrayLiteral("bad_version"));
        m_closeMessage = QStringLiteral("unsupported STOMP version");
        close(1002, QStringLiteral("unsupported STOMP version"), QByteArrayLiteral("bad_version"));
        return;
    }
    m_version = request.negotiation.version;
    m_decoder.setVersion(m_version);
    if (request.problem == StompConnectRequest::Problem::BadHeartBeat)
        return protocolError(QStringLiteral("malformed heart-beat header (expected cx,cy)"),
            QByteArrayLiteral("bad_frame"), &frame);
    if (request.problem == StompConnectRequest::Problem::MissingToken) {
        m_deps.metrics->authFailure(QByteArrayLiteral("missing_token"));
        // Counted once, by its reason: refuse() is for authorisation and would add "forbidden".
        return protocolError(
            QStringLiteral("authentication required: send 'Authorization: Bearer <token>' in CONNECT"),
            QByteArrayLiteral("unauthenticated"), &frame);
    }

    m_state = State::Authenticating;
    const protocol::StompHeartBeat beat = request.heartBeat;
    m_deps.tokens->authenticate(request.token, TokenService::Kind::Access, this,
        [this, frame, beat](const TokenService::Outcome &outcome) {
            if (m_state != State::Authenticating)
                return;
            if (!outcome.ok && outcome.registryUnavailable) { // counted by TokenService, not as "revoked"
                retryLater(outcome.message, TokenService::kRegistryRetryAfterSeconds,
                    QByteArrayLiteral("registry_unavailable"), frame);
                return;
            }
            if (!outcome.ok) { // TokenService counted the reason
                protocolError(QStringLiteral("invalid token: ") + outcome.message,
                    QByteArrayLiteral("unauthenticated"), &frame);
                return;
            }
            if (m_deps.readiness->isDraining()) {
                protocolError(QStringLiteral("server shutting down"), QByteArrayLiteral("draining"), &frame);
                return;
            }
            m_user = outcome.user;
            m_state = State::Connected;
            m_connectDeadline.stop();
            const qint64 offer = m_deps.heartBeatMs;
            m_heartBeats.start(protocol::negotiateStompHeartBeat({ offer, offer }, beat));

            sendFrame(StompServerFrames::connected(m_version, { offer, offer }, m_sessionId, m_user.name));
            m_lease = std::make_unique<SessionLease>(m_deps.records.sessions, m_periodicTimers,
                m_deps.records.nodeId, m_sessionId, m_user.name, QByteArrayLiteral("stomp"),
                m_transport ? m_transport->peerAddress().toString() : QString());
            m_presence.open(m_user.name, this);
            for (const StompFrame &early : std::exchange(m_earlyFrames, {}))
                if (m_state == State::Connected)
                    dispatch(early);
        });
}

void StompSession::goAway()
{
    if (m_state == State::Closing)
        return;
    sendFrame(StompServerFrames::goingAway());
    close(1001, QStringLiteral("going away"), QByteArrayLiteral("draining"));
}

void StompSession::sendHeartBeat()
{
    if (m_writer.send(QByteArrayLiteral("\n"), WebSocketWriter::Kind::Text))
        m_heartBeats.sent();
}

void StompSession::closeSilentPeer()
{
    m_deps.metrics->heartBeatTimeout();
    qCInfo(lcStomp) << "session" << m_sessionId << "silent for 3 heart-beat intervals; closing";
    // Said before the close (a client only slow to send still reads it): the session
    // socket's close lingers, so the ERROR is not lost to a reset.
    sendFrame(
        errorFrame(QStringLiteral("heart-beat timeout: nothing received for %1 ms (3 intervals of %2 ms)")
                       .arg(m_heartBeats.silentForMs())
                       .arg(m_heartBeats.incomingMs()),
            nullptr));
    m_state = State::Closing;
    close(1000, QStringLiteral("heart-beat timeout"), QByteArrayLiteral("heartbeat_timeout"));
}

void StompSession::tap(
    const QByteArray &direction, const StompFrame &frame, qint64 bytes, const QString &messageId)
{
    if (!m_deps.tap->wants())
        return;
    m_deps.tap->publish(
        TapEvent::fromStompFrame(m_sessionId, m_user.name, direction, frame, bytes, messageId));
}

TapEvent StompSession::tapState() const
{
    const char *state = m_state == State::Connected ? "connected"
        : m_state == State::Closing                 ? "closing"
                                                    : "connecting";
    return StompTapEvents::state(
        m_sessionId, m_user.name, m_startedAtMs, QByteArray(state), m_subscriptions.all());
}

void StompSession::tapClose()
{
    if (!m_deps.tap->wants())
        return;
    QByteArray why = m_closeWhy;
    int code = m_closeCode;
    if (why.isEmpty()) { // the client closed, or Qt did on its behalf (see onDisconnected)
        // An int at once: a peer's code such as 4000 is no CloseCode enumerator, and holding it
        // in an enum variable is undefined behaviour (UBSan stops the node on it).
        code = m_peerCloseCode;
        why = StompTapEvents::peerCloseReason(code);
    }
    m_deps.tap->publish(StompTapEvents::close(m_sessionId, m_user.name, why, code, m_closeMessage));
}

void StompSession::close(int code, const QString &reason, const QByteArray &why)
{
    if (m_closeWhy.isEmpty()) { // the first cause wins: an ERROR's close, not what follows it
        m_closeWhy = why;
        m_closeCode = code;
    }
    m_state = State::Closing;
    m_heartBeats.stop();
    m_frameDeadline.stop();
    m_writer.sendClose(quint16(code), reason.toUtf8()); // after the frames held or queued (an ERROR)
    if (m_transport)
        m_transport->close(); // lingering (LingeringSocket): nothing sent is lost to a reset
}

void StompSession::onDisconnected()
{
    if (m_finished)
        return;
    m_finished = true;
    m_state = State::Closing;
    m_heartBeats.stop();
    m_frameDeadline.stop();
    m_connectDeadline.stop();
    m_subscriptions.clear();
    m_deps.metrics->connectionClosed(NodeMetrics::Transport::Stomp);
    m_lease.reset();
    tapClose();
    m_presence.close(parent()); // the worker outlives the session
    emit finished(this);
}

} // namespace sb::node
