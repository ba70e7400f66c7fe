#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QThread>

#include <functional>

namespace sb::cluster {
class RedisConnection;
}

namespace sb::inspect {
class RedisSessionReader;
}

namespace sb::app {

// One user's sessions and tokens as the replicas keep them in Redis (docs/protocol.md, the
// key table), for the revoke action's watch (FaultRevokeWatch). They are the user's part of
// a pass of the Sessions lens' reader (inspect::RedisSessionReader: every sb:session:{id}
// hash and sb:token:{jti} in one SCAN), plus the one thing that pass does not read: when
// each of the user's replicas' current run started (sb:node:{id} `started`), so a session a
// killed run left behind (it expires with its TTL) is told from one the replica holds now.
//
// Asked from the caller's thread, answered there by callback (dropped with the context
// object); the hiredis connection and the reader live on a thread of its own, made at the
// first read.
class FaultSessionReader : public QObject
{
    Q_OBJECT
public:
    struct Session
    {
        QString node;
        qint64 sinceMs = 0;
    };
    struct Reading
    {
        bool ok = false;
        QString error; // why not ok
        QHash<QString, Session> sessions; // the user's, by session id
        QStringList tokens; // the jtis of the user's tokens in the registry (sb:token:{jti} = user)
        QHash<QString, qint64> nodeStartedMs; // replica id → its run's start, as it announces it
    };
    using Done = std::function<void(const Reading &)>;

    // `redisUrl`: the cluster's Redis, asked at the first read (it is known once it runs).
    explicit FaultSessionReader(std::function<QString()> redisUrl, QObject *parent = nullptr);
    ~FaultSessionReader() override;

    // The next pass the reader finishes (the one under way, if any), then the `started` of
    // the replicas holding the user's sessions.
    void read(const QString &user, QObject *context, Done done);

private:
    void readStarts(const Reading &reading, QObject *context, const Done &done);
    bool ensureReader(QString *why);

    std::function<QString()> m_redisUrl;
    QThread m_thread;
    cluster::RedisConnection *m_redis = nullptr; // lives on m_thread
    inspect::RedisSessionReader *m_sessions = nullptr; // m_redis's child
};

} // namespace sb::app
