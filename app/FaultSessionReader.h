#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QThread>

#include <functional>
#include <memory>

namespace sb::cluster {
class RedisConnection;
}

namespace sb::app {

// One user's sessions and tokens as the replicas keep them in Redis (docs/protocol.md, the
// key table), for the revoke action's watch (FaultRevokeWatch): the sb:session:{id} hashes
// of that user (a replica writes one when a client authenticates and deletes it when the
// session ends), its token index sb:user-tokens:{user}, which of the tokens asked about
// still exist (sb:token:{jti}; revoking deletes them), and when each replica's current run
// started (sb:node:{id} `started`), so a session a killed run left behind (it expires with
// its TTL) is told from one the replica holds now.
//
// Asked from the caller's thread, answered there by callback (dropped with the context
// object); the hiredis connection lives on a thread of its own, made at the first read.
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
        QStringList indexedTokens; // the jtis in the user's token index now
        QStringList liveTokens; // of the tokens asked about, those still in the registry
        QHash<QString, qint64> nodeStartedMs; // replica id → its run's start, as it announces it
    };
    using Done = std::function<void(const Reading &)>;

    // `redisUrl`: the cluster's Redis, asked at the first read (it is known once it runs).
    explicit FaultSessionReader(std::function<QString()> redisUrl, QObject *parent = nullptr);
    ~FaultSessionReader() override;

    // A SCAN of the session keys (COUNT bounded), their user, node and since, the user's
    // token index, EXISTS for each of `tokens`, and each replica's `started`.
    void read(const QString &user, const QStringList &tokens, QObject *context, Done done);

private:
    struct Pass;
    void scan(const std::shared_ptr<Pass> &pass, const QByteArray &cursor);
    void readKeys(const std::shared_ptr<Pass> &pass);
    bool ensureConnection(QString *why);

    std::function<QString()> m_redisUrl;
    QThread m_thread;
    cluster::RedisConnection *m_redis = nullptr; // lives on m_thread
};

} // namespace sb::app
