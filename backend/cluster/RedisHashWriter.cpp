#include "cluster/RedisHashWriter.h"

#include "cluster/RedisConnection.h"

namespace sb::cluster {

RedisHashWriter::RedisHashWriter(RedisConnection *redis, RedisKeys keys)
    : m_redis(redis)
    , m_keys(std::move(keys))
{
}

void RedisHashWriter::write(const QByteArray &key, const QMap<QByteArray, QByteArray> &fields, int ttlSeconds)
{
    if (fields.isEmpty())
        return;
    QList<QByteArray> argv{"HSET", key};
    for (auto it = fields.cbegin(); it != fields.cend(); ++it)
        argv << it.key() << it.value();
    m_redis->command(std::move(argv));
    m_redis->command({"EXPIRE", key, QByteArray::number(ttlSeconds)});
}

void RedisHashWriter::publish(const QString &nodeId, const QMap<QByteArray, QByteArray> &fields, int ttlSeconds)
{
    write(m_keys.node(nodeId), fields, ttlSeconds);
}

void RedisHashWriter::remove(const QString &nodeId)
{
    m_redis->command({"DEL", m_keys.node(nodeId)});
}

void RedisHashWriter::open(const QString &sessionId, const QMap<QByteArray, QByteArray> &fields, int ttlSeconds)
{
    write(m_keys.session(sessionId), fields, ttlSeconds);
}

void RedisHashWriter::touch(const QString &sessionId, int ttlSeconds)
{
    m_redis->command({"EXPIRE", m_keys.session(sessionId), QByteArray::number(ttlSeconds)});
}

void RedisHashWriter::close(const QString &sessionId)
{
    m_redis->command({"DEL", m_keys.session(sessionId)});
}

} // namespace sb::cluster
