#pragma once

#include "cluster/RedisKeys.h"
#include "cluster/ReplayStore.h"

#include <QObject>

#include <memory>

namespace sb::cluster {

class RedisConnection;

// ReplayStore on Redis Streams: sb:sse:{user} and sb:history:{channel}, each entry
// {id, type, data}, capped with XADD MAXLEN ~ so Redis trims in whole macro-nodes (cheap).
// A replay reads the (bounded) stream and resumes after the entry whose id field matches.
// persistOnce() guards the writes with SET sb:persisted:{messageId} NX, so a redelivered
// stage-1 record stores nothing twice.
class RedisReplayStore : public ReplayStore
{
public:
    RedisReplayStore(RedisConnection *redis, int capacity = 1000, RedisKeys keys = RedisKeys());
    ~RedisReplayStore() override;

    void append(const QString &user, const ReplayEvent &event) override;
    void readAfter(const QString &user, const QString &lastEventId, QObject *context,
        std::function<void(const ReplayResult &)> done) override;
    void readChannelAfter(const QString &channel, const QString &lastEventId, QObject *context,
        std::function<void(const ReplayResult &)> done) override;
    // Waits for Redis on the calling thread (bounded): call it from a consumer thread,
    // never from the Redis connection's own thread or a worker.
    bool persistOnce(const PersistRequest &request, QString *error) override;

    static ReplayResult resultAfter(const class RedisReply &range, const QString &lastEventId);

private:
    QList<QByteArray> xadd(const QByteArray &key, const ReplayEvent &event) const;
    void readStream(const QByteArray &key, const QString &lastEventId, QObject *context,
        std::function<void(const ReplayResult &)> done);

    RedisConnection *m_redis;
    int m_capacity;
    RedisKeys m_keys;
    std::unique_ptr<QObject> m_replyContext; // lives on the connection's thread
};

} // namespace sb::cluster
