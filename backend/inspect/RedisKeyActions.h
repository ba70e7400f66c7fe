#pragma once

#include "inspect/RedisActionResult.h"

#include <QObject>

namespace sb::cluster {
class RedisConnection;
}

namespace sb::inspect {

// DEL, EXPIRE and PERSIST on one key, each answered with finished() carrying the key's
// PTTL afterwards (read in the same pipeline), so the browser's TTL column is exact.
// Confirmation and the read-only rule are the caller's (the view's) business; this class
// only executes. Lives on the connection's thread; the methods are thread-safe.
class RedisKeyActions : public QObject
{
    Q_OBJECT

public:
    explicit RedisKeyActions(sb::cluster::RedisConnection *connection, QObject *parent = nullptr);

    void deleteKey(const QByteArray &key);
    void expireKey(const QByteArray &key, qint64 seconds);
    void persistKey(const QByteArray &key);

Q_SIGNALS:
    void finished(const sb::inspect::RedisActionResult &result);

private:
    void run(RedisActionResult::Action action, const QByteArray &key, QList<QByteArray> argv);

    sb::cluster::RedisConnection *m_connection;
};

} // namespace sb::inspect
