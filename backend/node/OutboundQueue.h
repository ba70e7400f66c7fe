#pragma once

#include "node/OutboundBacklog.h"

#include <QByteArray>
#include <QList>
#include <QMetaObject>
#include <QPointer>

class QTcpSocket;

namespace sb::node {

class LingeringSocket;
class NodeMetrics;

// What a connection sends goes through here to its TCP socket: straight to the kernel with
// one send(2) while the socket has nothing queued (Linux), into QTcpSocket's buffer for what
// the kernel refuses, but never more than kSocketShare there: beyond it, whole units (the
// WebSocket frames or SSE events the caller writes, each write one or more whole ones) wait
// here and go to the socket as it drains. So when a slow consumer is dropped, what waits here
// is dropped with it (dropWaiting) and its ERROR or closing comment goes out right after the
// little the socket still holds: behind a 1 MiB or 10 s backlog it would come only after the
// client had read all of it, and the lingering close (2 s) would reset the connection first.
// Everything queued, here and in the socket, is the connection's OutboundBacklog (its age,
// the node-wide total). Touched only from the socket's thread.
//
// The limits ask pending() and waitedLongerThan() for every frame a connection is given, so
// those read only counts kept here: the socket's buffer is counted exactly at every write
// and every drain (bytesWritten), where the socket is touched anyway, and a bit written
// around the queue (a close frame, the tap's QWebSocket's own frames) counts from the next
// of them. Asking QTcpSocket per frame touched its private data for every subscriber, and a
// steady_clock read cost ~250 ns on this VM; neither moved the node's CPU per delivery
// measurably, whose cost is the subscribers' cold memory (docs/benchmarks.md, "CPU per
// delivery: the queue's bookkeeping").
class OutboundQueue
{
public:
    static constexpr qint64 kSocketShare = 64 * 1024;

    // socket: the connection's (it may go first); metrics: where the backlog is added up.
    OutboundQueue(QTcpSocket *socket, NodeMetrics *metrics);
    ~OutboundQueue(); // what waits goes to the socket, if it is still there
    OutboundQueue(const OutboundQueue &) = delete;
    OutboundQueue &operator=(const OutboundQueue &) = delete;

    // Whole units, in order after everything written before.
    void write(const QByteArray &units);
    // Bytes queued: in the socket and waiting here, as counted at the last write or drain.
    qint64 pending() const { return m_inSocket + m_waitingBytes; }
    // How long the oldest of them has waited (0 when none); the clock is read only then.
    qint64 ageMs() const;
    // Whether the oldest has waited longer than `ms`: the limit's question per frame. A yes
    // is confirmed against the socket's own count first (a drain the counts missed).
    bool waitedLongerThan(qint64 ms);
    // Counts the socket's buffer again (after a flush of the socket by someone else).
    void recount();
    // A slow consumer: what waits here goes unsent (what the socket holds is the end of what
    // the client gets). Returns the bytes dropped.
    qint64 dropWaiting();
    // Before a close or a write that bypasses the queue (a close frame): what waits here goes
    // to the socket now, so nothing overtakes it.
    void handAllToSocket();

private:
    void refill(); // the socket drained: more waiting units go to it

    QPointer<QTcpSocket> m_socket;
    LingeringSocket *m_lingering; // m_socket, when it is one (the node's always are)
    // A QList: empty, it allocates nothing (libstdc++'s std::deque allocated ~600 bytes as it
    // was made, for every connection, most of which never queue a byte here).
    QList<QByteArray> m_waiting;
    qint64 m_waitingBytes = 0;
    qint64 m_inSocket = 0; // QTcpSocket::bytesToWrite() when last asked
    OutboundBacklog m_backlog;
    QMetaObject::Connection m_drained;
};

} // namespace sb::node
