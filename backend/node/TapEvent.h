#pragma once

#include "protocol/StompFrame.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <memory>

namespace sb::node {

// One frame in or out, as the console's Traffic view shows it (DESIGN §3 tap frame), or one
// the node makes up to say what happened around the frames: a session's OPEN, CLOSE and
// STATE (direction empty), a bus record's STAGE1 and BROADCAST (docs/protocol.md).
struct TapEvent
{
    qint64 tsMs = 0;
    QString session;
    QString user;
    QByteArray transport; // stomp | sse | http | kafka | redis
    QByteArray direction; // in | out, or empty for the node's own lifecycle frames
    QByteArray command;
    QString destination;
    QString messageId;
    qint64 bytes = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    // The body is JSON the node made (STATE, OPEN): never cut, a reader must be able to
    // parse it. Bounded anyway by the session limits (subscriptions, channels).
    bool wholeBody = false;

    // Secrets masked, body cut at bodyLimit bytes (unless wholeBody).
    QByteArray toJson(const QString &node, int bodyLimit) const;
    // The same, appended to `out` (its capacity reused: the tap writes every frame into a
    // buffer it keeps, so a frame costs no allocation). `node` as UTF-8.
    void appendJson(QByteArray &out, QByteArrayView nodeUtf8, int bodyLimit) const;
    static bool isSecretHeader(QByteArrayView name);
    // "2024-05-01T12:00:00.000Z": the form of the lifecycle frames' `since` header.
    static QByteArray isoTime(qint64 msSinceEpoch);
    // A STOMP frame as the tap shows it; messageId defaults to the frame's message-id header.
    static TapEvent fromStompFrame(const QString &session, const QString &user, const QByteArray &direction,
        const protocol::StompFrame &frame, qint64 bytes, const QString &messageId = {});
};

} // namespace sb::node
