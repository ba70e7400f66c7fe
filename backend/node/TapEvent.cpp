#include "node/TapEvent.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

namespace sb::node {

bool TapEvent::isSecretHeader(QByteArrayView name)
{
    for (const char *secret : {"authorization", "passcode", "ticket", "cookie", "set-cookie", "x-api-key"})
        if (name.compare(QByteArrayView(secret), Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

QByteArray TapEvent::toJson(const QString &node, int bodyLimit) const
{
    QJsonObject headerJson;
    for (const auto &[name, value] : headers) {
        const QString key = QString::fromUtf8(name);
        if (headerJson.contains(key))
            continue; // first wins, as in STOMP
        headerJson.insert(key, isSecretHeader(name) ? QStringLiteral("***") : QString::fromUtf8(value));
    }
    const bool cut = !wholeBody && body.size() > bodyLimit;
    QJsonObject json{{QStringLiteral("ts"), tsMs},
                     {QStringLiteral("node"), node},
                     {QStringLiteral("session"), session},
                     {QStringLiteral("user"), user},
                     {QStringLiteral("transport"), QString::fromLatin1(transport)},
                     {QStringLiteral("dir"), QString::fromLatin1(direction)},
                     {QStringLiteral("command"), QString::fromUtf8(command)},
                     {QStringLiteral("destination"), destination},
                     {QStringLiteral("messageId"), messageId},
                     {QStringLiteral("bytes"), bytes},
                     {QStringLiteral("headers"), headerJson},
                     {QStringLiteral("body"), QString::fromUtf8(cut ? body.left(bodyLimit) : body)},
                     {QStringLiteral("truncated"), cut}};
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

QByteArray TapEvent::isoTime(qint64 msSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1();
}

TapEvent TapEvent::fromStompFrame(const QString &session, const QString &user, const QByteArray &direction,
                                  const protocol::StompFrame &frame, qint64 bytes, const QString &messageId)
{
    TapEvent event;
    event.tsMs = QDateTime::currentMSecsSinceEpoch();
    event.session = session;
    event.user = user;
    event.transport = QByteArrayLiteral("stomp");
    event.direction = direction;
    event.command = frame.command();
    event.destination = QString::fromUtf8(frame.header("destination"));
    event.messageId = messageId.isEmpty() ? QString::fromUtf8(frame.header("message-id")) : messageId;
    event.bytes = bytes;
    event.headers = frame.headers();
    event.body = frame.body();
    return event;
}

} // namespace sb::node
