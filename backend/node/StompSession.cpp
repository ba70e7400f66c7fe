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
#include <QUuid>
#include <QWebSocket>

#include <algorithm>

Q_LOGGING_CATEGORY(lcStomp, "sb.node.stomp")

namespace sb::node {

using protocol::StompFrame;

namespace {
// The whole session must authenticate within this, or it only holds a socket for nothing.
constexpr int kConnectTimeoutMs = 10000;
// Not among QWebSocketProtocol::CloseCode's enumerators, but within the enum's range of values.
constexpr int kCloseTryAgainLater = 1013;
} // namespace

StompSession::StompSession(QWebSocket *socket, QTcpSocket *transport, WriteBatch *batch,
    SubscriptionTable *subscriptions, PublishAcknowledgements *acks, const ChannelPolicy *policy,
    const StompSessionDeps &deps, QObject *parent)
    : QObject(parent)
    , m_acks(acks)
    , m_policy(policy)
    , m_deps(deps)
    , m_socket(socket)
    , m_transport(transport)
    , m_writer(socket, transport, batch, deps.metrics)
    , m_sessionId(QUuid::createUuid().toString(QUuid::Id128).left(16))
    , m_startedAtMs(QDateTime::currentMSecsSinceEpoch())
    , m_subscriptions(this, subscriptions, policy, deps.metrics, deps.limits.maxSubscriptionsPerSession)
    , m_presence(deps.records.presence, deps.records.presenceEvents)
{
    socket->setParent(this);
    protocol::StompLimits limits;
    limits.maxFrameBytes = deps.limits.maxFrameBytes;
    limits.maxHeaders = deps.limits.maxHeadersPerFrame;
    m_decoder.setLimits(limits);
    deps.metrics->connectionOpened(NodeMetrics::Transport::Stomp);

    connect(socket, &QWebSocket::textMessageReceived, this,
        [this](const QString &text) { onBytes(text.toUtf8()); });
    connect(socket, &QWebSocket::binaryMessageReceived, this, &StompSession::onBytes);
    connect(socket, &QWebSocket::disconnected, this, &StompSession::onDisconnected);
    connect(&m_heartBeats, &StompHeartBeats::beatDue, this, &StompSession::sendHeartBeat);
    connect(&m_heartBeats, &StompHeartBeats::peerSilent, this, &StompSession::closeSilentPeer);
    QTimer::singleShot(kConnectTimeoutMs, this, [this] {
        if (m_state == State::AwaitingConnect || m_state == State::Authenticating)
            protocolError(QStringLiteral("no CONNECT frame within %1 s").arg(kConnectTimeoutMs / 1000),
                QByteArrayLiteral("connect_timeout"));
    });
    if (m_deps.tap->wants()) {
        const QByteArray remote = m_transport ? m_transport->peerAddress().toString().toUtf8() + ':'
                + QByteArray::number(m_transport->peerPort())
                                              : QByteArray();
        m_deps.tap->publish(StompTapEvents::open(m_sessionId, remote, socket->subprotocol()));
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

void StompSession::onBytes(const QByteArray &bytes)
{
    if (m_state == State::Closing)
        return;
    m_heartBeats.received();
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
            const qint64 offer = m_deps.heartBeatMs;
            m_heartBeats.start(protocol::negotiateStompHeartBeat({ offer, offer }, beat));

            sendFrame(StompServerFrames::connected(m_version, { offer, offer }, m_sessionId, m_user.name));
            m_lease = std::make_unique<SessionLease>(m_deps.records.sessions, m_deps.records.nodeId,
                m_sessionId, m_user.name, QByteArrayLiteral("stomp"),
                m_transport ? m_transport->peerAddress().toString() : QString(), nullptr);
            m_presence.open(m_user.name, this);
            for (const StompFrame &early : std::exchange(m_earlyFrames, {}))
                if (m_state == State::Connected)
                    dispatch(early);
        });
}

void StompSession::handleSubscribe(const StompFrame &frame)
{
    std::optional<StompSessionSubscriptions::Recovery> recovery;
    if (const auto refusal = m_subscriptions.subscribe(m_user, frame, &recovery))
        return refuse(*refusal, frame);
    receipt(frame);
    if (recovery)
        m_deps.replay->readChannelAfter(recovery->channel, recovery->since, this,
            [this, id = recovery->subscriptionId](
                const cluster::ReplayResult &history) { recovered(id, history); });
}

void StompSession::recovered(const QByteArray &subscriptionId, const cluster::ReplayResult &history)
{
    QList<ReplaySeam::Item> items;
    const Subscription *subscription = m_subscriptions.recovered(subscriptionId, history, &items);
    if (!subscription || m_state != State::Connected)
        return;
    if (history.reset || !history.error.isEmpty())
        sendFrame(ReplaySeam::stompResetNotice(subscription->id, subscription->destination, history));
    for (const ReplaySeam::Item &item : items)
        sendMessage(*subscription,
            SharedMessageFrame(subscription->destination, item.event.id, item.event.data, item.replayed),
            item.publishedAtUs);
}

void StompSession::handleUnsubscribe(const StompFrame &frame)
{
    if (const auto refusal = m_subscriptions.unsubscribe(frame))
        return protocolError(refusal->message, refusal->dropReason, &frame);
    receipt(frame);
}

void StompSession::handleSend(const StompFrame &frame)
{
    if (const QByteArray transaction = frame.header("transaction"); !transaction.isEmpty()) {
        if (const auto refusal = m_transactions.hold(transaction, frame))
            return protocolError(refusal->message, refusal->dropReason, &frame);
        return receipt(frame);
    }
    QSet<quint64> publishes;
    if (applySend(frame, &publishes))
        receipt(frame, publishes);
}

bool StompSession::applySend(const StompFrame &frame, QSet<quint64> *publishes)
{
    const QString destinationText = QString::fromUtf8(frame.header("destination"));
    if (destinationText.isEmpty()) {
        protocolError(
            QStringLiteral("SEND needs a 'destination' header"), QByteArrayLiteral("bad_frame"), &frame);
        return false;
    }
    const ChannelPolicy::Verdict verdict = m_policy->send(m_user, destinationText);
    if (!verdict.allowed()) {
        refuse({ verdict.message,
                   verdict.outcome == ChannelPolicy::Verdict::Outcome::UnknownDestination
                       ? QByteArrayLiteral("bad_destination")
                       : QByteArrayLiteral("forbidden") },
            frame);
        return false;
    }
    const Destination &destination = verdict.destination;
    const StompSendBody body = StompSendBody::parse(frame.body());
    if (!body.ok()) {
        protocolError(body.error, QByteArrayLiteral("bad_body"), &frame, body.details);
        return false;
    }
    PublishAcknowledgements::Ticket ticket = m_acks->issue();
    const MessageService::Creation creation = m_deps.messages->create(
        m_user.name, destination.channel, body.text, std::move(ticket.acknowledgement));
    if (creation.admission != cluster::PublishAdmission::Accepted) { // counted by MessageService
        const bool full = creation.admission == cluster::PublishAdmission::QueueFull;
        retryLater(full ? MessageService::queueFullMessage() : MessageService::refusedMessage(),
            MessageService::kPublishRetryAfterSeconds,
            full ? QByteArrayLiteral("publish_queue_full") : QByteArrayLiteral("bus_refused"), frame, true);
        return false;
    }
    // The worker goes on; the verdict comes back queued, or never if this session is gone.
    m_acks->expect(
        ticket.id, this, [this, id = ticket.id](const QString &error) { publishSettled(id, error); });
    m_owedReceipts.published(ticket.id);
    publishes->insert(ticket.id);
    return true;
}

void StompSession::publishSettled(quint64 publish, const QString &error)
{
    if (error.isEmpty())
        return sendOwed(m_owedReceipts.durable(publish));
    // Stage 1 never got it: the client must not believe it was sent (counted by MessageService).
    StompFrame failedSend("SEND");
    if (const QByteArray receiptId = m_owedReceipts.failed(publish); !receiptId.isEmpty())
        failedSend.addHeader("receipt", receiptId);
    retryLater(MessageService::notStoredMessage(error), MessageService::kPublishRetryAfterSeconds,
        QByteArrayLiteral("publish_failed"), failedSend, true);
}

void StompSession::sendOwed(const QList<StompOwedReceipts::Owed> &due)
{
    for (const StompOwedReceipts::Owed &owed : due) {
        if (!owed.receiptId.isEmpty())
            sendFrame(StompServerFrames::receipt(owed.receiptId));
        if (owed.closes)
            return close(1000, QStringLiteral("client disconnected"), QByteArrayLiteral("client"));
    }
}

void StompSession::handleAck(const StompFrame &frame)
{
    // Topics here are pub/sub: nothing is redelivered, so ACK/NACK only need to be well formed.
    const bool ok
        = m_version == protocol::StompVersion::V1_2 ? frame.hasHeader("id") : frame.hasHeader("message-id");
    if (!ok) {
        protocolError(QStringLiteral("%1 needs the '%2' header")
                          .arg(QString::fromUtf8(frame.command()),
                              m_version == protocol::StompVersion::V1_2 ? QStringLiteral("id")
                                                                        : QStringLiteral("message-id")),
            QByteArrayLiteral("bad_frame"), &frame);
        return;
    }
    receipt(frame);
}

void StompSession::handleTransaction(const StompFrame &frame)
{
    const QByteArray name = frame.header("transaction");
    if (name.isEmpty()) {
        protocolError(
            QStringLiteral("%1 needs a 'transaction' header").arg(QString::fromUtf8(frame.command())),
            QByteArrayLiteral("bad_frame"), &frame);
        return;
    }
    if (frame.command() == "BEGIN") {
        if (const auto refusal = m_transactions.begin(name))
            return protocolError(refusal->message, refusal->dropReason, &frame);
        return receipt(frame);
    }
    StompTransactions::Refusal refusal;
    const auto frames = m_transactions.end(name, &refusal);
    if (!frames)
        return protocolError(refusal.message, refusal.dropReason, &frame);
    QSet<quint64> publishes;
    if (frame.command() == "COMMIT") {
        for (const StompFrame &send : *frames)
            if (!applySend(send, &publishes))
                return;
    }
    receipt(frame, publishes);
}

void StompSession::handleDisconnect(const StompFrame &frame)
{
    // Its RECEIPT says every earlier frame took effect: it waits for every publish.
    const StompOwedReceipts::Owed owed { frame.header("receipt"), true };
    if (m_owedReceipts.owe(owed, m_owedReceipts.unsettled()))
        sendOwed({ owed });
}

void StompSession::receipt(const StompFrame &frame, const QSet<quint64> &waitFor)
{
    const StompOwedReceipts::Owed owed { frame.header("receipt"), false };
    if (owed.receiptId.isEmpty() && waitFor.isEmpty())
        return;
    if (m_owedReceipts.owe(owed, waitFor))
        sendOwed({ owed });
}

void StompSession::refuse(const StompSessionSubscriptions::Refusal &refusal, const StompFrame &frame)
{
    if (refusal.dropReason == "forbidden")
        m_deps.metrics->authFailure(refusal.dropReason);
    protocolError(refusal.message, refusal.dropReason, &frame);
}

StompFrame StompSession::errorFrame(const QString &message, const StompFrame *frame, const QString &details)
{
    StompFrame error = StompServerFrames::error(message, frame, details);
    m_closeMessage = QString::fromUtf8(error.header("message"));
    return error;
}

void StompSession::protocolError(
    const QString &message, const QByteArray &dropReason, const StompFrame *frame, const QString &details)
{
    if (m_state == State::Closing)
        return;
    m_deps.metrics->dropped(dropReason);
    sendFrame(errorFrame(message, frame, details));
    qCInfo(lcStomp) << "session" << m_sessionId << "error:" << message;
    // The tap says "auth" for every failed authentication, whatever the metric's detail.
    close(1002, QStringLiteral("STOMP error"),
        dropReason == "unauthenticated" ? QByteArrayLiteral("auth") : dropReason);
}

void StompSession::dropSlowConsumer(const QString &message, const QByteArray &limit)
{
    if (m_state == State::Closing)
        return;
    m_deps.metrics->slowConsumer(limit);
    m_writer.dropUnsent(); // so the ERROR follows what the socket holds, not the whole backlog
    protocolError(message, QByteArrayLiteral("slow_consumer"));
}

void StompSession::retryLater(const QString &message, int retryAfterSeconds, const QByteArray &dropReason,
    const StompFrame &frame, bool counted)
{
    if (m_state == State::Closing)
        return;
    if (!counted)
        m_deps.metrics->dropped(dropReason);
    StompFrame error = errorFrame(message, &frame);
    error.addHeader("retry-after", QByteArray::number(retryAfterSeconds)); // seconds, as HTTP's Retry-After
    sendFrame(error);
    qCInfo(lcStomp) << "session" << m_sessionId << "refused for now:" << message;
    // 1013 Try Again Later (IANA WebSocket close code registry): the server, not the client, is at fault.
    close(kCloseTryAgainLater, QStringLiteral("try again later"), dropReason);
}

bool StompSession::sendFrame(const StompFrame &frame, const QString &messageId)
{
    const QByteArray bytes = protocol::StompEncoder::encode(frame, m_version);
    if (!sendEncoded(bytes, frame.body().contains('\0'), frame.command() == "ERROR"))
        return false;
    tap(QByteArrayLiteral("out"), frame, bytes.size(), messageId);
    return true;
}

bool StompSession::sendEncoded(const QByteArray &bytes, bool hasNul, bool isError)
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return false;
    qint64 queued = m_writer.queued();
    if (queued + bytes.size() > m_deps.limits.maxOutboundQueueBytes && m_transport) {
        m_writer.flush(); // what the kernel takes is no backlog
        m_transport->flush();
        m_writer.recountQueued();
        queued = m_writer.queued();
    }
    if (queued + bytes.size() > m_deps.limits.maxOutboundQueueBytes && !isError) {
        dropSlowConsumer(QStringLiteral("slow consumer: more than %1 bytes queued")
                             .arg(m_deps.limits.maxOutboundQueueBytes),
            QByteArrayLiteral("outbound_bytes"));
        return false;
    }
    const int maxAgeMs = m_deps.limits.maxOutboundAgeMs;
    if (maxAgeMs > 0 && !isError && m_writer.backlogOlderThan(maxAgeMs)) {
        dropSlowConsumer(QStringLiteral("slow consumer: a frame waited more than %1 ms unsent").arg(maxAgeMs),
            QByteArrayLiteral("outbound_age"));
        return false;
    }
    // Text messages when the bytes are UTF-8 (every frame we make is), which all clients read.
    m_writer.send(bytes, hasNul ? WebSocketWriter::Kind::Binary : WebSocketWriter::Kind::Text);
    m_heartBeats.sent();
    m_deps.metrics->message(NodeMetrics::Transport::Stomp, NodeMetrics::Direction::Out);
    return true;
}

