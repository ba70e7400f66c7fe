#pragma once

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
};

} // namespace sb::node
