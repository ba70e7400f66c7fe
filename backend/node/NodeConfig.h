#pragma once

#include "node/NodeLimits.h"

#include <QByteArray>
#include <QHostAddress>
#include <QString>

namespace sb::node {

// Everything a replica needs to start, already validated (see app/NodeCommandLine).
struct NodeConfig
{
    QString id; // unique per replica, e.g. "node-1"
    QString bootId; // unique per process start; empty: NodeServer makes one
    QHostAddress listenAddress = QHostAddress::LocalHost;
    quint16 listenPort = 8080; // 0: pick a free port
    QByteArray jwtSecret; // HS256 key; random per process when not configured
    bool jwtSecretIsRandom = false;
    QString usersFile;
    bool demoUsers = false;
    int workerThreads = 0; // 0: one per core
    // Worker threads' event loops on epoll (EpollEventDispatcher); false: Qt's (poll or glib).
    bool workersOnEpoll = true;
    // Nagle's algorithm on the connections the node accepts (--tcp-nagle); off: TCP_NODELAY,
    // each write sent at once (Worker::adoptSocket).
    bool tcpNagle = false;
    int graceSeconds = 30;
    // A drain lasts at least this long, even when the last connection closed sooner, so that
    // load balancers' health checks, the registry's readers and the console see it.
    int drainMinSeconds = 3;
    // A replica's presence counts in Redis are leased: renewed every second, reaped by
    // any other replica this long after the last renewal (a replica killed -9).
    int presenceLeaseSeconds = 5;
    int heartBeatMs = 10000; // offered in both directions in CONNECTED
    int sseLifetimeSeconds = 300; // streams close after this so clients reconnect
    int sseCommentSeconds = 15; // idle comment lines that keep proxies from timing out
    int sseRetryMs = 3000;
    int accessTokenSeconds = 900;
    int refreshTokenSeconds = 7 * 24 * 3600;
    int sseTicketSeconds = 30;
    // While the token registry (Redis) is unreachable, an access token issued at most this
    // many seconds ago is accepted on its signature alone; 0: never (fail closed, 503).
    int authFailOpenSeconds = 0;
    QString topicPrefix = QStringLiteral("switchboard");
    NodeLimits limits;
};

} // namespace sb::node
