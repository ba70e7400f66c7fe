#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QTimer>
#include <QUrl>

#include <functional>

class QNetworkReply;
class QWebSocket;

namespace sb::app {

// Clients for the embedded demo, so the console's first screen shows a working cluster
// rather than an idle one: on every replica a STOMP session (alice, subscribed to the
// `general` channel) and an SSE stream (bob), and `messagesPerSecond` messages to
// `general` posted through a different replica's HTTP API each time — each one stored
// once, fanned out through Kafka to every replica and delivered to every client. Demo
// users only (`--demo-users`). Everything is asynchronous on the thread it lives on; it
// never waits. Clients are closed when it is destroyed.
class DemoTraffic : public QObject
{
    Q_OBJECT
public:
    explicit DemoTraffic(double messagesPerSecond, QObject *parent = nullptr);
    ~DemoTraffic() override;

    // The replicas' base URLs (http://127.0.0.1:port).
    void start(const QList<QUrl> &replicas);
    qint64 messagesPosted() const { return m_posted; }
    qint64 messagesFailed() const { return m_failed; }

    // The replicas' URLs from a devcluster's `ready` endpoints.
    static QList<QUrl> replicaUrls(const QJsonObject &endpoints);

private:
    void login(const QUrl &replica, const QString &user, std::function<void(const QByteArray &)> done);
    void openSse(const QUrl &replica, const QByteArray &token);
    void openStomp(const QUrl &replica, const QByteArray &token);
    void post();

    double m_rate;
    QNetworkAccessManager m_http;
    QList<QUrl> m_replicas;
    QHash<QUrl, QByteArray> m_publisherTokens; // carol's token on each replica
    QList<QNetworkReply *> m_streams;
    QList<QWebSocket *> m_sockets;
    QTimer m_timer;
    qsizetype m_next = 0;
    qint64 m_posted = 0;
    qint64 m_failed = 0;
};

} // namespace sb::app
