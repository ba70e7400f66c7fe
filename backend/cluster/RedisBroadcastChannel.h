#pragma once

#include "cluster/BroadcastChannel.h"
#include "cluster/RedisKeys.h"
#include "cluster/RedisUrl.h"

#include <QObject>

#include <atomic>

namespace sb::cluster {

class RedisConnection;
class RedisSubscriber;

// Stage 2 over Redis pub/sub: PUBLISH sb:bus:broadcast on the shared command connection,
// and a dedicated subscriber connection that re-subscribes after every reconnect. Lives
// on the thread of `redis` (create it there or move it); send() works from any thread.
class RedisBroadcastChannel : public QObject, public BroadcastChannel
{
    Q_OBJECT
public:
    RedisBroadcastChannel(RedisConnection *redis, RedisUrl url, RedisKeys keys = RedisKeys(), QObject *parent = nullptr);
    ~RedisBroadcastChannel() override;

    void setHandler(Handler handler) override { m_handler = std::move(handler); }
    bool start(QString *error) override;
    void stop() override;
    bool send(const QByteArray &payload) override;
    bool isReady() const override { return m_subscribed.load(); }

Q_SIGNALS:
    void readyChanged(bool ready);

private:
    RedisConnection *m_redis;
    RedisKeys m_keys;
    RedisSubscriber *m_subscriber; // child: follows the channel to its thread
    Handler m_handler;
    std::atomic<bool> m_subscribed{false};
};

} // namespace sb::cluster
