#include "node/NodeMetrics.h"

#include <QMutexLocker>

namespace sb::node {

namespace {
const char *directionName(NodeMetrics::Direction d)
{
    return d == NodeMetrics::Direction::In ? "in" : "out";
}

QByteArray number(double value)
{
    return QByteArray::number(value, 'g', 10);
}
} // namespace

const char *NodeMetrics::transportName(Transport t)
{
    switch (t) {
    case Transport::Stomp:
        return "stomp";
    case Transport::Sse:
        return "sse";
    case Transport::Http:
        return "http";
    case Transport::Count:
        break;
    }
    return "unknown";
}

qint64 NodeMetrics::totalConnections() const
{
    qint64 total = 0;
    for (const auto &c : m_connections)
        total += c.load(std::memory_order_relaxed);
    return total;
}

void NodeMetrics::message(Transport t, Direction d, qint64 count)
{
    m_messages[idx(t) * std::size_t(Direction::Count) + std::size_t(d)].fetch_add(
        count, std::memory_order_relaxed);
}

qint64 NodeMetrics::messages(Transport t, Direction d) const
{
    return m_messages[idx(t) * std::size_t(Direction::Count) + std::size_t(d)].load(
        std::memory_order_relaxed);
}

qint64 NodeMetrics::messagesAll(Direction d) const
{
    qint64 total = 0;
    for (int t = 0; t < int(Transport::Count); ++t)
        total += messages(Transport(t), d);
    return total;
}

void NodeMetrics::dropped(const QByteArray &reason, qint64 count)
{
    QMutexLocker lock(&m_labelledMutex);
    m_dropped[reason] += count;
}

void NodeMetrics::slowConsumer(const QByteArray &limit)
{
    QMutexLocker lock(&m_labelledMutex);
    m_slowConsumers[limit] += 1;
}

qint64 NodeMetrics::slowConsumerCount(const QByteArray &limit) const
{
    QMutexLocker lock(&m_labelledMutex);
    return m_slowConsumers.value(limit);
}

void NodeMetrics::authFailure(const QByteArray &reason)
{
    QMutexLocker lock(&m_labelledMutex);
    m_authFailures[reason] += 1;
}

qint64 NodeMetrics::droppedCount(const QByteArray &reason) const
{
    QMutexLocker lock(&m_labelledMutex);
    return m_dropped.value(reason);
}

qint64 NodeMetrics::authFailureCount(const QByteArray &reason) const
{
    QMutexLocker lock(&m_labelledMutex);
    return m_authFailures.value(reason);
}

void NodeMetrics::observeDeliveryLatency(double seconds)
{
    std::size_t bucket = 0;
    while (bucket < kLatencyBuckets.size() && seconds > kLatencyBuckets[bucket])
        ++bucket;
    m_latencyBuckets[bucket].fetch_add(1, std::memory_order_relaxed);
    m_latencyCount.fetch_add(1, std::memory_order_relaxed);
    m_latencySumMicros.fetch_add(qint64(seconds * 1e6), std::memory_order_relaxed);
}

QByteArray NodeMetrics::busPrometheusText(const QList<cluster::BusCounter> &counters)
{
    QByteArray out;
    for (const cluster::BusCounter &counter : counters) {
        const char *type = counter.kind == cluster::BusCounter::Kind::Gauge ? "gauge" : "counter";
        out += "# HELP " + counter.name + ' ' + counter.help + "\n# TYPE " + counter.name + ' ' + type + '\n';
        out += counter.name + ' ' + QByteArray::number(counter.value, 'f', 0) + '\n';
    }
    return out;
}

QByteArray NodeMetrics::prometheusText(const QByteArray &nodeId, bool ready, bool draining) const
{
    QByteArray out;
    out.reserve(4096);
    auto help = [&out](const char *name, const char *type, const char *text) {
        out += "# HELP " + QByteArray(name) + ' ' + text + "\n# TYPE " + name + ' ' + type + '\n';
    };
    help("sb_connections", "gauge", "Open client connections by transport.");
    for (int t = 0; t < int(Transport::Count); ++t)
        out += "sb_connections{transport=\"" + QByteArray(transportName(Transport(t))) + "\"} "
            + QByteArray::number(connections(Transport(t))) + '\n';
    help("sb_subscriptions", "gauge", "Active STOMP subscriptions.");
    out += "sb_subscriptions " + QByteArray::number(subscriptions()) + '\n';
    help("sb_messages_total", "counter",
        "STOMP frames, SSE events and HTTP publishes by transport and direction.");
    for (int t = 0; t < int(Transport::Count); ++t)
        for (int d = 0; d < int(Direction::Count); ++d)
            out += "sb_messages_total{transport=\"" + QByteArray(transportName(Transport(t)))
                + "\",direction=\"" + directionName(Direction(d)) + "\"} "
                + QByteArray::number(messages(Transport(t), Direction(d))) + '\n';
    help("sb_heartbeat_timeouts_total", "counter",
        "STOMP connections closed after 3 silent heart-beat intervals.");
    out += "sb_heartbeat_timeouts_total " + QByteArray::number(heartBeatTimeouts()) + '\n';
    help("sb_auth_fail_open_total", "counter",
        "Access tokens accepted without the token registry during its outage (--auth-fail-open-seconds).");
    out += "sb_auth_fail_open_total " + QByteArray::number(authFailOpenCount()) + '\n';
    {
        QMutexLocker lock(&m_labelledMutex);
        help("sb_dropped_total", "counter", "Frames, connections or requests refused or dropped, by reason.");
        for (auto it = m_dropped.cbegin(); it != m_dropped.cend(); ++it)
            out += "sb_dropped_total{reason=\"" + it.key() + "\"} " + QByteArray::number(it.value()) + '\n';
        help("sb_slow_consumers_total", "counter",
            "Connections dropped as slow consumers, by the limit that dropped them.");
        for (auto it = m_slowConsumers.cbegin(); it != m_slowConsumers.cend(); ++it)
            out += "sb_slow_consumers_total{limit=\"" + it.key() + "\"} " + QByteArray::number(it.value())
                + '\n';
        help("sb_auth_failures_total", "counter",
            "Rejected credentials, tokens and authorisations, by reason.");
        for (auto it = m_authFailures.cbegin(); it != m_authFailures.cend(); ++it)
            out += "sb_auth_failures_total{reason=\"" + it.key() + "\"} " + QByteArray::number(it.value())
                + '\n';
    }
    help("sb_outbound_queued_bytes", "gauge", "Bytes queued to clients that the kernel has not taken yet.");
    out += "sb_outbound_queued_bytes " + QByteArray::number(outboundQueuedBytes()) + '\n';
    help("sb_delivery_latency_seconds", "histogram",
        "From message creation to its write to a local subscriber.");
    qint64 cumulative = 0;
    for (std::size_t b = 0; b < kLatencyBuckets.size(); ++b) {
        cumulative += m_latencyBuckets[b].load(std::memory_order_relaxed);
        out += "sb_delivery_latency_seconds_bucket{le=\"" + number(kLatencyBuckets[b]) + "\"} "
            + QByteArray::number(cumulative) + '\n';
    }
    cumulative += m_latencyBuckets[kLatencyBuckets.size()].load(std::memory_order_relaxed);
    out += "sb_delivery_latency_seconds_bucket{le=\"+Inf\"} " + QByteArray::number(cumulative) + '\n';
    out += "sb_delivery_latency_seconds_sum " + number(double(m_latencySumMicros.load()) / 1e6) + '\n';
    out += "sb_delivery_latency_seconds_count " + QByteArray::number(m_latencyCount.load()) + '\n';
    help("sb_node_ready", "gauge", "1 when the replica accepts traffic.");
    out += "sb_node_ready{node=\"" + nodeId + "\"} " + (ready ? "1" : "0") + '\n';
    help("sb_node_draining", "gauge", "1 while the replica drains for shutdown.");
    out += "sb_node_draining{node=\"" + nodeId + "\"} " + (draining ? "1" : "0") + '\n';
    return out;
}

QJsonObject NodeMetrics::toJson() const
{
    QJsonObject connectionsJson;
    for (int t = 0; t < int(Transport::Count); ++t)
        connectionsJson.insert(QLatin1String(transportName(Transport(t))), connections(Transport(t)));
    QJsonObject dropped;
    QJsonObject auth;
    QJsonObject slow;
    {
        QMutexLocker lock(&m_labelledMutex);
        for (auto it = m_dropped.cbegin(); it != m_dropped.cend(); ++it)
            dropped.insert(QString::fromLatin1(it.key()), it.value());
        for (auto it = m_slowConsumers.cbegin(); it != m_slowConsumers.cend(); ++it)
            slow.insert(QString::fromLatin1(it.key()), it.value());
        for (auto it = m_authFailures.cbegin(); it != m_authFailures.cend(); ++it)
            auth.insert(QString::fromLatin1(it.key()), it.value());
    }
    return QJsonObject { { QStringLiteral("connections"), connectionsJson },
        { QStringLiteral("subscriptions"), subscriptions() },
        { QStringLiteral("messagesIn"), messagesAll(Direction::In) },
        { QStringLiteral("messagesOut"), messagesAll(Direction::Out) },
        { QStringLiteral("heartBeatTimeouts"), heartBeatTimeouts() }, { QStringLiteral("dropped"), dropped },
        { QStringLiteral("slowConsumers"), slow },
        { QStringLiteral("outboundQueuedBytes"), outboundQueuedBytes() },
        { QStringLiteral("authFailures"), auth }, { QStringLiteral("authFailOpen"), authFailOpenCount() },
        { QStringLiteral("deliveries"), m_latencyCount.load() } };
}

} // namespace sb::node
