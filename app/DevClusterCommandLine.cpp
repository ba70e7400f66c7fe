#include "app/DevClusterCommandLine.h"

#include "app/CommandLineSupport.h"

#include <QCommandLineParser>

namespace sb::app {

CommandLineOutcome DevClusterCommandLine::parse(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addOption(
        { QStringLiteral("replicas"), QStringLiteral("Number of node processes to start (1-32, default 3)."),
            QStringLiteral("N"), QStringLiteral("3") });
    parser.addOption(
        { QStringLiteral("bus"), QStringLiteral("Stage-2 broadcast bus: kafka or redis (default kafka)."),
            QStringLiteral("BUS"), QStringLiteral("kafka") });
    parser.addOption({ QStringLiteral("kafka"),
        QStringLiteral("Use this Kafka bootstrap instead of the embedded mock cluster."),
        QStringLiteral("HOST:PORT,...") });
    parser.addOption({ QStringLiteral("redis"),
        QStringLiteral("Use this Redis instead of a redis-server child."), QStringLiteral("URL") });
    parser.addOption({ QStringLiteral("kafka-property"),
        QStringLiteral("A librdkafka property every replica's Kafka clients get (as 'switchboard node "
                       "--kafka-property'; repeatable), e.g. fetch.wait.max.ms=5."),
        QStringLiteral("KEY=VALUE") });
    parser.addOption({ QStringLiteral("users"),
        QStringLiteral("A users file every replica also reads (as 'switchboard node --users'), "
                       "besides the demo users: e.g. a load test's accounts and channels."),
        QStringLiteral("FILE") });
    parser.addOption(
        { QStringLiteral("topic-prefix"), QStringLiteral("Kafka topic prefix (default switchboard)."),
            QStringLiteral("PREFIX"), QStringLiteral("switchboard") });
    parser.addOption({ QStringLiteral("demo-traffic"),
        QStringLiteral("Once ready, demo clients (a STOMP session and an SSE stream per replica) and "
                       "RATE messages a second to channel 'general' (0-100, default 0: none)."),
        QStringLiteral("RATE"), QStringLiteral("0") });
    parser.addOption({ QStringLiteral("redis-restart-after-ms"),
        QStringLiteral("Restart a redis-server child that died, on the same port, after MS "
                       "milliseconds, doubling after each failed start up to 30 s "
                       "(0-600000, default 1000; 0: never)."),
        QStringLiteral("MS"), QStringLiteral("1000") });
    const FaultControlLimits controlDefaults;
    parser.addOption({ QStringLiteral("control-max-connections"),
        QStringLiteral("Connections the fault control endpoint holds open at once; the next is "
                       "answered 503 (1-1024, default %1).")
            .arg(controlDefaults.maxConnections),
        QStringLiteral("N"), QString::number(controlDefaults.maxConnections) });
    parser.addOption({ QStringLiteral("control-idle-timeout-ms"),
        QStringLiteral("A control request not complete within MS milliseconds is answered 408 "
                       "(100-600000, default %1).")
            .arg(controlDefaults.idleTimeoutMs),
        QStringLiteral("MS"), QString::number(controlDefaults.idleTimeoutMs) });
    parser.addOption({ QStringLiteral("control-max-body-bytes"),
        QStringLiteral("A control request body larger than this is answered 413 (64-%1, default %2).")
            .arg(protocol::FaultRequest::kMaxBodyBytes)
            .arg(controlDefaults.maxBodyBytes),
        QStringLiteral("BYTES"), QString::number(controlDefaults.maxBodyBytes) });
    parser.addOption({ QStringLiteral("child-logs"),
        QStringLiteral("Copy each child's log lines (the replicas' warnings, redis-server's) to "
                       "stderr, prefixed with its name.") });

    const QString header = QStringLiteral(
        "switchboard devcluster: librdkafka's mock Kafka cluster (3 brokers), a redis-server\n"
        "child and N 'switchboard node' children, all on loopback. Prints one line\n"
        "'ready {json}' with every endpoint once all are ready; SIGTERM stops them all.\n\n");
    if (auto stop
        = CommandLineSupport::parse(parser, arguments, header, QStringLiteral("switchboard devcluster")))
        return *stop;
    if (!parser.positionalArguments().isEmpty())
        return CommandLineOutcome::usageError(
            QStringLiteral("devcluster: unexpected argument '%1'").arg(parser.positionalArguments().first()));

    QString error;
    const auto replicas
        = CommandLineSupport::integerOption(parser, QStringLiteral("replicas"), 1, 32, &error);
    if (!replicas)
        return CommandLineOutcome::usageError(error);
    m_options.replicas = *replicas;
    const auto restartAfter = CommandLineSupport::integerOption(
        parser, QStringLiteral("redis-restart-after-ms"), 0, 600000, &error);
    if (!restartAfter)
        return CommandLineOutcome::usageError(error);
    m_options.redisRestartAfterMs = *restartAfter;
    const auto controlConnections = CommandLineSupport::integerOption(
        parser, QStringLiteral("control-max-connections"), 1, 1024, &error);
    if (!controlConnections)
        return CommandLineOutcome::usageError(error);
    m_options.controlLimits.maxConnections = *controlConnections;
    const auto controlIdle = CommandLineSupport::integerOption(
        parser, QStringLiteral("control-idle-timeout-ms"), 100, 600000, &error);
    if (!controlIdle)
        return CommandLineOutcome::usageError(error);
    m_options.controlLimits.idleTimeoutMs = *controlIdle;
    const auto controlBody = CommandLineSupport::integerOption(parser,
        QStringLiteral("control-max-body-bytes"), 64, int(protocol::FaultRequest::kMaxBodyBytes), &error);
    if (!controlBody)
        return CommandLineOutcome::usageError(error);
    m_options.controlLimits.maxBodyBytes = *controlBody;

    m_options.bus = parser.value(QStringLiteral("bus"));
    if (m_options.bus != u"kafka" && m_options.bus != u"redis")
        return CommandLineOutcome::usageError(
            QStringLiteral("--bus: expected 'kafka' or 'redis', got '%1'").arg(m_options.bus));
    m_options.kafkaBootstrap = parser.value(QStringLiteral("kafka"));
    m_options.redisUrl = parser.value(QStringLiteral("redis"));
    m_options.topicPrefix = parser.value(QStringLiteral("topic-prefix"));
    m_options.kafkaProperties = parser.values(QStringLiteral("kafka-property"));
    for (const QString &property : std::as_const(m_options.kafkaProperties)) {
        // The replica checks the key and value (librdkafka's own error, at start); an entry
        // without a key is refused here, before anything starts.
        if (property.indexOf(QLatin1Char('=')) < 1)
            return CommandLineOutcome::usageError(
                QStringLiteral("--kafka-property: expected KEY=VALUE, got '%1'").arg(property));
    }
    m_options.usersFile = parser.value(QStringLiteral("users"));
    const auto rate
        = CommandLineSupport::decimalOption(parser, QStringLiteral("demo-traffic"), 0, 100, &error);
    if (!rate)
        return CommandLineOutcome::usageError(error);
    m_options.demoTrafficPerSecond = *rate;
    m_options.childLogs = parser.isSet(QStringLiteral("child-logs"));
    return CommandLineOutcome::proceed();
}

} // namespace sb::app
