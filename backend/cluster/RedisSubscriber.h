#pragma once

#include "cluster/RedisConnection.h"

#include <QByteArray>
#include <QObject>
#include <QSet>

namespace sb::cluster {

// A dedicated pub/sub connection (Redis forbids ordinary commands on a subscribed
// connection, so this never shares one with RedisConnection::command()).
//
// It keeps the *wanted* set of channels and patterns itself and, after every
// (re)connect, subscribes all of them again before anything else: a plain hiredis
// subscription silently dies with its TCP connection, which is how pub/sub consumers
// elsewhere stop receiving without any error. Messages published while the
// connection is down are lost (Redis pub/sub keeps nothing); callers who need replay
// use streams.
//
// Threading as RedisConnection: lives on one thread, signals are emitted there;
// open(), close(), subscribe() and friends may be called from any thread.
class RedisSubscriber : public QObject
{
    Q_OBJECT

public:
    explicit RedisSubscriber(RedisUrl url, RedisConnectionOptions options = {}, QObject *parent = nullptr);
    ~RedisSubscriber() override;

    void open();
    void close();

    // Idempotent. Takes effect at once when connected, else at the next connect.
    void subscribe(const QByteArray &channel);
    void psubscribe(const QByteArray &pattern);
    // After this returns (on the subscriber's thread) no message() for it is emitted.
    void unsubscribe(const QByteArray &channel);
    void punsubscribe(const QByteArray &pattern);

    // Subscriber thread only.
    QSet<QByteArray> channels() const { return m_channels; }
    QSet<QByteArray> patterns() const { return m_patterns; }
    bool isConnected() const { return m_connection->isConnected(); }
    // For its state signals (connected, disconnected, reconnectScheduled...).
    RedisConnection *connection() const { return m_connection; }

Q_SIGNALS:
    void message(const QByteArray &channel, const QByteArray &payload);
    void patternMessage(const QByteArray &pattern, const QByteArray &channel, const QByteArray &payload);
    // The server confirmed a channel or pattern (again after each reconnect): from now
    // on publishes to it reach us.
    void subscribed(const QByteArray &channelOrPattern);

private:
    void resubscribeAll();
    void sendAll(const QByteArray &verb, const QSet<QByteArray> &names);
    void handlePush(const RedisReply &reply);
    void change(QSet<QByteArray> &set, const QByteArray &verb, const QByteArray &name, bool add);

    RedisConnection *m_connection;
    QSet<QByteArray> m_channels;
    QSet<QByteArray> m_patterns;
};

} // namespace sb::cluster
