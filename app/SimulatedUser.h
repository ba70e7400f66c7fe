#pragma once

#include "app/DemoReplica.h"
#include "app/DemoUser.h"
#include "protocol/SseParser.h"
#include "protocol/StompDecoder.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QNetworkAccessManager;
class QTcpSocket;
class QWebSocket;

namespace sb::app {

// One person of the demo population, as a real client of the replicas over loopback: logs
// in (POST /api/auth/login, the node's PBKDF2 check), then holds either a STOMP 1.2 session
// over WebSocket (subscribed to its channels and /topic/presence) or an SSE stream, and
// sends when asked (STOMP SEND, or POST /api/channels/{id}/messages for SSE users).
//
// When its connection is lost it tries again after a delay, the same replica first and then
// the next ones, resuming where it was: `since` on each channel's SUBSCRIBE, Last-Event-ID on
// the stream. A refused token (expired, revoked, logged out) sends it back to the login.
// Everything is asynchronous on the thread it lives on; requests are built from
// protocol::nodeapi and frames read with the node's own StompDecoder and SseParser.
class SimulatedUser : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, LoggingIn, Connecting, Connected, Waiting, LoggedOut };

    SimulatedUser(DemoUser account, QList<DemoReplica> replicas, QNetworkAccessManager *http,
        int reconnectDelayMs, QObject *parent = nullptr);
    ~SimulatedUser() override;

    const DemoUser &account() const { return m_account; }
    State state() const { return m_state; }
    bool isConnected() const { return m_state == State::Connected; }
    // The replica it holds its connection to, -1 when none.
    int connectedReplica() const { return isConnected() ? m_replica : -1; }
    QByteArray accessToken() const { return m_token; }

    void start();
    // One chat message to `channel` over its own transport; false when not connected.
    bool send(const QString &channel, const QString &text);
    // Closes its connection, logs out (the token is revoked everywhere) and comes back,
    // logging in again, after `awayMs`.
    void logOutFor(int awayMs);

    qint64 messagesSent() const { return m_sent; }
    qint64 messagesReceived() const { return m_received; }
    qint64 presenceEvents() const { return m_presence; }
    qint64 reconnects() const { return m_reconnects; }
    qint64 recovered() const { return m_recovered; }
    qint64 failures() const { return m_failures; }
    qint64 logins() const { return m_logins; }

private:
    void login(int attempt);
    void connectTo(int replica);
    void openStomp();
    void openSse();
    void onStompText(const QString &text);
    void onStompFrame(const protocol::StompFrame &frame);
    void onSseBytes();
    void onConnected();
    void onConnectionLost(bool tokenRefused);
    void closeConnection();
    void reconnect();
    void relogin();
    QUrl at(const QString &path, int replica) const;

    DemoUser m_account;
    QList<DemoReplica> m_replicas;
    QNetworkAccessManager *m_http;
    int m_reconnectDelayMs;
    State m_state = State::Idle;
    QByteArray m_token;
    int m_replica = 0; // where it is or is trying to be
    int m_failedInARow = 0; // connection attempts lost since the last success
    bool m_everConnected = false;
    QTimer m_retry; // runs m_nextStep: a login or a connection attempt, later
    void (SimulatedUser::*m_nextStep)() = &SimulatedUser::reconnect;
    int m_loginAttempt = 0; // which replica the next login tries (round from the user's place)
    quint64 m_generation = 0; // bumps on each close, so late callbacks of an old connection are ignored

    QPointer<QWebSocket> m_socket;
    protocol::StompDecoder m_stomp { protocol::StompDecoder::Accept::ServerFrames };
    bool m_stompConnected = false;
    QHash<QString, QByteArray>
        m_lastMessageId; // channel → the last message-id it saw: `since` on resubscribe

    QPointer<QTcpSocket> m_stream;
    QByteArray m_streamHead; // the response head until its blank line
    bool m_streamOpen = false;
    protocol::SseParser m_sse;

    qint64 m_sent = 0;
    qint64 m_received = 0;
    qint64 m_presence = 0;
    qint64 m_reconnects = 0;
    qint64 m_recovered = 0;
    qint64 m_failures = 0;
    qint64 m_logins = 0;
};

} // namespace sb::app
