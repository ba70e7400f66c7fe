#pragma once

#include "node/StompSubscription.h"
#include "node/TapMessageFrame.h"
#include "protocol/StompVersion.h"

#include <QByteArray>
#include <QString>

#include <array>
#include <memory>

namespace sb::node {

// One MESSAGE for every subscription of a destination that receives it. A broadcast used
// to build and encode a whole frame per subscriber (headers escaped, body copied, ~a
// quarter of the node's profile at 1,000 subscribers: docs/benchmarks.md, "Tuning the hot
// path"); here only the `subscription` header (and `ack`, for client-ack subscriptions)
// is per subscriber, and the rest is escaped and encoded once per STOMP version on first
// use. The bytes are exactly StompEncoder's encoding of StompServerFrames::message
// (tst_sharedmessageframe). Made and used on one worker's thread.
class SharedMessageFrame
{
public:
    // replayed: read from the channel's history (the frame says `recovered:true`).
    SharedMessageFrame(QString destination, QString messageId, QByteArray body, bool replayed = false);

    const QString &destination() const { return m_destination; }
    const QString &messageId() const { return m_messageId; }
    const QByteArray &body() const { return m_body; }
    bool isReplayed() const { return m_replayed; }
    // A body with NUL goes in a binary WebSocket message (see StompSession::sendFrame).
    bool bodyHasNul() const { return m_bodyHasNul; }

    // The frame for `subscription` in `version`. A subscription to another destination
    // than this frame's gets the frame built and encoded whole (never expected: the
    // worker's table groups subscriptions by destination). `validUtf8`, when given, is set
    // to whether the bytes are valid UTF-8 (a text WebSocket message as they are), known as
    // they are put together, not by reading them again: the shared parts are checked once
    // per version, the subscription's id (a few bytes; escaping only swaps ASCII) here.
    // False when not known: a subscription to another destination.
    QByteArray encode(const StompSubscription &subscription, protocol::StompVersion version,
        bool *validUtf8 = nullptr) const;

    // The tap frame of this message's deliveries to subscriptions of its destination, made
    // on the first tapped one and shared by the rest (TapMessageFrame). nodeUtf8 and
    // bodyLimit: the tap hub's, the same for every call.
    const TapMessageFrame &tapFrame(QByteArrayView nodeUtf8, int bodyLimit) const;

private:
    // What follows the `subscription` header, for one version.
    struct Parts
    {
        bool built = false;
        bool validUtf8 = false; // middle, ackLine and tail: each whole lines, so any concatenation
        QByteArray middle; // message-id, destination, content-type lines
        QByteArray ackLine; // "ack:<message id>\n"
        QByteArray tail; // [recovered], content-length, blank line, body, NUL
    };
    const Parts &parts(protocol::StompVersion version) const;

    QString m_destination;
    QString m_messageId;
    QByteArray m_body;
    bool m_replayed;
    bool m_bodyHasNul;
    mutable std::array<Parts, 3> m_parts; // 1.0, 1.1, 1.2
    mutable std::shared_ptr<const TapMessageFrame> m_tap; // while tapped
};

} // namespace sb::node
