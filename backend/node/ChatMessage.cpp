#include "node/ChatMessage.h"

#include "node/CompactJson.h"

namespace sb::node {

QString ChatMessage::textTooLongMessage()
{
    return QStringLiteral("text longer than %1 characters").arg(kMaxTextChars);
}

QJsonObject ChatMessage::toJson() const
{
    return QJsonObject { { QStringLiteral("id"), id }, { QStringLiteral("channel"), channel },
        { QStringLiteral("sender"), sender }, { QStringLiteral("text"), text },
        { QStringLiteral("ts"), timestampMs } };
}

QByteArray ChatMessage::toJsonBytes() const
{
    // QJsonDocument(toJson()).toJson(Compact), written directly: toJson()'s members in
    // QJsonObject's order (its keys sorted), with no object built (CompactJson).
    QByteArray out;
    out.reserve(48 + id.size() + channel.size() + sender.size() + text.size());
    out.append("{\"channel\":");
    CompactJson::appendString(out, channel);
    out.append(",\"id\":");
    CompactJson::appendString(out, id);
    out.append(",\"sender\":");
    CompactJson::appendString(out, sender);
    out.append(",\"text\":");
    CompactJson::appendString(out, text);
    out.append(",\"ts\":");
    out.append(QByteArray::number(timestampMs));
    out.append('}');
    return out;
}

QJsonObject ChatMessage::notificationJson() const
{
    QJsonObject json = toJson();
    json.insert(QStringLiteral("type"), QStringLiteral("message"));
    return json;
}

} // namespace sb::node
