#pragma once

#include "cluster/NodeRegistry.h"

#include <QDeadlineTimer>
#include <QMutex>
#include <QObject>

#include <memory>

namespace sb::cluster {

class NodeListAnswer;

// A NodeRegistry whose list() answers from the last reading while it is younger than
// maxAgeMs, and lets concurrent callers share one reading in flight. GET /api/replicas is
// public and the chat page calls it on every load and failover: when a replica dies, every
// browser on it asks the survivors at once, and each uncached call is an SMEMBERS and one
// HGETALL per replica on Redis. A failed reading (Redis unreachable) is kept as long, so an
// outage is not hammered either. publish() and remove() go straight through.
//
// Thread-safe. Handlers run on their context's thread, never from inside list(), and are
// dropped if the context goes first (a fresh reading is a queued call to the context, each
// waiter's answer a queued signal to it). The reading itself is taken on the thread this
// object was created on, which must run an event loop (the node's main thread).
class CachedNodeRegistry : public NodeRegistry
{
public:
    CachedNodeRegistry(NodeRegistry *inner, int maxAgeMs);
    ~CachedNodeRegistry() override;

    void publish(const QString &nodeId, const QMap<QByteArray, QByteArray> &fields, int ttlSeconds) override;
    void remove(const QString &nodeId) override;
    void list(QObject *context, ListHandler handler) override;

    // How many readings went to the inner registry.
    quint64 readings() const;

private:
    void startReading(); // on m_home's thread
    void finishReading(bool ok, const QList<Announced> &nodes);

    NodeRegistry *m_inner;
    const int m_maxAgeMs;
    std::unique_ptr<QObject> m_home; // the inner list()'s context
    mutable QMutex m_mutex;
    bool m_readingInFlight = false;
    QDeadlineTimer m_fresh; // until when the reading below may be served (expired at first)
    bool m_ok = false;
    QList<Announced> m_nodes;
    QList<NodeListAnswer *> m_waiting; // each lives on its caller's thread
    quint64 m_readings = 0;
};

} // namespace sb::cluster
