#pragma once

#include <QtGlobal>

namespace sb::node {

// Every bound a replica enforces. Each is configurable (--limit-* options, SB_LIMIT_*
// environment variables, the config file), counted in sb_dropped_total{reason} when hit,
// and documented in docs/protocol.md.
struct NodeLimits
{
    qsizetype maxFrameBytes = 64 * 1024; // one STOMP frame, and one WebSocket message
    qsizetype maxHeadersPerFrame = 64;
    int maxSubscriptionsPerSession = 100;
    int maxConnections = 10000; // WebSocket + SSE + plain HTTP, per node
    int maxConnectionsPerAddress = 256; // of those, from one client address
    bool exemptLoopbackFromAddressLimit = false; // devcluster, demo and benchmarks set it
    int maxSseStreamsPerUser = 5;
    qint64 maxOutboundQueueBytes = 1024 * 1024; // per connection; beyond it: slow consumer
    // The oldest byte a connection has queued and the kernel has not taken may wait this long;
    // a client further behind is a slow consumer (0: no such limit). Unlike the byte limit it
    // trips when every connection lags a little (OutboundBacklog).
    int maxOutboundAgeMs = 10000;
    // SO_SNDBUF of each accepted socket (0: the kernel's autotuning, up to tcp_wmem's 4 MiB
    // per stalled client). Linux doubles it (SocketSendBuffer).
    int socketSendBufferBytes = 0;
    qsizetype maxHttpHeaderBytes = 16 * 1024;
    qint64 maxHttpBodyBytes = 64 * 1024;
    int httpHeaderTimeoutMs = 10000; // slowloris: the request head must arrive in time
    // A WebSocket frame begun and not finished is given up (1001) after this long without a
    // byte of it: QWebSocket's 5 s, kept when the node took over reading the frames.
    int webSocketFrameTimeoutMs = 5000;
    int httpIdleTimeoutMs = 60000; // keep-alive connections with nothing to say
    int closeLingerMs = 2000; // a closed connection drains the peer's bytes this long
    int loginAttemptsPerMinutePerUser = 10;
    int loginAttemptsPerMinutePerAddress = 30;
    int replayEventsPerUser = 1000;
    int tapBodyBytes = 512; // bodies in tap frames are cut here
    int tapQueueFrames = 10000; // per tap reader; beyond it frames are dropped
    // Connections the kernel completes for the listener before it accepts them (listen(2)'s
    // backlog; Linux caps it at net.core.somaxconn). QTcpServer's 50 made 1,000 clients
    // connecting at once wait for SYN retransmissions (1 s, then 3 s).
    int listenBacklog = 4096;
};

} // namespace sb::node
