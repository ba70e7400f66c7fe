#include "cluster/RedisBroadcastChannel.h"

#include "cluster/RedisConnection.h"
#include "cluster/RedisSubscriber.h"

namespace sb::cluster {

RedisBroadcastChannel::RedisBroadcastChannel(RedisConnection *redis, RedisUrl url, RedisKeys keys, QObject *parent)
    : QObject(parent)
    , m_redis(redis)
    , m_keys(std::move(keys))
{
    // Made here, as a child, so that moving the channel to the Redis thread moves it too.
    RedisConnectionOptions options = redis->options();
    if (!options.name.isEmpty())
        options.name += QStringLiteral("-bus");
    m_subscriber = new RedisSubscriber(std::move(url), options, this);
    const QByteArray channel = m_keys.broadcastChannel();
    connect(m_subscriber, &RedisSubscriber::message, this, [this, channel](const QByteArray &from, const QByteArray &payload) {
        if (from == channel && m_handler)
            m_handler(payload, BusHop{.medium = BusHop::Medium::Redis, .topic = from, .partition = -1, .offset = -1, .key = {}});
    });
    connect(m_subscriber, &RedisSubscriber::subscribed, this, [this, channel](const QByteArray &name) {
        if (name == channel && !m_subscribed.exchange(true))
            emit readyChanged(true);
    });
    connect(m_subscriber->connection(), &RedisConnection::disconnected, this, [this] {
        if (m_subscribed.exchange(false))
            emit readyChanged(false);
    });
}

RedisBroadcastChannel::~RedisBroadcastChannel() = default;

bool RedisBroadcastChannel::start(QString *)
{
    m_subscriber->subscribe(m_keys.broadcastChannel());
    m_subscriber->open();
    return true;
}

void RedisBroadcastChannel::stop()
{
    if (m_subscriber)
        m_subscriber->close();
    m_subscribed.store(false);
}

bool RedisBroadcastChannel::send(const QByteArray &payload)
{
    if (!m_redis->isConnected())
        return false;
    m_redis->command({QByteArrayLiteral("PUBLISH"), m_keys.broadcastChannel(), payload});
    return true;
}

} // namespace sb::cluster
