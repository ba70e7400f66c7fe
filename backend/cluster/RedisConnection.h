#pragma once

#include "cluster/RedisConnectionOptions.h"
#include "cluster/RedisReply.h"
#include "cluster/RedisUrl.h"

#include <QByteArray>
#include <QList>
#include <QObject>

#include <atomic>
#include <functional>
#include <memory>

struct redisAsyncContext;
class QTimer;

namespace sb::cluster {

// One asynchronous hiredis connection, driven by the event loop of the thread this
// object lives on (create it there, or moveToThread() before open()). Nothing here
// blocks: connects are non-blocking, host names are resolved by QHostInfo's pool.
//
// Commands: command() takes the arguments binary-safe (no formatting, no quoting),
// pipelines freely (any number in flight, up to maxInFlight) and answers each exactly
// once, in order, with an owned RedisReply, on the context object's thread. If the
// context is destroyed first, the reply is dropped. command() and open()/close() may
// be called from any thread; everything else from the connection's thread only.
//
// Connection life: open() connects, then sends AUTH ([user] password) if the URL has
// a password, SELECT if db != 0, CLIENT SETNAME if named, and PING; only when all
// answered does it become Connected and emit connected(). Any failure (refused,
// timeout, auth error, connection lost) emits disconnected(reason) and retries after
// a capped exponential back-off with jitter, forever, until close().
//
// While not Connected, command() fails fast with ClientError::NotConnected: there is
// deliberately no offline queue, which would grow without bound during an outage and
// replay stale writes minutes later; callers choose to retry, degrade or report.
//
// Do not delete the connection from inside one of its callbacks; use deleteLater().
// It must be destroyed on its own thread (e.g. QThread::finished -> deleteLater).
class RedisConnection : public QObject
{
    Q_OBJECT

public:
    enum class State { Unconnected, Connecting, Connected, WaitingToReconnect };
    Q_ENUM(State)

    using ReplyHandler = std::function<void(const RedisReply &)>;

    explicit RedisConnection(RedisUrl url, RedisConnectionOptions options = {}, QObject *parent = nullptr);
    ~RedisConnection() override;

    // Thread-safe. Starts connecting (and reconnecting after failures); no-op if open.
    void open();
    // Thread-safe. Stops reconnecting and drops the connection; commands still in flight
    // are answered with ClientError::Closed. open() may be called again later.
    void close();

    // Thread-safe. Sends argv (e.g. {"SET", key, value}). `handler` runs on `context`'s
    // thread unless `context` was destroyed first. Handlers are never called from inside
    // command() itself; client-side failures arrive through the event loop too.
    // (P)(UN)SUBSCRIBE and MONITOR are refused here: use RedisSubscriber.
    void command(QList<QByteArray> argv, QObject *context, ReplyHandler handler);
    // Thread-safe. Fire and forget (e.g. PUBLISH, EXPIRE): the reply is discarded,
    // server errors are logged.
    void command(QList<QByteArray> argv);

    // Thread-safe.
    State state() const { return m_state.load(); }
    bool isConnected() const { return state() == State::Connected; }

    // Connection thread only.
    const RedisUrl &url() const { return m_url; }
    const RedisConnectionOptions &options() const { return m_options; }
    QString lastError() const { return m_lastError; }
    int inFlight() const { return m_inFlight; }

Q_SIGNALS:
    void stateChanged(sb::cluster::RedisConnection::State state);
    // The handshake succeeded: commands work from now on.
    void connected();
    // The connection went down or an attempt failed; a retry follows unless closed.
    // `reason` never contains the password.
    void disconnected(const QString &reason);
    // The next attempt starts in `delayMs` (for "retrying in 3 s" displays).
    void reconnectScheduled(int delayMs);

private:
    friend class RedisSubscriber;
    struct Pending;

    // For RedisSubscriber: replies and messages of (P)(UN)SUBSCRIBE go to the push
    // handler instead of a per-command callback (hiredis keeps one per channel).
    void setPushHandler(ReplyHandler handler) { m_pushHandler = std::move(handler); }
    bool sendSubscription(const QList<QByteArray> &argv);

    static void onConnect(const redisAsyncContext *context, int status);
    static void onDisconnect(const redisAsyncContext *context, int status);
    static void onReply(redisAsyncContext *context, void *reply, void *privdata);
    static void onPush(redisAsyncContext *context, void *reply, void *privdata);

    void openHere();
    void closeHere();
    void startAttempt();
    void connectTo(const QString &address);
    void startHandshake();
    void becomeConnected();
    void fail(const QString &reason);
    void dropContext();
    void scheduleReconnect();
    void setState(State state);
    void send(QList<QByteArray> argv, std::unique_ptr<Pending> pending);
    bool sendRaw(
        const QList<QByteArray> &argv, void (*callback)(redisAsyncContext *, void *, void *), void *privdata);
    void sendInternal(QList<QByteArray> argv, ReplyHandler handler);
    void deliver(Pending &pending, const RedisReply &reply, bool queued);

    const RedisUrl m_url;
    const RedisConnectionOptions m_options;
    const QString m_logName;
    redisAsyncContext *m_context = nullptr;
    std::atomic<State> m_state { State::Unconnected };
    quint64 m_generation = 0; // bumped per attempt, so late callbacks of old ones are ignored
    bool m_wanted = false; // open() called and no close() since
    int m_inFlight = 0;
    int m_handshakePending = 0;
    int m_failures = 0; // consecutive failed attempts, drives the back-off
    QString m_lastError;
    QTimer *m_retryTimer = nullptr;
    QTimer *m_connectTimer = nullptr;
    ReplyHandler m_pushHandler;
};

} // namespace sb::cluster
