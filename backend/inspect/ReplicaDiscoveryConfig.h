#pragma once

#include "cluster/RedisUrl.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QUrl>

#include <optional>

namespace sb::inspect {

// Where ReplicaDiscovery finds replicas. Any combination of the three sources works; with
// none configured it reports "not configured" rather than an empty cluster.
struct ReplicaDiscoveryConfig
{
    // (a) The Switchboard registry: sb:node:{id} hashes in Redis.
    std::optional<sb::cluster::RedisUrl> redis;
    QByteArray keyPrefix = QByteArrayLiteral("sb:");

    // (b) Prometheus endpoints, e.g. http://host:8080/metrics or a Spring app's
    // /actuator/prometheus, and the series that counts connections: a metric name, with
    // optional label matchers (`spring_websocket_sessions{state="open"}`). Samples with a
    // `transport` label of stomp/ws/websocket count as WebSocket, sse as SSE.
    QList<QUrl> prometheusEndpoints;
    QString connectionMetric = QStringLiteral("sb_connections");

    // (c) /admin/stats URLs, with a bearer token, or admin credentials used to log in at
    // the same origin (POST /api/auth/login).
    QList<QUrl> adminStatsUrls;
    QByteArray adminToken;
    QString adminUser;
    QString adminPassword;

    int pollIntervalMs = 1000;
    int httpTimeoutMs = 2000; // per request (transfer timeout)
    int maxBackoffMs = 30000; // a failing endpoint is retried after 1, 2, 4 ... s up to this
    int forgetDownAfterSeconds = 3600; // a down replica leaves the table after this
    // A replica that was draining when it went left on purpose: shown "left" for this long,
    // then retired from the table (a rolling restart does not leave a row per old replica).
    int forgetLeftAfterSeconds = 60;
    // Replicas asked directly (3 requests each) per poll while the registry cannot speak for
    // them, the longest-unasked first: a Redis outage in a 2,000-replica cluster costs 192
    // requests a second, not 6,000; the others keep what they said last.
    int maxDirectProbesPerPoll = 64;
    // Replicas the registry lists asked "alive?" per poll (one GET /healthz/ready each,
    // ReplicaLivenessChecks), the longest-unasked first: up to this many replicas a killed one
    // is down within one poll, beyond it within ceil(n / this) polls (at most its key's TTL).
    int maxLivenessChecksPerPoll = 256;

    // Replicas an earlier session saw (id -> host:port), so a console started while the
    // registry cannot be read still has replicas to ask directly instead of an empty list.
    // Asked only until the registry first answers: then it speaks for who exists.
    QHash<QString, QString> rememberedAddresses;

    bool isEmpty() const { return !redis && prometheusEndpoints.isEmpty() && adminStatsUrls.isEmpty(); }
};

} // namespace sb::inspect
