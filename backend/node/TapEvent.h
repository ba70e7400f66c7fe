#pragma once

#include "protocol/StompFrame.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <memory>

namespace sb::node {

// One frame in or out, as the console's Traffic view shows it (DESIGN §3 tap frame).
struct TapEvent
{
    qint64 tsMs = 0;
    QString session;
    QString user;
    QByteArray transport; // stomp | sse | http
    QByteArray direction; // in | out
    QByteArray command;
    QString destination;
    QString messageId;
    qint64 bytes = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    // Secrets masked, body cut at bodyLimit bytes.
    QByteArray toJson(const QString &node, int bodyLimit) const;
    static bool isSecretHeader(QByteArrayView name);
    // A STOMP frame as the tap shows it; messageId defaults to the frame's message-id header.
    static TapEvent fromStompFrame(const QString &session, const QString &user, const QByteArray &direction,
                                   const protocol::StompFrame &frame, qint64 bytes, const QString &messageId = {});
};

} // namespace sb::node
