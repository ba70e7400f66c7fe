#include "node/Envelope.h"

#include "node/CompactJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace sb::node {

QByteArray Envelope::notificationBytes() const
{
    // QJsonObject keeps its keys sorted and "type" sorts after the message's last key, "ts":
    // the notification is the message's JSON with one member appended.
    static constexpr QByteArrayView kType = ",\"type\":\"message\"}";
    const QByteArray json = messageBytes();
    QByteArray out;
    out.reserve(json.size() - 1 + kType.size());
    out.append(QByteArrayView(json).chopped(1));
    out.append(kType);
    return out;
}

QByteArray Envelope::toJson() const
{
    if (type == Type::Message) {
        // What QJsonDocument wrote for {message, publishedAtUs, recipients, type} (compact, the
        // keys sorted), with the message's JSON as made once instead of made again here.
        const QByteArray json = messageBytes();
        QByteArray recipientsJson("[");
        for (const QString &recipient : recipients) {
            if (recipientsJson.size() > 1)
                recipientsJson.append(',');
            CompactJson::appendString(recipientsJson, recipient);
        }
        recipientsJson.append(']');
        const QByteArray publishedAt = QByteArray::number(publishedAtUs);
        static constexpr QByteArrayView kMessage = "{\"message\":";
        static constexpr QByteArrayView kPublishedAt = ",\"publishedAtUs\":";
        static constexpr QByteArrayView kRecipients = ",\"recipients\":";
        static constexpr QByteArrayView kType = ",\"type\":\"message\"}";
        QByteArray out;
        out.reserve(kMessage.size() + json.size() + kPublishedAt.size() + publishedAt.size()
            + kRecipients.size() + recipientsJson.size() + kType.size());
        out.append(kMessage).append(json).append(kPublishedAt).append(publishedAt);
        out.append(kRecipients).append(recipientsJson).append(kType);
        return out;
    }
    QJsonObject json { { QStringLiteral("publishedAtUs"), publishedAtUs } };
    json.insert(QStringLiteral("type"), QStringLiteral("presence"));
    json.insert(QStringLiteral("user"), presenceUser);
    json.insert(QStringLiteral("online"), online);
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

std::optional<Envelope> Envelope::fromJson(const QByteArray &bytes, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (!document.isObject()) {
        *error = QStringLiteral("envelope is not a JSON object: ") + parseError.errorString();
        return std::nullopt;
    }
    const QJsonObject json = document.object();
    Envelope envelope;
    envelope.publishedAtUs = qint64(json.value(QStringLiteral("publishedAtUs")).toDouble());
    const QString type = json.value(QStringLiteral("type")).toString();
    if (type == u"message") {
        const QJsonObject m = json.value(QStringLiteral("message")).toObject();
        envelope.message.id = m.value(QStringLiteral("id")).toString();
        envelope.message.channel = m.value(QStringLiteral("channel")).toString();
        envelope.message.sender = m.value(QStringLiteral("sender")).toString();
        envelope.message.text = m.value(QStringLiteral("text")).toString();
        envelope.message.timestampMs = qint64(m.value(QStringLiteral("ts")).toDouble());
        for (const QJsonValue &r : json.value(QStringLiteral("recipients")).toArray())
            envelope.recipients << r.toString();
        if (envelope.message.id.isEmpty() || envelope.message.channel.isEmpty()) {
            *error = QStringLiteral("message envelope without id or channel");
            return std::nullopt;
        }
        envelope.messageJson = envelope.message.toJsonBytes(); // once, for every use on this replica
        return envelope;
    }
    if (type == u"presence") {
        envelope.type = Type::Presence;
        envelope.presenceUser = json.value(QStringLiteral("user")).toString();
        envelope.online = json.value(QStringLiteral("online")).toBool();
        if (envelope.presenceUser.isEmpty()) {
            *error = QStringLiteral("presence envelope without user");
            return std::nullopt;
        }
        return envelope;
    }
    *error = QStringLiteral("unknown envelope type '%1'").arg(type);
    return std::nullopt;
}

QByteArray Envelope::presenceBody() const
{
    return QJsonDocument(
        QJsonObject { { QStringLiteral("user"), presenceUser },
            { QStringLiteral("status"), online ? QStringLiteral("online") : QStringLiteral("offline") } })
        .toJson(QJsonDocument::Compact);
}

} // namespace sb::node
