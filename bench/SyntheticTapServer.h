#pragma once

#include "SyntheticTapFrames.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>

class QTcpServer;
class QTcpSocket;
class QWebSocketServer;

namespace sb::node {
class NodeMetrics;
class TapReader;
} // namespace sb::node

// One replica's /admin/tap, standing in for a node: a QWebSocketServer on a loopback
// ephemeral port that accepts the upgrade on /admin/tap (a bearer token is not checked:
// the console under test sends one, and the node's own authentication is not what is
// measured; a POST, a console's admin login, is answered with a token) and hands the socket to the node's own
// node::TapReader, so what a slow reader costs is the node's real policy (10,000 frames queued, 1 MiB unsent;
// beyond that frames are dropped, counted and announced in a {"type":"dropped"} notice). Once started it
// writes SyntheticTapFrames at `framesPerSecond`, paced every 2 ms in small bursts against
// the clock (a late tick sends what fell due, up to 100 ms' worth), numbered 1, 2, … so a
// reader can count exactly what it lost. Lives on a thread of its own; the counters are
// readable from any thread.
class SyntheticTapServer : public QObject
{
public:
    SyntheticTapServer(QString node, int replicaIndex, double framesPerSecond);
    ~SyntheticTapServer() override;

    // Server thread (queue or block from elsewhere).
    quint16 listen(); // 0 when it cannot
    void startSending();
    // Stops generating; the frames already handed to the reader are flushed (or dropped,
    // counted) by the reader before `done` runs, so the counters are final then.
    void stopSending(const std::function<void()> &done);

    // Any thread.
    bool readerAttached() const { return m_attached.load(); }
    qint64 generated() const { return m_generated.load(); }
    qint64 droppedByNode() const { return m_dropped.load(); }
    qint64 kindCount(SyntheticTapFrames::Kind kind) const { return m_kinds[int(kind)].load(); }
    qint64 generatedBytes() const { return m_bytes.load(); }

private:
    void routeRequest(QTcpSocket *socket); // an admin login answered here, an upgrade handed on
    void onNewConnection();
    void tick();

    QString m_node;
    double m_rate;
    SyntheticTapFrames m_frames;
    QTcpServer *m_tcp = nullptr;
    QWebSocketServer *m_server = nullptr;
    std::unique_ptr<sb::node::NodeMetrics> m_metrics;
    QPointer<sb::node::TapReader> m_reader;
    QTimer m_timer;
    QElapsedTimer m_clock;
    std::atomic<bool> m_attached { false };
    std::atomic<qint64> m_generated { 0 };
    std::atomic<qint64> m_dropped { 0 };
    std::atomic<qint64> m_bytes { 0 };
    std::atomic<qint64> m_kinds[int(SyntheticTapFrames::Kind::Count)] = {};
};
