// StompSession: the frames a connected client sends (SUBSCRIBE, UNSUBSCRIBE, SEND, ACK, NACK,
// BEGIN, COMMIT, ABORT, DISCONNECT) and what the session answers to each. The session's
// lifecycle is in StompSession.cpp, what it writes to the client in StompSessionOutput.cpp.

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

#include <QTcpSocket>

#include <algorithm>

namespace sb::node {

using protocol::StompFrame;

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

} // namespace sb::node