void StompSession::deliver(
    const Subscription &subscription, const SharedMessageFrame &message, qint64 publishedAtUs)
{
    if (m_state != State::Connected)
        return;
    const ReplaySeam::Live verdict
        = m_subscriptions.offer(subscription, message.messageId(), message.body(), publishedAtUs);
    if (verdict == ReplaySeam::Live::Overflow)
        return dropSlowConsumer(
            QStringLiteral("subscription %1 fell too far behind while its history was read")
                .arg(QString::fromUtf8(subscription.id)),
            QByteArrayLiteral("replay_held"));
    if (verdict != ReplaySeam::Live::Deliver)
        return; // held until the history is in, or a late copy of a replayed message
    sendMessage(subscription, message, publishedAtUs);
}

void StompSession::sendMessage(
    const Subscription &subscription, const SharedMessageFrame &message, qint64 publishedAtUs)
{
    // Only the subscription's own headers are encoded here; the rest is the frame's, shared.
    const QByteArray bytes = message.encode(subscription, m_version);
    if (!sendEncoded(bytes, message.bodyHasNul(), false))
        return;
    if (m_deps.tap->wants())
        tap(QByteArrayLiteral("out"),
            StompServerFrames::message(
                subscription, message.messageId(), message.body(), message.isReplayed()),
            bytes.size(), message.messageId());
    if (publishedAtUs > 0)
        m_deps.metrics->observeDeliveryLatency(double(wallClockMicros() - publishedAtUs) / 1e6);
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
        code = m_socket ? int(m_socket->closeCode()) : int(QWebSocketProtocol::CloseCodeNormal);
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
    m_writer.flushAll(); // the frames held or queued (an ERROR) go before QWebSocket's close
    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->close(QWebSocketProtocol::CloseCode(code), reason);
}

