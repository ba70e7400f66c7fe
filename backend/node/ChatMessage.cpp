#include "node/ChatMessage.h"

#include <QJsonDocument>

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
    return QJsonDocument(toJson()).toJson(QJsonDocument::Compact);
}

QJsonObject ChatMessage::notificationJson() const
{
    QJsonObject json = toJson();
    json.insert(QStringLiteral("type"), QStringLiteral("message"));
    return json;
}

} // namespace sb::node
