#include "node/StompServerFrames.h"

namespace sb::node {

using protocol::StompFrame;

StompFrame StompServerFrames::connected(protocol::StompVersion version, const protocol::StompHeartBeat &offer,
    const QString &session, const QString &user)
{
    StompFrame frame("CONNECTED");
    frame.addHeader("version", protocol::stompVersionName(version));
    frame.addHeader("heart-beat", offer.toHeaderValue());
    frame.addHeader("session", session.toUtf8());
    frame.addHeader("server", "switchboard/" SB_VERSION);
    frame.addHeader("user-name", user.toUtf8());
    return frame;
}

StompFrame StompServerFrames::unsupportedVersion(const protocol::StompVersionNegotiation &negotiation)
{
    StompFrame frame("ERROR");
    frame.addHeader("version", negotiation.supportedVersions);
    frame.addHeader("content-type", "text/plain");
    frame.addHeader("message", "unsupported STOMP version");
    frame.setBody(negotiation.errorString.toUtf8());
    return frame;
}

StompFrame StompServerFrames::error(const QString &message, const StompFrame *cause, const QString &details)
{
    StompFrame frame("ERROR");
    QString headerMessage = message;
    headerMessage.replace(u'\n', u' ');
    frame.addHeader("message", headerMessage.toUtf8());
    if (cause && cause->hasHeader("receipt"))
        frame.addHeader("receipt-id", cause->header("receipt"));
    frame.addHeader("content-type", "text/plain");
    frame.setBody((message + (details.isEmpty() ? QString() : QStringLiteral(": ") + details)).toUtf8());
    return frame;
}

StompFrame StompServerFrames::goingAway()
{
    StompFrame frame("ERROR");
    frame.addHeader("message", "server shutting down");
    frame.addHeader("content-type", "text/plain");
    frame.setBody("This replica is draining; reconnect to another one.");
    return frame;
}

StompFrame StompServerFrames::receipt(const QByteArray &receiptId)
{
    StompFrame frame("RECEIPT");
    frame.addHeader("receipt-id", receiptId);
    return frame;
}

StompFrame StompServerFrames::message(
    const StompSubscription &subscription, const QString &messageId, const QByteArray &body, bool replayed)
{
    StompFrame frame("MESSAGE");
    frame.addHeader("subscription", subscription.id);
    frame.addHeader("message-id", messageId.toUtf8());
    frame.addHeader("destination", subscription.destination.toUtf8());
    frame.addHeader("content-type", "application/json");
    if (subscription.ack != "auto")
        frame.addHeader("ack", messageId.toUtf8());
    if (replayed)
        frame.addHeader("recovered", "true");
    frame.setBody(body);
    return frame;
}

} // namespace sb::node
