#include "app/DemoTraffic.h"

#include "protocol/NodeApi.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkReply>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

namespace sb::app {

namespace nodeapi = protocol::nodeapi;

namespace {
Q_LOGGING_CATEGORY(lcDemo, "sb.demo")
constexpr const char *kChannel = "general";
} // namespace

DemoTraffic::DemoTraffic(double messagesPerSecond, QObject *parent)
    : QObject(parent)
    , m_rate(messagesPerSecond)
{
    connect(&m_timer, &QTimer::timeout, this, &DemoTraffic::post);
}

DemoTraffic::~DemoTraffic()
{
    m_timer.stop();
    for (QWebSocket *socket : std::as_const(m_sockets))
        socket->abort();
    qDeleteAll(m_sockets);
    for (QNetworkReply *reply : std::as_const(m_streams))
        reply->abort();
    qDeleteAll(m_streams);
}

QList<QUrl> DemoTraffic::replicaUrls(const QJsonObject &endpoints)
{
    QList<QUrl> urls;
    for (const QJsonValue &node : endpoints.value(QStringLiteral("nodes")).toArray())
        urls.append(QUrl(node.toObject().value(QStringLiteral("url")).toString()));
    return urls;
}

void DemoTraffic::start(const QList<QUrl> &replicas)
{
    m_replicas = replicas;
    for (const QUrl &replica : replicas) {
        login(replica, QStringLiteral("alice"),
            [this, replica](const QByteArray &token) { openStomp(replica, token); });
        login(replica, QStringLiteral("bob"),
            [this, replica](const QByteArray &token) { openSse(replica, token); });
        login(replica, QStringLiteral("carol"),
            [this, replica](const QByteArray &token) { m_publisherTokens.insert(replica, token); });
    }
    if (m_rate > 0 && !replicas.isEmpty()) {
        m_timer.setInterval(qMax(50, int(1000.0 / m_rate)));
        m_timer.start();
    }
}

void DemoTraffic::login(
    const QUrl &replica, const QString &user, std::function<void(const QByteArray &)> done)
{
    QUrl url = replica;
    url.setPath(nodeapi::LoginPath);
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    // Demo users' passwords are their names (`switchboard node --demo-users`).
    QNetworkReply *reply = m_http.post(request, nodeapi::loginBody(user, user));
    connect(reply, &QNetworkReply::finished, this, [reply, user, done = std::move(done)] {
        reply->deleteLater();
        const QByteArray token = nodeapi::accessToken(reply->readAll());
        if (token.isEmpty()) {
            qCWarning(lcDemo).noquote() << "demo login as" << user << "failed:" << reply->errorString();
            return;
        }
        done(token);
    });
}

void DemoTraffic::openSse(const QUrl &replica, const QByteArray &token)
{
    QUrl url = replica;
    url.setPath(nodeapi::SsePath);
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + token);
    request.setRawHeader("Accept", "text/event-stream");
    QNetworkReply *reply = m_http.get(request);
    m_streams.append(reply);
    // The events are not needed: read them so the replica never sees a slow consumer.
    connect(reply, &QNetworkReply::readyRead, reply, [reply] { reply->readAll(); });
}

void DemoTraffic::openStomp(const QUrl &replica, const QByteArray &token)
{
    auto *socket = new QWebSocket;
    m_sockets.append(socket);
    QUrl url = replica;
    url.setScheme(QStringLiteral("ws"));
    url.setPath(nodeapi::StompPath);
    connect(socket, &QWebSocket::connected, socket,
        [socket, token] { socket->sendTextMessage(QString::fromUtf8(nodeapi::stompConnect(token))); });
    connect(socket, &QWebSocket::textMessageReceived, socket, [socket](const QString &frame) {
        if (frame.startsWith(u"CONNECTED"))
            socket->sendTextMessage(QString::fromUtf8(
                nodeapi::stompSubscribe("demo", QByteArray("/topic/channels.").append(kChannel))));
    });
    QWebSocketHandshakeOptions options;
    options.setSubprotocols({ nodeapi::StompSubprotocol });
    socket->open(QNetworkRequest(url), options);
}

void DemoTraffic::post()
{
    if (m_publisherTokens.isEmpty())
        return;
    // A different replica each time: the fan-out across replicas is the point of the demo.
    const QUrl replica = m_replicas.at(m_next++ % m_replicas.size());
    const QByteArray token = m_publisherTokens.value(replica);
    if (token.isEmpty())
        return;
    QUrl url = replica;
    url.setPath(QStringLiteral("/api/channels/%1/messages").arg(QLatin1String(kChannel)));
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Authorization", "Bearer " + token);
    const QByteArray body = QJsonDocument(
        QJsonObject {
            { QStringLiteral("text"), QStringLiteral("demo message %1").arg(m_posted + m_failed + 1) } })
                                .toJson(QJsonDocument::Compact);
    QNetworkReply *reply = m_http.post(request, body);
    connect(reply, &QNetworkReply::finished, this, [this, reply, replica] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 201) {
            ++m_posted;
            return;
        }
        ++m_failed;
        if (status == 401 && m_publisherTokens.remove(replica) > 0) {
            // The access token expired (the demo runs for hours): log in again.
            login(replica, QStringLiteral("carol"),
                [this, replica](const QByteArray &fresh) { m_publisherTokens.insert(replica, fresh); });
        }
    });
}

} // namespace sb::app
