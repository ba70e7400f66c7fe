#include "protocol/NodeApi.h"

#include "protocol/StompEncoder.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace sb::protocol::nodeapi {

QByteArray loginBody(const QString &user, const QString &password)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("username"), user}, {QStringLiteral("password"), password}})
        .toJson(QJsonDocument::Compact);
}

QByteArray accessToken(QByteArrayView loginAnswer)
{
    return QJsonDocument::fromJson(loginAnswer.toByteArray()).object().value(QStringLiteral("accessToken")).toString().toUtf8();
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
