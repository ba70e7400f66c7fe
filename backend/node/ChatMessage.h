#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace sb::node {

// A message created by SEND /app/channels.{id} or POST /api/channels/{id}/messages. Its id
// is the STOMP message-id, the SSE id and the tap messageId, so one event can be traced.
struct ChatMessage
{
    // The longest text a message may carry, however it is published (a STOMP SEND or an HTTP
    // POST): characters as QString and JavaScript count them (UTF-16 code units). A longer
    // one is refused before anything is created, and counted as bad_body.
    static constexpr int kMaxTextChars = 4000;
    static QString textTooLongMessage();

    QString id;
    QString channel;
    QString sender;
    QString text;
    qint64 timestampMs = 0;
    qint64 createdAtNs = 0; // monotonic, on the creating node, for sb_delivery_latency_seconds

    QJsonObject toJson() const;
    QByteArray toJsonBytes() const;
    QJsonObject notificationJson() const; // what other members get on their queue and SSE
};

} // namespace sb::node
