#include "node/StompSendBody.h"

#include "node/ChatMessage.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

namespace sb::node {

StompSendBody StompSendBody::parse(const QByteArray &body)
{
    StompSendBody result;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    const QJsonValue text = document.object().value(QStringLiteral("text"));
    if (!document.isObject() || !text.isString() || text.toString().trimmed().isEmpty()) {
        result.error = QStringLiteral("SEND body must be JSON {\"text\": \"…\"} with non-empty text");
        if (parseError.error != QJsonParseError::NoError)
            result.details = parseError.errorString();
        return result;
    }
    if (text.toString().size() > ChatMessage::kMaxTextChars) {
        result.error = ChatMessage::textTooLongMessage();
        return result;
    }
    result.text = text.toString();
    return result;
}

} // namespace sb::node
