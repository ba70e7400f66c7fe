#pragma once

#include "app/DemoReplica.h"

#include <QByteArray>
#include <QObject>
#include <QStringList>
#include <QTcpSocket>

namespace sb::app {

// The "slow consumer" fault: a WebSocket client, written by hand over a QTcpSocket, that
// opens a STOMP session, subscribes to `channels` and /topic/presence, and then never reads
// again (a tiny receive buffer, nothing taken from it). Once the replica's kernel send
// buffer for it is full (a devcluster's replicas bound it, --limit-socket-send-buffer-bytes
// 16 KiB, which Linux doubles; autotuned it grows to megabytes on loopback), the node queues
// its frames, and drops it as a slow consumer when the oldest has waited
// `--limit-outbound-age-ms` (10 s) or the queue passes `--limit-outbound-bytes` (1 MiB),
// whichever comes first: an ERROR frame, then the close (docs/protocol.md, "Limits").
// QWebSocket cannot be made to stop reading, hence the raw socket.
class SlowConsumer : public QObject
{
    Q_OBJECT
public:
    static constexpr int kReceiveBufferBytes = 4096;

    SlowConsumer(DemoReplica replica, QByteArray token, QStringList channels, QObject *parent = nullptr);

    void start();
    // True once its SUBSCRIBEs went out and it stopped reading.
    bool isStalled() const { return m_stalled; }

private:
    void onHandshakeBytes();
    void sendText(const QByteArray &payload);

    DemoReplica m_replica;
    QByteArray m_token;
    QStringList m_channels;
    QTcpSocket m_socket;
    QByteArray m_head;
    bool m_stalled = false;
};

} // namespace sb::app
