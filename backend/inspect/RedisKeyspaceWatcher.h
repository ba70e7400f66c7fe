#pragma once

#include "cluster/RedisUrl.h"
#include "inspect/RedisNotificationState.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QSet>

class QTimer;

namespace sb::cluster {
class RedisConnection;
class RedisSubscriber;
} // namespace sb::cluster

namespace sb::inspect {

// Follows changes to keys through keyspace notifications, when the server has them on.
// check() reads `CONFIG GET notify-keyspace-events`; if keyspace events (K plus event
// classes) are on, it PSUBSCRIBEs `__keyspace@<db>__:*` on its own RedisSubscriber and
// reports changed keys in batches (deduplicated, every 250 ms or 500 keys) through
// keysChanged(). If they are off it says so and offers the CONFIG SET to run; it never
// changes the server's configuration itself. While the server cannot be reached it says
// so (never "Checking…" forever, never "Live" over a dead connection); check() again once
// the connection is back.
//
// Lives on the connection's thread; check() and stop() are thread-safe.
class RedisKeyspaceWatcher : public QObject
{
    Q_OBJECT

public:
    static constexpr int FlushMs = 250;
    static constexpr int MaxKeysPerFlush = 500;
    static constexpr int MaxKeysPerWindow
        = 2000; // beyond this per flush window, events are counted, not followed

    RedisKeyspaceWatcher(
        sb::cluster::RedisConnection *connection, sb::cluster::RedisUrl url, QObject *parent = nullptr);
    ~RedisKeyspaceWatcher() override;

    void check();
    void stop();

    // The flags to suggest: the current ones plus K g $ h x z (keyspace channel; generic,
    // string, hash, expired and sorted-set events: what sessions and tokens produce).
    static QString suggestedFlags(const QString &current);
    static bool keyspaceEventsOn(const QString &flags);

Q_SIGNALS:
    void stateChanged(const sb::inspect::RedisNotificationState &state);
    void keysChanged(const QList<QByteArray> &keys);

private:
    void checkHere();
    void onDisconnected(const QString &reason);
    void subscribe();
    void onMessage(const QByteArray &channel);
    void flush();
    void setState(RedisNotificationState state);

    sb::cluster::RedisConnection *m_connection;
    const sb::cluster::RedisUrl m_url;
    sb::cluster::RedisSubscriber *m_subscriber = nullptr;
    QByteArray m_channelPrefix;
    QSet<QByteArray> m_changed;
    qsizetype m_keysThisWindow = 0;
    qint64 m_droppedReported = 0;
    RedisNotificationState m_state;
    QTimer *m_flushTimer;
};

} // namespace sb::inspect
