#include "support/NodeClients.h"

#include "protocol/NodeApi.h"

#include <QJsonDocument>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

#include <memory>

namespace sb::testing {

namespace nodeapi = protocol::nodeapi;

namespace {

// Generous: under the sanitizer build with the suite running in parallel, a login (PBKDF2
// plus a registry round trip) has taken over 5 s.
constexpr int kReplyTimeoutMs = 20000;

QNetworkReply *waitFor(QNetworkReply *reply)
{
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(kReplyTimeoutMs);
    return reply;
}

} // namespace

NodeClients::~NodeClients()
{
    closeAll();
}

QUrl NodeClients::at(const QUrl &node, const QString &path)
{
    QUrl url = node;
    url.setPath(path);
    return url;
}

QByteArray NodeClients::okBody(QNetworkReply *reply, const QString &what)
{
    const QByteArray body = reply->readAll();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (!reply->isFinished()) {
        m_lastError = what + QStringLiteral(": no answer in %1 ms").arg(kReplyTimeoutMs);
        return {};
    }
    if (status != 200) {
        m_lastError = what
            + QStringLiteral(": HTTP %1 (%2) %3")
                  .arg(status)
                  .arg(reply->errorString(), QString::fromUtf8(body.left(500)));
        return {};
    }
    return body;
}

QByteArray NodeClients::login(const QUrl &node, const QString &user)
{
    QNetworkRequest request(at(node, nodeapi::LoginPath));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    std::unique_ptr<QNetworkReply> reply(waitFor(m_network.post(request, nodeapi::loginBody(user, user))));
    return nodeapi::accessToken(okBody(reply.get(), QStringLiteral("login as ") + user));
}

QByteArray NodeClients::adminToken(const QUrl &node)
{
    if (!m_adminTokens.contains(node)) {
        const QByteArray token = login(node, QStringLiteral("admin"));
        if (token.isEmpty())
            return {}; // not remembered: the next call logs in again
        m_adminTokens.insert(node, token);
    }
    return m_adminTokens.value(node);
}

QJsonObject NodeClients::adminStats(const QUrl &node)
{
    const QByteArray token = adminToken(node);
    if (token.isEmpty())
        return {};
    QNetworkRequest request(at(node, nodeapi::AdminStatsPath));
    request.setRawHeader("Authorization", "Bearer " + token);
    std::unique_ptr<QNetworkReply> reply(waitFor(m_network.get(request)));
    return QJsonDocument::fromJson(
        okBody(reply.get(), QStringLiteral("GET %1/admin/stats").arg(node.toString())))
        .object();
}

bool NodeClients::adminPost(const QUrl &node, const QString &path)
{
    const QByteArray token = adminToken(node);
    if (token.isEmpty())
        return false;
    QNetworkRequest request(at(node, path));
    request.setRawHeader("Authorization", "Bearer " + token);
    std::unique_ptr<QNetworkReply> reply(waitFor(m_network.post(request, QByteArray())));
    const bool ok
        = reply->isFinished() && reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200;
    if (!ok)
        okBody(
            reply.get(), QStringLiteral("POST %1%2").arg(node.toString(), path)); // says why in lastError()
    return ok;
}

bool NodeClients::openStomp(const QUrl &node, int count, QString *error)
{
    // One login for all: the node limits logins per user and per address.
    const QByteArray token = login(node, QStringLiteral("alice"));
    if (token.isEmpty()) {
        *error = m_lastError;
        return false;
    }
    for (int i = 0; i < count; ++i) {
        if (!openStompWithToken(node, token, "/topic/presence", error))
            return false;
    }
    return true;
}

QWebSocket *NodeClients::openStompSession(
    const QUrl &node, const QString &user, const QByteArray &destination, QString *error)
{
    const QByteArray token = login(node, user);
    if (token.isEmpty()) {
        *error = m_lastError;
        return nullptr;
    }
    return openStompWithToken(node, token, destination, error);
}

QWebSocket *NodeClients::openStompWithToken(
    const QUrl &node, const QByteArray &token, const QByteArray &destination, QString *error)
{
    auto *socket = new QWebSocket;
    m_sockets.append(socket);
    QWebSocketHandshakeOptions options;
    options.setSubprotocols({ nodeapi::StompSubprotocol });
    QSignalSpy connected(socket, &QWebSocket::connected);
    QSignalSpy frames(socket, &QWebSocket::textMessageReceived);
    QUrl url = at(node, nodeapi::StompPath);
    url.setScheme(QStringLiteral("ws"));
    socket->open(QNetworkRequest(url), options);
    if (!connected.wait(5000)) {
        *error = QStringLiteral("WebSocket did not connect: ") + socket->errorString();
        return nullptr;
    }
    socket->sendTextMessage(QString::fromUtf8(nodeapi::stompConnect(token)));
    if (!frames.wait(5000) || !frames.first().first().toString().startsWith(QStringLiteral("CONNECTED"))) {
        *error = QStringLiteral("no CONNECTED frame");
        return nullptr;
    }
    socket->sendTextMessage(QString::fromUtf8(nodeapi::stompSubscribe("sub-0", destination)));
    return socket;
}

bool NodeClients::openSse(const QUrl &node, QString *error)
{
    const QByteArray token = login(node, QStringLiteral("bob"));
    if (token.isEmpty()) {
        *error = m_lastError;
        return false;
    }
    QNetworkRequest request(at(node, nodeapi::SsePath));
    request.setRawHeader("Authorization", "Bearer " + token);
    request.setRawHeader("Accept", "text/event-stream");
    QNetworkReply *reply = m_network.get(request);
    m_streams.append(reply);
    QSignalSpy headers(reply, &QNetworkReply::metaDataChanged);
    if (!headers.wait(5000)) {
        *error = QStringLiteral("SSE stream did not answer");
        return false;
    }
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != 200) {
        *error = QStringLiteral("SSE stream answered %1").arg(status);
        return false;
    }
    return true;
}

void NodeClients::closeAll()
{
    for (QWebSocket *socket : std::as_const(m_sockets))
        socket->abort();
    qDeleteAll(m_sockets);
    m_sockets.clear();
    for (QNetworkReply *reply : std::as_const(m_streams)) {
        reply->abort();
        reply->deleteLater();
    }
    m_streams.clear();
}

} // namespace sb::testing
