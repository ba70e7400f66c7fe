#pragma once

#include <QHash>
#include <QHostAddress>
#include <QMutex>
#include <QObject>

namespace sb::node {

// Open connections per client address, across every worker thread, against
// --limit-connections-per-address: without it one address could hold every connection of
// the node and lock everyone else out. An IPv4-mapped IPv6 address counts as its IPv4
// address. Loopback is counted like any other address unless the node is told to exempt it
// (a devcluster's replicas, the demo and the benchmarks serve every client from 127.0.0.1).
class AddressConnectionLimit
{
public:
    // One place taken, given back when this is destroyed. Made a child of the connection's
    // socket, it lives exactly as long as the socket, whoever deletes it: a connection to
    // the socket's destroyed() would not do, since QWebSocket disconnects every connection
    // of its transport's signals when it goes.
    class Place : public QObject
    {
    public:
        Place(AddressConnectionLimit *limit, const QHostAddress &address, QObject *socket);
        ~Place() override;

    private:
        AddressConnectionLimit *m_limit;
        QHostAddress m_address;
    };

    // False when `address` already holds `limit` connections; otherwise counts one more
    // (an exempt loopback address is let through uncounted).
    bool tryAcquire(const QHostAddress &address, int limit, bool exemptLoopback);
    // Once for each successful tryAcquire(), when that connection is gone.
    void release(const QHostAddress &address);
    int openFrom(const QHostAddress &address) const;

private:
    static QHostAddress normalized(const QHostAddress &address);

    mutable QMutex m_mutex;
    QHash<QHostAddress, int> m_open; // only addresses with connections open
};

} // namespace sb::node
