#pragma once

#include "inspect/ReplicaInfo.h"
#include "protocol/PrometheusTextParser.h"

#include <QByteArray>
#include <QJsonObject>
#include <QMap>

#include <optional>

namespace sb::inspect {

// Turns what each source says about a replica into a ReplicaInfo. Pure and tolerant:
// unknown fields are ignored, a missing or unreadable field leaves its figure unknown.
// Counters (messages in/out) come back raw so the caller can turn them into rates.
class ReplicaDecoder
{
public:
    struct Counters
    {
        std::optional<double> messagesIn;
        std::optional<double> messagesOut;
    };

    // sb:node:{id}: address, started, ready, draining, left, ws, sse, subscriptions,
    // msgsInPerSec, msgsOutPerSec, heartbeatTimeouts, slowConsumerDrops, version. left=1 (a
    // finished drain's last entry) is State::Left, with no live figure.
    static ReplicaInfo fromRegistryHash(const QString &id, const QMap<QByteArray, QByteArray> &fields);

    // GET /admin/stats (docs/protocol.md). `fallbackId` when the JSON names no node.
    static ReplicaInfo fromAdminStats(
        const QJsonObject &stats, const QString &fallbackId, Counters *counters);

    // A Prometheus scrape. `series` selects the connection-count samples (name plus label
    // matchers); `fallbackId` (the endpoint's host:port) when no sb_node_ready{node} names it.
    // *problem is set when the scrape lacks the connection series (the replica is still up).
    static ReplicaInfo fromPrometheus(const sb::protocol::PrometheusTextParser::Result &scrape,
        const sb::protocol::PrometheusTextParser::Sample &series, const QString &fallbackId,
        Counters *counters, QString *problem);

    // Epoch seconds, epoch milliseconds (told apart by size) or ISO 8601; invalid otherwise.
    static QDateTime parseTime(const QByteArray &text);
    // 1/0, true/false, yes/no.
    static std::optional<bool> parseBool(const QByteArray &text);
    static std::optional<qint64> parseCount(const QByteArray &text);
    static std::optional<double> parseRate(const QByteArray &text);

    // The state from readiness and draining flags of an answering replica.
    static ReplicaInfo::State stateFrom(std::optional<bool> ready, std::optional<bool> draining);
};

} // namespace sb::inspect
