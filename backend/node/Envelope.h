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

    QByteArray toJson() const;
    static std::optional<Envelope> fromJson(const QByteArray &json, QString *error);
    QByteArray presenceBody() const;
};

using EnvelopePtr = std::shared_ptr<const Envelope>;

} // namespace sb::node
