#include "cluster/RedisHashWriter.h"

#include "cluster/RedisConnection.h"

#include <algorithm>
#include <memory>

namespace sb::cluster {

RedisHashWriter::RedisHashWriter(RedisConnection *redis, RedisKeys keys)
    : m_redis(redis)
    , m_keys(std::move(keys))
{ }

void RedisHashWriter::write(const QByteArray &key, const QMap<QByteArray, QByteArray> &fields, int ttlSeconds)
{
    if (fields.isEmpty())
        return;
    QList<QByteArray> argv { "HSET", key };
    for (auto it = fields.cbegin(); it != fields.cend(); ++it)
        argv << it.key() << it.value();
    m_redis->command(std::move(argv));
    m_redis->command({ "EXPIRE", key, QByteArray::number(ttlSeconds) });
}

void RedisHashWriter::publish(
    const QString &nodeId, const QMap<QByteArray, QByteArray> &fields, int ttlSeconds)
{
    write(m_keys.node(nodeId), fields, ttlSeconds);
    // Every time, not once: a list() may have taken the id out while this replica was cut off.
    m_redis->command({ "SADD", m_keys.nodeIndex(), nodeId.toUtf8() });
}

void RedisHashWriter::remove(const QString &nodeId)
{
    m_redis->command({ "DEL", m_keys.node(nodeId) });
    m_redis->command({ "SREM", m_keys.nodeIndex(), nodeId.toUtf8() });
}

void RedisHashWriter::list(QObject *context, ListHandler handler)
{
    RedisConnection *redis = m_redis;
    const RedisKeys keys = m_keys;
    redis->command(
        { "SMEMBERS", keys.nodeIndex() }, context, [redis, keys, context, handler](const RedisReply &ids) {
            if (!ids.isArray())
                return handler(false, {});
            if (ids.size() == 0)
                return handler(true, {});
            // One HGETALL per id, pipelined; their replies come in order on the context's thread.
            struct Gathering
            {
                qsizetype pending = 0;
                bool ok = true;
                QList<Announced> nodes;
            };
            auto gathering = std::make_shared<Gathering>();
            gathering->pending = ids.size();
            for (const RedisReply &idReply : ids.elements()) {
                const QByteArray id = idReply.bytes();
                redis->command({ "HGETALL", keys.node(QString::fromUtf8(id)) }, context,
                    [redis, keys, id, gathering, handler](const RedisReply &hash) {
                        if (!hash.isArray()) {
                            gathering->ok = false;
                        } else if (hash.size() == 0) {
                            redis->command({ "SREM", keys.nodeIndex(), id }); // expired: a dead replica
                        } else {
                            Announced node { QString::fromUtf8(id), {} };
                            for (qsizetype i = 0; i + 1 < hash.size(); i += 2)
                                node.fields.insert(hash.at(i).bytes(), hash.at(i + 1).bytes());
                            gathering->nodes.append(std::move(node));
                        }
                        if (--gathering->pending > 0)
                            return;
                        std::sort(gathering->nodes.begin(), gathering->nodes.end(),
                            [](const Announced &a, const Announced &b) { return a.id < b.id; });
                        handler(gathering->ok, gathering->ok ? gathering->nodes : QList<Announced>());
                    });
            }
        });
}

void RedisHashWriter::open(
    const QString &sessionId, const QMap<QByteArray, QByteArray> &fields, int ttlSeconds)
{
    write(m_keys.session(sessionId), fields, ttlSeconds);
}

void RedisHashWriter::touch(const QString &sessionId, int ttlSeconds)
{
    m_redis->command({ "EXPIRE", m_keys.session(sessionId), QByteArray::number(ttlSeconds) });
}

void RedisHashWriter::close(const QString &sessionId)
{
    m_redis->command({ "DEL", m_keys.session(sessionId) });
}

} // namespace sb::cluster
