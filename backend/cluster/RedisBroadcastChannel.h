#pragma once

#include "cluster/BroadcastChannel.h"
#include "cluster/RedisKeys.h"
#include "cluster/RedisUrl.h"

#include <QObject>

#include <atomic>
#include <mutex>

namespace sb::cluster {

class RedisConnection;
class RedisSubscriber;

// Stage 2 over Redis pub/sub: PUBLISH sb:bus:broadcast on the shared command connection
// (each message framed with its stage-1 origin, see BroadcastOrigin), and a dedicated
// subscriber connection that re-subscribes after every reconnect. Lives on the thread of
// `redis` (create it there or move it); send() works from any thread.
class RedisBroadcastChannel : public QObject, public BroadcastChannel
{
    Q_OBJECT
public:
    RedisBroadcastChannel(
        RedisConnection *redis, RedisUrl url, RedisKeys keys = RedisKeys(), QObject *parent = nullptr);
    ~RedisBroadcastChannel() override;

    void setHandler(Handler handler) override { m_handler = std::move(handler); }
    void setSubscribedHandler(SubscribedHandler handler) override { m_onSubscribed = std::move(handler); }
    bool start(QString *error) override;
    // From any thread. Once it returns, no handler runs or will run (one that was running
    // on the channel's thread has returned): the bus that owns the handlers may go. The
    // subscriber's close itself is asynchronous (it runs on the channel's thread).
    void stop() override;
    // One command for all of them (PUBLISH, or a script that PUBLISHes each in turn), so a
    // connection lost and found again in between can never let a later message through
    // without an earlier one. Answers once Redis replied: taken (the number of receivers
    // does not matter: a replica not subscribed now catches up from stage 1), or refused or
    // lost (then all of them are sent again, and receivers drop the repeats).
    void send(const QList<BroadcastMessage> &messages, SendCallback done) override;
    bool isReady() const override { return m_subscribed.load(); }
    bool isWritable() const override;
    // For tests: the subscriber connection (e.g. to watch it reconnect).
    RedisSubscriber *subscriber() const { return m_subscriber; }

Q_SIGNALS:
    void readyChanged(bool ready);

private:
    RedisConnection *m_redis;
    RedisKeys m_keys;
    RedisSubscriber *m_subscriber; // child: follows the channel to its thread
    Handler m_handler;
    SubscribedHandler m_onSubscribed;
    std::atomic<bool> m_subscribed { false };
    // Held while a handler runs and by stop(); recursive so that a handler that stops the
    // channel does not wait for itself.
    std::recursive_mutex m_handlerMutex;
    bool m_stopped = false; // under m_handlerMutex
};

} // namespace sb::cluster