void StompSession::onDisconnected()
{
    if (m_finished)
        return;
    m_finished = true;
    // A WebSocket message over the frame limit never reaches the STOMP decoder: Qt closes
    // with 1009 before buffering it, so no ERROR frame can precede the close. Count it
    // here, or the limit would be hit without a trace.
    if (m_socket && m_socket->closeCode() == QWebSocketProtocol::CloseCodeTooMuchData
        && m_state != State::Closing) {
        m_deps.metrics->dropped(QByteArrayLiteral("frame_too_large"));
        qCInfo(lcStomp) << "session" << m_sessionId << "sent a WebSocket message over"
                        << m_deps.limits.maxFrameBytes << "bytes; closed with 1009";
    }
    if (m_socket && m_socket->closeCode() == QWebSocketProtocol::CloseCodeWrongDatatype
        && m_state != State::Closing)
        m_deps.metrics->dropped(
            QByteArrayLiteral("bad_utf8")); // a text message that was not UTF-8: Qt closed 1007
    m_state = State::Closing;
    m_heartBeats.stop();
    m_subscriptions.clear();
    m_deps.metrics->connectionClosed(NodeMetrics::Transport::Stomp);
    m_lease.reset();
    tapClose();
    m_presence.close(parent()); // the worker outlives the session
    emit finished(this);
}

} // namespace sb::node
