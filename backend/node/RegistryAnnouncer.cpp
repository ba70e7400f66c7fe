#include "node/RegistryAnnouncer.h"

#include "cluster/EventBus.h"
#include "cluster/NodeRegistry.h"
#include "node/NodeMetrics.h"
#include "node/NodeReadiness.h"

namespace sb::node {

namespace {
QByteArray rate(qint64 delta, qint64 elapsedMs)
{
    return QByteArray::number(elapsedMs > 0 ? double(delta) * 1000.0 / double(elapsedMs) : 0.0, 'f', 2);
}
} // namespace

RegistryAnnouncer::RegistryAnnouncer(NodeIdentity identity, QString address, const NodeMetrics *metrics,
    const NodeReadiness *readiness, cluster::NodeRegistry *registry, const cluster::EventBus *bus,
    QObject *parent)
    : QObject(parent)
    , m_identity(std::move(identity))
    , m_address(std::move(address))
    , m_metrics(metrics)
    , m_readiness(readiness)
    , m_registry(registry)
    , m_bus(bus)
{
    m_timer.setInterval(kIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &RegistryAnnouncer::announce);
}

void RegistryAnnouncer::start()
{
    m_lastIn = m_metrics->messagesAll(NodeMetrics::Direction::In);
    m_lastOut = m_metrics->messagesAll(NodeMetrics::Direction::Out);
    m_sinceLast.start();
    announce();
    m_timer.start();
}

void RegistryAnnouncer::announce()
{
    publish(false, kTtlSeconds);
}

void RegistryAnnouncer::publish(bool left, int ttlSeconds)
{
    const NodeMetrics &metrics = *m_metrics;
    const qint64 in = metrics.messagesAll(NodeMetrics::Direction::In);
    const qint64 out = metrics.messagesAll(NodeMetrics::Direction::Out);
    const qint64 elapsedMs = m_sinceLast.restart();
    m_registry->publish(m_identity.id,
        { { "address", m_address.toUtf8() }, { "version", QByteArrayLiteral(SB_VERSION) },
            { "bootId", m_identity.bootId.toUtf8() },
            { "started", QByteArray::number(m_identity.startedAtMs) },
            { "ready", m_readiness->isReady() ? "1" : "0" },
            { "draining", m_readiness->isDraining() ? "1" : "0" },
            // Written every time: a replica started again under the same id clears its
            // predecessor's mark (HSET keeps the fields it is not given).
            { "left", left ? "1" : "0" },
            { "ws", QByteArray::number(metrics.connections(NodeMetrics::Transport::Stomp)) },
            { "sse", QByteArray::number(metrics.connections(NodeMetrics::Transport::Sse)) },
            { "subscriptions", QByteArray::number(metrics.subscriptions()) },
            { "msgsInPerSec", rate(in - m_lastIn, elapsedMs) },
            { "msgsOutPerSec", rate(out - m_lastOut, elapsedMs) },
            { "heartbeatTimeouts", QByteArray::number(metrics.heartBeatTimeouts()) },
            // The console's slow-consumer alert reads it here when it has no /metrics URL.
            { "slowConsumerDrops",
                QByteArray::number(metrics.droppedCount(QByteArrayLiteral("slow_consumer"))) },
            { "kafkaGroups", m_bus ? m_bus->consumerGroups().join(',') : QByteArray() },
            { "kafkaGroupsFromStart", m_bus ? m_bus->consumerGroupsFromStart().join(',') : QByteArray() } },
        ttlSeconds);
    m_lastIn = in;
    m_lastOut = out;
}

void RegistryAnnouncer::markLeft()
{
    m_timer.stop();
    publish(true, kLeftMarkTtlSeconds);
}

} // namespace sb::node
