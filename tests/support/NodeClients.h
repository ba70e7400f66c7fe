#pragma once

#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QUrl>

class QNetworkReply;
class QWebSocket;

namespace sb::testing {

// Real clients of a `switchboard node --demo-users` for integration tests: log in (the
// demo users' password is their name), read /admin/stats, hold STOMP sessions over
// WebSocket and SSE streams open until closeAll() or destruction. Blocking, with 20 s
// bounds: tests only. `node` is the replica's base URL, e.g. http://127.0.0.1:1234.
class NodeClients : public QObject
{
public:
    NodeClients() = default;
    ~NodeClients() override;

    // Empty on failure; lastError() then says what the node answered.
    QByteArray login(const QUrl &node, const QString &user);
    QJsonObject adminStats(const QUrl &node);
    // POST `path` (e.g. /admin/stage1/pause) as the admin, with no body; false with
    // lastError() unless the node answers 200.
    bool adminPost(const QUrl &node, const QString &path);
    QString lastError() const { return m_lastError; }
    // `count` STOMP 1.2 sessions as alice, each subscribed to /topic/presence.
    bool openStomp(const QUrl &node, int count, QString *error);
    // One STOMP 1.2 session as `user` subscribed to `destination`; the socket stays owned
    // here (closeAll() or close it yourself to disconnect). Null with *error on failure.
    QWebSocket *openStompSession(
        const QUrl &node, const QString &user, const QByteArray &destination, QString *error);
    // One SSE stream as bob.
    bool openSse(const QUrl &node, QString *error);
    void closeAll();

private:
    static QUrl at(const QUrl &node, const QString &path);
    QByteArray adminToken(const QUrl &node); // logged in once per replica; empty on failure
    QWebSocket *openStompWithToken(
        const QUrl &node, const QByteArray &token, const QByteArray &destination, QString *error);
    // The reply's body when it is a 200; otherwise empty, with m_lastError set.
    QByteArray okBody(QNetworkReply *reply, const QString &what);

    QNetworkAccessManager m_network;
    QHash<QUrl, QByteArray> m_adminTokens;
    QList<QWebSocket *> m_sockets;
    QList<QNetworkReply *> m_streams;
    QString m_lastError;
};

} // namespace sb::testing
