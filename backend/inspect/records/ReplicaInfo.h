#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace sb::inspect {

// What the console knows about one replica after a poll: a plain record, merged from the
// registry hash, /metrics and /admin/stats. A figure the sources did not give stays
// nullopt (shown as "—"), never a made-up zero.
struct ReplicaInfo
{
    // Up: answering, readiness unknown or false. Unready: alive (its /healthz/live answers)
    // but its /healthz/ready says it takes no traffic, and why (stateReason), e.g. while Redis
    // is unreachable: not down, it still holds its connections. Ready: accepts traffic.
    // Draining: shutting down. Down: no source sees it and its own probes fail (kept, with
    // the time), including one killed in the middle of its drain. Left: its drain finished
    // and it went on purpose (a SIGTERM drain, a rolling restart), as its registry entry's
    // last word says (left=1, RegistryAnnouncer::markLeft): not an error, not counted down,
    // kept a short while (ReplicaDiscoveryConfig::forgetLeftAfterSeconds) so the operator sees
    // where it went.
    enum class State { Up, Unready, Ready, Draining, Down, Left };

    QString id;
    QString address;
    State state = State::Up;
    QDateTime stateSince; // when it entered `state` (first seen, for a new replica)
    QDateTime started; // process start, if a source says
    QDateTime lastSeen; // last time a source answered for it
    QString source; // "registry", "metrics", "admin", or a '+' joined combination
    QString detail; // why it is down, or the last source error; empty when healthy
    QString stateReason; // a few words after the state's name ("Redis unreachable"); Unready only
    QString version;
    std::optional<qint64> wsConnections;
    std::optional<qint64> sseConnections;
    std::optional<qint64> otherConnections; // e.g. a Spring gauge without a transport label
    std::optional<qint64> subscriptions;
    std::optional<double> messagesInPerSecond;
    std::optional<double> messagesOutPerSecond;
    std::optional<qint64> heartbeatTimeouts;
    // Connections it dropped for not reading (outbound queue past --limit-outbound-bytes):
    // sb_dropped_total{reason="slow_consumer"}, a counter since the replica started.
    std::optional<qint64> slowConsumerDrops;
    QStringList kafkaGroups; // the consumer groups it announces (registry only)
    // Of those, the ones that read a never-committed partition from its start (registry
    // field kafkaGroupsFromStart; absent from older nodes: none).
    QStringList kafkaGroupsFromStart;

    bool isDown() const { return state == State::Down; }
    // Not running any more, whether it died (Down) or left (Left): no figure of it is live.
    bool isGone() const { return state == State::Down || state == State::Left; }
    // "alive, not ready: Redis unreachable", "ready", "down"...
    QString stateText() const
    {
        return stateReason.isEmpty() ? stateName(state)
                                     : stateName(state) + QStringLiteral(": ") + stateReason;
    }
    // A stable key for state.json and scripts: up, unready, ready, draining, down, left.
    static QString stateKey(State state)
    {
        return state == State::Unready ? QStringLiteral("unready") : stateName(state);
    }
    // WebSocket + SSE (+ other); nullopt when no source counts connections.
    std::optional<qint64> totalConnections() const
    {
        if (!wsConnections && !sseConnections && !otherConnections)
            return std::nullopt;
        return wsConnections.value_or(0) + sseConnections.value_or(0) + otherConnections.value_or(0);
    }

    static QString stateName(State state)
    {
        switch (state) {
        case State::Up:
            return QStringLiteral("up");
        case State::Unready:
            return QStringLiteral("alive, not ready");
        case State::Ready:
            return QStringLiteral("ready");
        case State::Draining:
            return QStringLiteral("draining");
        case State::Down:
            return QStringLiteral("down");
        case State::Left:
            return QStringLiteral("left");
        }
        return {};
    }
};

} // namespace sb::inspect

Q_DECLARE_METATYPE(sb::inspect::ReplicaInfo)
