#pragma once

#include "app/FaultControlLimits.h"

#include <QString>
#include <QStringList>

namespace sb::app {

// `switchboard devcluster`: an embedded Kafka, a redis-server child and N node children.
struct DevClusterOptions
{
    int replicas = 3;
    QString bus = QStringLiteral("kafka"); // kafka | redis
    QString kafkaBootstrap; // empty: librdkafka's mock cluster
    QString redisUrl; // empty: a redis-server child on a free port
    QString topicPrefix = QStringLiteral("switchboard");
    // librdkafka properties (KEY=VALUE) handed to every replica as --kafka-property, e.g.
    // fetch.wait.max.ms: the mock cluster holds a fetch that finds no data for all of it
    // (docs/benchmarks.md, "Scenario 6").
    QStringList kafkaProperties;
    QString usersFile; // non-empty: every node also reads it (--users), e.g. the demo population's
    double demoTrafficPerSecond = 0; // > 0: demo clients and messages (DemoTraffic) once ready
    bool childLogs = false; // the children's own log lines on stderr, "node-1 | …"
    // A redis-server child that dies is started again on the same port after this long,
    // doubling after each failed start up to kRedisRestartMaxMs; 0: never (a test that
    // needs Redis to stay down, e.g. to look at the console during the outage).
    int redisRestartAfterMs = 1000;
    static constexpr int kRedisRestartMaxMs = 30000;
    // The fault control endpoint's bounds (--control-max-connections, …).
    FaultControlLimits controlLimits;
};

} // namespace sb::app
