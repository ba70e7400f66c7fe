#pragma once

#include "inspect/RedisSessionSnapshot.h"

#include <QElapsedTimer>
#include <QObject>

#include <memory>

class QTimer;

namespace sb::cluster {
class RedisConnection;
class RedisReply;
} // namespace sb::cluster

namespace sb::inspect {

// The Sessions lens' reader: one pass over the keyspace with SCAN (MATCH narrowed to the
// session and token prefixes, COUNT bounded) that reads each sb:session:* hash (HMGET
// user node transport since remote + PTTL) and each sb:token:* (GET + PTTL), then emits
// the whole picture as one snapshotReady(), with an error if the SCAN or a read failed (a
// session whose fields went unread is not one without a user). Passes repeat every
// intervalMs, or every 4× the last pass's duration if longer, so a keyspace of millions
// costs the server a bounded share of its time.
//
// Lives on the connection's thread; start()/stop()/refreshNow() are thread-safe.
class RedisSessionReader : public QObject
{
    Q_OBJECT

public:
    RedisSessionReader(sb::cluster::RedisConnection *connection, QByteArray prefix = QByteArrayLiteral("sb:"),
        QObject *parent = nullptr);
    ~RedisSessionReader() override;

    void start(int intervalMs = 5000);
    void stop();
    // A pass now, unless one is under way (its snapshot answers); while not connected, an
    // empty snapshot whose error says so, at once (a caller waiting for a pass is not left
    // waiting for the connection).
    void refreshNow();

    // The MATCH pattern that selects <prefix>session:* and <prefix>token:* in one pass
    // (and a few other names that the client then filters out).
    static QByteArray matchPattern(const QByteArray &prefix);

Q_SIGNALS:
    void snapshotReady(const sb::inspect::RedisSessionSnapshot &snapshot);

private:
    struct Pass;

    void beginPass();
    void scanNext();
    void onScan(const std::shared_ptr<Pass> &pass, const sb::cluster::RedisReply &reply);
    void readKeys(const std::shared_ptr<Pass> &pass, const QList<QByteArray> &keys);
    static void failOnError(
        const std::shared_ptr<Pass> &pass, const char *command, const sb::cluster::RedisReply &reply);
    void maybeFinish(const std::shared_ptr<Pass> &pass);
    void scheduleNext();

    sb::cluster::RedisConnection *m_connection;
    const QByteArray m_sessionPrefix;
    const QByteArray m_tokenPrefix;
    const QByteArray m_pattern;
    int m_intervalMs = 5000;
    qint64 m_lastPassMs = 0;
    bool m_running = false;
    std::shared_ptr<Pass> m_pass; // the pass in progress, if any
    QTimer *m_timer;
};

} // namespace sb::inspect
