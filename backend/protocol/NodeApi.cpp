#include "protocol/NodeApi.h"

#include "protocol/StompEncoder.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace sb::protocol::nodeapi {

QString channelMessagesPath(const QString &channel)
{
    return ChannelsPathPrefix + channel + MessagesPathSuffix;
}

QString channelOfMessagesPath(QStringView path)
{
    const qsizetype around = ChannelsPathPrefix.size() + MessagesPathSuffix.size();
    if (path.size() <= around || !path.startsWith(ChannelsPathPrefix) || !path.endsWith(MessagesPathSuffix))
        return {};
    const QStringView channel = path.sliced(ChannelsPathPrefix.size(), path.size() - around);
    return channel.contains(u'/') ? QString() : channel.toString();
}

QByteArray loginBody(const QString &user, const QString &password)
{
    return QJsonDocument(
        QJsonObject { { QStringLiteral("username"), user }, { QStringLiteral("password"), password } })
        .toJson(QJsonDocument::Compact);
}

QByteArray accessToken(QByteArrayView loginAnswer)
{
    return QJsonDocument::fromJson(loginAnswer.toByteArray())
        .object()
        .value(QStringLiteral("accessToken"))
        .toString()
        .toUtf8();
}

QByteArray stompConnect(QByteArrayView token, QByteArrayView host)
{
    StompFrame frame("CONNECT");
    frame.addHeader("accept-version", "1.2");
    frame.addHeader("host", host.toByteArray());
    frame.addHeader("heart-beat", "0,0");
    frame.addHeader("Authorization", "Bearer " + token.toByteArray());
    return StompEncoder::encode(frame);
}

QByteArray stompSubscribe(QByteArrayView id, QByteArrayView destination)
{
    StompFrame frame("SUBSCRIBE");
    frame.addHeader("id", id.toByteArray());
    frame.addHeader("destination", destination.toByteArray());
    return StompEncoder::encode(frame);
}

} // namespace sb::protocol::nodeapi
