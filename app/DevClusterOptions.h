#pragma once

#include <QString>

namespace sb::app {

// `switchboard devcluster`: an embedded Kafka, a redis-server child and N node children.
struct DevClusterOptions
{
    int replicas = 3;
    QString bus = QStringLiteral("kafka"); // kafka | redis
    QString kafkaBootstrap;                // empty: librdkafka's mock cluster
    QString redisUrl;                      // empty: a redis-server child on a free port
    QString topicPrefix = QStringLiteral("switchboard");
    double demoTrafficPerSecond = 0; // > 0: demo clients and messages (DemoTraffic) once ready
    bool childLogs = false;          // the children's own log lines on stderr, "node-1 | …"
};

} // namespace sb::app
