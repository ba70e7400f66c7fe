#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace sb::cluster {
class RedisConnection;
}

namespace sb::inspect {

// The Redis area's latency figure: every intervalMs one PING on the area's own connection,
// timed from send to answer on the connection's thread. It measures the server as the
// console meets it (a command queued on that connection before the PING counts too). A
// PING still unanswered at the next tick is reported at its age so far: a server that
// stopped answering (hiredis has no command timeout) reads as ever slower, never as its
// last good figure. One PING in flight at most; nothing is sent while the connection is
// down, and lost() says the figure is gone until it answers again.
//
// Lives on the connection's thread (created with the area's other workers and moved with
// them); start() is thread-safe.
class RedisLatencyProbe : public QObject
{
    Q_OBJECT
public:
    static constexpr int kDefaultIntervalMs = 2000;

    explicit RedisLatencyProbe(
        cluster::RedisConnection *connection, int intervalMs = kDefaultIntervalMs, QObject *parent = nullptr);

    void start();

signals:
    void measured(qint64 ms); // a round trip, or the age of a PING still unanswered
    void lost(); // the PING's connection went down: no figure

private:
    void tick();

    cluster::RedisConnection *m_connection;
    const int m_intervalMs;
    QTimer m_timer;
    QElapsedTimer m_sent;
    bool m_waiting = false;
};

} // namespace sb::inspect
