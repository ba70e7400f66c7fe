#pragma once

#include "node/NodeIdentity.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

namespace sb::cluster {
class EventBus;
class NodeRegistry;
} // namespace sb::cluster

namespace sb::node {

class NodeMetrics;
class NodeReadiness;

// Announces this replica in the cluster's NodeRegistry (sb:node:{id}) every second with a
// TTL of 5 s: address, version, started, ready, draining, connections, subscriptions,
// message rates, heart-beat timeouts and the Kafka consumer groups it consumes with. This is how the console
// discovers replicas, and why a crashed one vanishes within 5 s. markLeft() ends it at the end of a
// finished drain: one last entry with left=1, kept kLeftMarkTtlSeconds, so a reader can tell a replica
// that left on purpose from one whose entry merely expired (killed, even in the middle of its drain).
class RegistryAnnouncer : public QObject
{
    Q_OBJECT
public:
    static constexpr int kIntervalMs = 1000;
    static constexpr int kTtlSeconds = 5;
    // Long enough for a console polling every few seconds to read the mark at least once.
    static constexpr int kLeftMarkTtlSeconds = 30;

    // metrics, readiness, registry, bus: the replica's, which outlive the announcer; the bus
    // names the Kafka consumer groups.
    RegistryAnnouncer(NodeIdentity identity, QString address, const NodeMetrics *metrics,
        const NodeReadiness *readiness, cluster::NodeRegistry *registry, const cluster::EventBus *bus,
        QObject *parent = nullptr);

    void start();
    // The drain finished: announces no more and leaves the mark "left" (not a deletion: an
    // entry that vanished says nothing of why). Call it before the listener closes.
    void markLeft();
    void announce();

private:
    void publish(bool left, int ttlSeconds);

    const NodeIdentity m_identity;
    const QString m_address;
    const NodeMetrics *m_metrics;
    const NodeReadiness *m_readiness;
    cluster::NodeRegistry *m_registry;
    const cluster::EventBus *m_bus;
    QTimer m_timer;
    QElapsedTimer m_sinceLast;
    qint64 m_lastIn = 0;
    qint64 m_lastOut = 0;
};

} // namespace sb::node
