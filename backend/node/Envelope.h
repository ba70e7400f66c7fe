#pragma once

#include "node/ChatMessage.h"

#include <QStringList>

#include <memory>
#include <optional>

namespace sb::node {

// What travels on the EventBus between replicas and from the bus to every local worker:
// a created message with the users to notify, or a presence change. Shared immutably
// across worker threads.
struct Envelope
{
    enum class Type { Message, Presence };

    Type type = Type::Message;
    ChatMessage message; // Type::Message
    QStringList recipients; // Type::Message: members to notify (everyone but the sender)
    QString presenceUser; // Type::Presence
    bool online = false; // Type::Presence
    qint64 publishedAtUs = 0; // wall clock, for sb_delivery_latency_seconds across replicas
    // Type::Message: message.toJsonBytes(), made once where the envelope is created or
    // decoded and then shared (the bus record, the channel's history entry, every worker's
    // MESSAGE body, the notification): a message was serialised three times or more, ~a
    // third of a publish's instructions (docs/benchmarks.md, "Instructions per delivery").
    // Empty: not made yet, and messageBytes() makes it.
    QByteArray messageJson;

    QByteArray messageBytes() const { return messageJson.isEmpty() ? message.toJsonBytes() : messageJson; }
    // What other members get on their queue and SSE stream: the message's JSON with
    // "type":"message", as QJsonDocument writes ChatMessage::notificationJson().
    QByteArray notificationBytes() const;
    QByteArray toJson() const;
    static std::optional<Envelope> fromJson(const QByteArray &json, QString *error);
    QByteArray presenceBody() const;
};

using EnvelopePtr = std::shared_ptr<const Envelope>;

} // namespace sb::node
