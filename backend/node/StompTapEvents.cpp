#include "node/StompTapEvents.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QWebSocketProtocol>

#include <algorithm>

namespace sb::node {

TapEvent StompTapEvents::lifecycle(const QString &session, const QString &user, const QByteArray &command)
{
    TapEvent event;
    event.tsMs = QDateTime::currentMSecsSinceEpoch();
    event.session = session;
    event.user = user;
    event.transport = QByteArrayLiteral("stomp");
    event.command = command;
    return event;
}

TapEvent StompTapEvents::open(const QString &session, const QByteArray &remote, const QString &subprotocol)
{
    TapEvent event = lifecycle(session, {}, QByteArrayLiteral("OPEN")); // before CONNECT: no user yet
    if (!remote.isEmpty())
        event.headers.append({ QByteArrayLiteral("remote"), remote });
    event.headers.append({ QByteArrayLiteral("subprotocol"), subprotocol.toUtf8() });
    return event;
}

TapEvent StompTapEvents::state(const QString &session, const QString &user, qint64 sinceMs,
    const QByteArray &stateWord, const QHash<QByteArray, StompSubscription> &subscriptions)
{
    TapEvent event = lifecycle(session, user, QByteArrayLiteral("STATE"));
    event.headers.append({ QByteArrayLiteral("since"), TapEvent::isoTime(sinceMs) });
    event.headers.append({ QByteArrayLiteral("state"), stateWord });
    QList<QByteArray> ids = subscriptions.keys();
    std::sort(ids.begin(), ids.end()); // QHash order is arbitrary; a reader diffing states wants a stable one
    QJsonArray list;
    for (const QByteArray &id : std::as_const(ids))
        list.append(QJsonObject { { QStringLiteral("id"), QString::fromUtf8(id) },
            { QStringLiteral("destination"), subscriptions.value(id).destination } });
    event.body = QJsonDocument(
        QJsonObject { { QStringLiteral("subscriptions"),
            list } }).toJson(QJsonDocument::Compact);
    event.wholeBody = true;
    return event;
}

QByteArray StompTapEvents::peerCloseReason(int closeCode)
{
    if (closeCode == int(QWebSocketProtocol::CloseCodeTooMuchData))
        return QByteArrayLiteral("frame_too_large");
    if (closeCode == int(QWebSocketProtocol::CloseCodeWrongDatatype))
        return QByteArrayLiteral("bad_utf8");
    return QByteArrayLiteral("client");
}

TapEvent StompTapEvents::close(
    const QString &session, const QString &user, const QByteArray &why, int code, const QString &message)
{
    TapEvent event = lifecycle(session, user, QByteArrayLiteral("CLOSE"));
    event.headers.append({ QByteArrayLiteral("reason"), why });
    if (code != 0)
        event.headers.append({ QByteArrayLiteral("code"), QByteArray::number(code) });
    if (!message.isEmpty())
        event.headers.append({ QByteArrayLiteral("message"), message.toUtf8() });
    return event;
}

} // namespace sb::node
