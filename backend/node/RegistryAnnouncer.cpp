#include "node/RegistryAnnouncer.h"

#include "cluster/EventBus.h"
#include "cluster/NodeRegistry.h"
#include "node/NodeServices.h"

namespace sb::node {

namespace {
QByteArray rate(qint64 delta, qint64 elapsedMs)
{
    return QByteArray::number(elapsedMs > 0 ? double(delta) * 1000.0 / double(elapsedMs) : 0.0, 'f', 2);
}
} // namespace

RegistryAnnouncer::RegistryAnnouncer(NodeServices *services, QString address, QObject *parent)
    : QObject(parent)
    , m_services(services)
    , m_address(std::move(address))
{
    m_timer.setInterval(kIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &RegistryAnnouncer::announce);
}

void RegistryAnnouncer::start()
{
    m_lastIn = m_services->metrics.messagesAll(NodeMetrics::Direction::In);
    m_lastOut = m_services->metrics.messagesAll(NodeMetrics::Direction::Out);
    m_sinceLast.start();
    announce();
    m_timer.start();
}

void RegistryAnnouncer::announce()
{
    const NodeMetrics &metrics = m_services->metrics;
    const qint64 in = metrics.messagesAll(NodeMetrics::Direction::In);
    const qint64 out = metrics.messagesAll(NodeMetrics::Direction::Out);
    const qint64 elapsedMs = m_sinceLast.restart();
    m_services->registry->publish(m_services->config.id,
        { { "address", m_address.toUtf8() }, { "version", QByteArrayLiteral(SB_VERSION) },
            { "bootId", m_services->bootId.toUtf8() },
            { "started", QByteArray::number(m_services->startedAtMs) },
            { "ready", m_services->isReady() ? "1" : "0" },
            { "draining", m_services->draining.load() ? "1" : "0" },
            { "ws", QByteArray::number(metrics.connections(NodeMetrics::Transport::Stomp)) },
            { "sse", QByteArray::number(metrics.connections(NodeMetrics::Transport::Sse)) },
            { "subscriptions", QByteArray::number(metrics.subscriptions()) },
            { "msgsInPerSec", rate(in - m_lastIn, elapsedMs) },
            { "msgsOutPerSec", rate(out - m_lastOut, elapsedMs) },
            { "heartbeatTimeouts", QByteArray::number(metrics.heartBeatTimeouts()) },
            // The console's slow-consumer alert reads it here when it has no /metrics URL.
            { "slowConsumerDrops",
                QByteArray::number(metrics.droppedCount(QByteArrayLiteral("slow_consumer"))) },
            { "kafkaGroups", m_services->bus ? m_services->bus->consumerGroups().join(',') : QByteArray() } },
        kTtlSeconds);
    m_lastIn = in;
    m_lastOut = out;
}

void RegistryAnnouncer::withdraw()
{
    m_timer.stop();
    m_services->registry->remove(m_services->config.id);
}

} // namespace sb::node
