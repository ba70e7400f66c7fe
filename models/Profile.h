#pragma once

#include <QString>
#include <QStringList>

namespace sb::models {

// A saved cluster: where its Redis and Kafka are and how to find its replicas.
struct Profile
{
    QString name;
    QString redisUrl;           // redis://[user@]host:port/db
    QString redisPassword;      // kept on disk only when rememberPassword is set
    bool rememberPassword = false;
    QString kafkaBootstrap;     // host:port,...
    QStringList kafkaProperties; // key=value lines passed to librdkafka (SASL/SSL)
    QStringList kafkaGroups;    // groups to watch where the broker cannot list them
    bool useRegistry = true;    // discover replicas from sb:node:* in Redis
    QStringList prometheusEndpoints;
    QString connectionMetric = QStringLiteral("sb_connections");
    QStringList adminStatsUrls;
    // An admin of the replicas: it reads /admin/stats and every replica's /admin/tap (Traffic).
    QString adminUser;
    QString adminPassword; // kept on disk only when rememberPassword is set, like the Redis one
    bool readOnly = false;

    // Empty when the profile can be used; otherwise what is wrong, for the dialog.
    QString validationError() const;
};

} // namespace sb::models
