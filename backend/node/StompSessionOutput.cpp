// StompSession: what the session writes to its client: frames through the outbound limits
// (bytes and age: a slow consumer is dropped), MESSAGEs for its subscriptions, ERRORs and
// the retry-later refusals. Its lifecycle is in StompSession.cpp.

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

#include <QLoggingCategory>
#include <QTcpSocket>

#include <algorithm>

Q_DECLARE_LOGGING_CATEGORY(lcStomp) // StompSession.cpp

namespace sb::node {

using protocol::StompFrame;

namespace {
// 1013 Try Again Later (IANA WebSocket close code registry).
constexpr int kCloseTryAgainLater = 1013;
} // namespace

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
    // Text messages when the bytes are UTF-8 (every frame we make is), which all clients read.
    const auto kind
        = frame.body().contains('\0') ? WebSocketWriter::Kind::Binary : WebSocketWriter::Kind::Text;
    if (!sendEncoded(bytes, kind, frame.command() == "ERROR"))
        return false;
    tap(QByteArrayLiteral("out"), frame, bytes.size(), messageId);
    return true;
}

bool StompSession::sendEncoded(const QByteArray &bytes, WebSocketWriter::Kind kind, bool isError)
{
    // The one check of the socket per frame (the writer's sendOpen, below, does not repeat it).
    if (!m_writer.isOpen())
        return false;
    qint64 queued = m_writer.queued();
    bool flushed = false;
    if (queued + bytes.size() > m_deps.limits.maxOutboundQueueBytes && m_transport) {
        m_writer.flush(); // what the kernel takes is no backlog
        m_transport->flush();
        m_writer.recountQueued();
        queued = m_writer.queued();
        flushed = true; // a write's error may have closed the socket meanwhile
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
    if (flushed)
        m_writer.send(bytes, kind);
    else
        m_writer.sendOpen(bytes, kind);
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
    bool validUtf8 = false;
    const QByteArray bytes = message.encode(subscription, m_version, &validUtf8);
    // The shared bytes were checked for UTF-8 once for all subscribers, not per frame.
    const auto kind = message.bodyHasNul() ? WebSocketWriter::Kind::Binary
        : validUtf8                        ? WebSocketWriter::Kind::ValidText
                                           : WebSocketWriter::Kind::Text;
    if (!sendEncoded(bytes, kind, false))
        return;
    if (m_deps.tap->wants()) {
        TapHub &hub = *m_deps.tap;
        // The message's tap frame is escaped once for all its deliveries on this worker;
        // only the session's and subscription's fields are written here (TapMessageFrame).
        if (subscription.destination == message.destination())
            hub.publishDelivery(message.tapFrame(hub.nodeIdUtf8(), hub.bodyLimit()), m_sessionId, m_user.name,
                subscription.id, subscription.ack != "auto", bytes.size());
        else
            tap(QByteArrayLiteral("out"),
                StompServerFrames::message(
                    subscription, message.messageId(), message.body(), message.isReplayed()),
                bytes.size(), message.messageId());
    }
    if (publishedAtUs > 0)
        m_deps.metrics->observeDeliveryLatency(double(wallClockMicros() - publishedAtUs) / 1e6);
}

} // namespace sb::node
