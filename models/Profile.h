#pragma once

#include "cluster/RedisUrl.h"
#include "models/AlertThresholds.h"

#include <QString>
#include <QStringList>

namespace sb::models {

// A saved cluster: where its Redis and Kafka are and how to find its replicas.
struct Profile
{
    QString name;
    QString redisUrl; // redis://[user@]host:port/db, never with a password once saved
    QString redisPassword; // kept on disk only when rememberPassword is set
    bool rememberPassword = false;
    QString kafkaBootstrap; // host:port,...
    QStringList kafkaProperties; // key=value lines passed to librdkafka (SASL/SSL)
    QStringList kafkaGroups; // groups to watch where the broker cannot list them
    bool useRegistry = true; // discover replicas from sb:node:* in Redis
    QStringList prometheusEndpoints;
    QString connectionMetric = QStringLiteral("sb_connections");
    QStringList adminStatsUrls;
    // An admin of the replicas: it reads /admin/stats and every replica's /admin/tap (Traffic).
    QString adminUser;
    QString adminPassword; // kept on disk only when rememberPassword is set, like the Redis one
    bool readOnly = false;
    // A `switchboard devcluster`'s control endpoint (the "control" of its ready line): the
    // console's Faults panel then acts on that devcluster. Loopback http only; empty: none.
    QString faultControlUrl;
    AlertThresholds alerts; // the alert rules' thresholds for this cluster (defaults when never edited)

    // Empty when the profile can be used; otherwise what is wrong, for the dialog.
    QString validationError() const;
    // Empty when `url` can be a fault control URL (empty, or http://127.0.0.1:PORT or
    // http://[::1]:PORT); otherwise why not. Only a loopback address: the control endpoint
    // listens on 127.0.0.1, and whoever reaches it can kill the cluster's processes, so the
    // console never sends a fault beyond this machine (a host name could resolve elsewhere).
    static QString faultControlUrlError(const QString &url);

    // The Redis URL to connect with: redisUrl, its missing password taken from
    // redisPassword, so an ACL user's redis://ops@host logs in as ops with the password
    // field. Invalid, with the reason, when the URL is, or when it names a user and no
    // password is given anywhere.
    cluster::RedisUrl redisConnectionUrl() const;
    // The user redisUrl names ("ops" in redis://ops@host), empty for none.
    QString redisUser() const;
    // The passwords the profile needs and lacks: "redis" (its URL names a user, with no
    // password in it or in the field), "admin" (an admin user without a password).
    QStringList missingPasswords() const;
};

} // namespace sb::models
