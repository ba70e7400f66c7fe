#pragma once

#include "cluster/BusCounter.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QMutex>

#include <array>
#include <atomic>

namespace sb::node {

// The replica's counters, shared by all worker threads. Hot-path counters are lock-free
// atomics; the labelled counters for rare events (drops, auth failures) take a mutex.
// Rendered as Prometheus text for /metrics and as JSON for /admin/stats.
class NodeMetrics
{
public:
    enum class Transport { Stomp, Sse, Http, Count };
    enum class Direction { In, Out, Count };

    void connectionOpened(Transport t) { m_connections[idx(t)].fetch_add(1, std::memory_order_relaxed); }
    void connectionClosed(Transport t) { m_connections[idx(t)].fetch_sub(1, std::memory_order_relaxed); }
    qint64 connections(Transport t) const { return m_connections[idx(t)].load(std::memory_order_relaxed); }
    qint64 totalConnections() const;

    void subscriptionsChanged(int delta) { m_subscriptions.fetch_add(delta, std::memory_order_relaxed); }
    qint64 subscriptions() const { return m_subscriptions.load(std::memory_order_relaxed); }

    void message(Transport t, Direction d, qint64 count = 1);
    qint64 messages(Transport t, Direction d) const;
    qint64 messagesAll(Direction d) const;

    void heartBeatTimeout() { m_heartBeatTimeouts.fetch_add(1, std::memory_order_relaxed); }
    qint64 heartBeatTimeouts() const { return m_heartBeatTimeouts.load(std::memory_order_relaxed); }

    // An access token accepted on its signature alone while the token registry was
    // unreachable (--auth-fail-open-seconds).
    void authFailOpen() { m_authFailOpen.fetch_add(1, std::memory_order_relaxed); }
    qint64 authFailOpenCount() const { return m_authFailOpen.load(std::memory_order_relaxed); }

    void dropped(const QByteArray &reason, qint64 count = 1);
    // Which limit dropped a slow consumer (outbound_bytes, outbound_age, replay_held):
    // sb_slow_consumers_total{limit}. The drop itself is counted as every drop is, in
    // sb_dropped_total{reason="slow_consumer"} (the total the console and alerts read).
    void slowConsumer(const QByteArray &limit);
    qint64 slowConsumerCount(const QByteArray &limit) const;
    // Bytes the connections have queued and the kernel has not taken (OutboundBacklog):
    // sb_outbound_queued_bytes, and what MemoryTrimmer watches fall.
    void outboundQueued(qint64 delta) { m_outboundQueued.fetch_add(delta, std::memory_order_relaxed); }
    qint64 outboundQueuedBytes() const { return m_outboundQueued.load(std::memory_order_relaxed); }
    void authFailure(const QByteArray &reason);
    qint64 droppedCount(const QByteArray &reason) const;
    qint64 authFailureCount(const QByteArray &reason) const;

    void observeDeliveryLatency(double seconds);

    QByteArray prometheusText(const QByteArray &nodeId, bool ready, bool draining) const;
    // The bus adapter's own figures (EventBus::counters()), in the same exposition format.
    static QByteArray busPrometheusText(const QList<cluster::BusCounter> &counters);
    QJsonObject toJson() const;

    static const char *transportName(Transport t);

private:
    static constexpr std::size_t idx(Transport t) { return std::size_t(t); }
    static constexpr std::array<double, 12> kLatencyBuckets { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
        0.1, 0.25, 0.5, 1.0, 2.5 };

    std::array<std::atomic<qint64>, std::size_t(Transport::Count)> m_connections {};
    std::atomic<qint64> m_subscriptions { 0 };
    std::array<std::atomic<qint64>, std::size_t(Transport::Count) * std::size_t(Direction::Count)>
        m_messages {};
    std::atomic<qint64> m_heartBeatTimeouts { 0 };
    std::atomic<qint64> m_authFailOpen { 0 };
    std::atomic<qint64> m_outboundQueued { 0 };
    std::array<std::atomic<qint64>, kLatencyBuckets.size() + 1> m_latencyBuckets {};
    std::atomic<qint64> m_latencyCount { 0 };
    std::atomic<qint64> m_latencySumMicros { 0 };

    mutable QMutex m_labelledMutex;
    QMap<QByteArray, qint64> m_dropped;
    QMap<QByteArray, qint64> m_authFailures;
    QMap<QByteArray, qint64> m_slowConsumers; // by limit
};

} // namespace sb::node
