#include "cluster/RedisBroadcastChannel.h"

#include "cluster/RedisConnection.h"
#include "cluster/RedisSubscriber.h"

namespace sb::cluster {

RedisBroadcastChannel::RedisBroadcastChannel(
    RedisConnection *redis, RedisUrl url, RedisKeys keys, QObject *parent)
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
    connect(m_subscriber, &RedisSubscriber::message, this,
        [this, channel](const QByteArray &from, const QByteArray &message) {
            const std::lock_guard lock(m_handlerMutex);
            if (from != channel || !m_handler || m_stopped)
                return;
            QByteArray payload;
            const BroadcastOrigin origin = BroadcastOrigin::unframe(message, &payload);
            m_handler(payload,
                BusHop { .medium = BusHop::Medium::Redis,
                    .topic = from,
                    .partition = -1,
                    .offset = -1,
                    .key = {} },
                origin);
        });
    connect(m_subscriber, &RedisSubscriber::subscribed, this, [this, channel](const QByteArray &name) {
        if (name != channel)
            return;
        if (!m_subscribed.exchange(true))
            emit readyChanged(true);
        const std::lock_guard lock(m_handlerMutex);
        if (m_onSubscribed && !m_stopped)
            m_onSubscribed();
    });
    connect(m_subscriber->connection(), &RedisConnection::disconnected, this, [this] {
        if (m_subscribed.exchange(false))
            emit readyChanged(false);
    });
}

RedisBroadcastChannel::~RedisBroadcastChannel() = default;

bool RedisBroadcastChannel::start(QString *)
{
    {
        const std::lock_guard lock(m_handlerMutex);
        m_stopped = false;
    }
    m_subscriber->subscribe(m_keys.broadcastChannel());
    m_subscriber->open();
    return true;
}

void RedisBroadcastChannel::stop()
{
    {
        // Waits for a handler running on the channel's thread: after this, none runs
        // (a message already read may still arrive there; it is dropped).
        const std::lock_guard lock(m_handlerMutex);
        m_stopped = true;
    }
    if (m_subscriber)
        m_subscriber->close();
    m_subscribed.store(false);
}

bool RedisBroadcastChannel::isWritable() const
{
    return m_redis->isConnected();
}

void RedisBroadcastChannel::send(const QList<BroadcastMessage> &messages, SendCallback done)
{
    if (messages.isEmpty())
        return done(QString());
    // Through command(), not the fire-and-forget form: the relay commits stage 1 only once
    // Redis answered, and a connection lost before the answer counts as not sent.
    QList<QByteArray> argv;
    if (messages.size() == 1) {
        argv = { QByteArrayLiteral("PUBLISH"), m_keys.broadcastChannel() };
    } else {
        // A script runs whole or stops at its first error: never message k+1 without k.
        argv = { QByteArrayLiteral("EVAL"),
            QByteArrayLiteral("for i = 1, #ARGV do redis.call('PUBLISH', KEYS[1], ARGV[i]) end return #ARGV"),
            QByteArrayLiteral("1"), m_keys.broadcastChannel() };
    }
    argv.reserve(argv.size() + messages.size());
    for (const BroadcastMessage &message : messages)
        argv.append(BroadcastOrigin::frame(message.payload, message.origin));
    m_redis->command(std::move(argv), this, [done = std::move(done)](const RedisReply &reply) {
        if (reply.isInteger())
            done(QString());
        else
            done(reply.errorMessage().isEmpty() ? QStringLiteral("PUBLISH failed") : reply.errorMessage());
    });
}

} // namespace sb::cluster
