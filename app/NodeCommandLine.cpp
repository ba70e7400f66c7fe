#include "app/NodeCommandLine.h"

#include "app/CommandLineSupport.h"

#include <QCommandLineParser>
#include <QFile>
#include <QProcessEnvironment>
#include <QRandomGenerator>

#include <functional>
#include <limits>

namespace sb::app {

namespace {
constexpr int kMinSocketSendBufferBytes = 4096;

struct OptionSpec
{
    QString name;
    QString valueName; // empty: a flag
    QString description;
    QString defaultValue;
};

QString envName(const QString &option)
{
    return QStringLiteral("SB_") + option.toUpper().replace(u'-', u'_');
}

QList<OptionSpec> optionSpecs()
{
    const node::NodeConfig d;
    const node::NodeLimits l;
    auto n = [](qint64 v) { return QString::number(v); };
    return {
        { QStringLiteral("config"), QStringLiteral("FILE"),
            QStringLiteral("Read options from FILE (lines 'option = value')."), {} },
        { QStringLiteral("id"), QStringLiteral("ID"),
            QStringLiteral("Replica id, unique in the cluster (default node-<random>)."), {} },
        { QStringLiteral("listen"), QStringLiteral("HOST:PORT"),
            QStringLiteral("Address to serve HTTP, SSE and WebSocket on; port 0 picks a free one."),
            QStringLiteral("127.0.0.1:8080") },
        { QStringLiteral("users"), QStringLiteral("FILE"),
            QStringLiteral("Users file (JSON; hashes from 'switchboard node hash-password')."), {} },
        { QStringLiteral("demo-users"), {},
            QStringLiteral("Add alice, bob, carol and admin (password = name); loopback only."), {} },
        { QStringLiteral("jwt-secret-file"), QStringLiteral("FILE"),
            QStringLiteral("HS256 secret shared by all replicas (random per process if absent)."), {} },
        { QStringLiteral("redis"), QStringLiteral("URL"),
            QStringLiteral("redis://[user:pass@]host:port/db for sessions, registry and replay."), {} },
        { QStringLiteral("kafka"), QStringLiteral("BOOTSTRAP"),
            QStringLiteral("Kafka bootstrap servers for the two-stage fan-out."), {} },
        { QStringLiteral("kafka-property"), QStringLiteral("KEY=VALUE"),
            QStringLiteral("librdkafka property for every Kafka client (repeatable; e.g. SASL/SSL)."), {} },
        { QStringLiteral("bus"), QStringLiteral("BUS"),
            QStringLiteral("Stage-2 broadcast: kafka or redis (default kafka)."), QStringLiteral("kafka") },
        { QStringLiteral("bus-bridge"), QStringLiteral("BUS"),
            QStringLiteral("While switching the bus: also send every broadcast on, and listen to, this "
                           "other bus (docs/operations.md)."),
            {} },
        { QStringLiteral("bus-bridge-order-wait-ms"), QStringLiteral("MS"),
            QStringLiteral(
                "With --bus-bridge: how long a broadcast ahead of its stage-1 partition's next "
                "offset waits for the ones before it (0, the default: no waiting; docs/reliability.md)."),
            n(NodeClusterOptions().busBridgeOrderWaitMs) },
        { QStringLiteral("kafka-session-timeout-ms"), QStringLiteral("MS"),
            QStringLiteral("Stage-1 consumer group session timeout: failover and late-join rebalance delay."),
            n(NodeClusterOptions().kafkaSessionTimeoutMs) },
        { QStringLiteral("catch-up-max-held"), QStringLiteral("N"),
            QStringLiteral("With --bus redis: live messages held back while catching up from stage 1; past "
                           "it they are dropped and read again from stage 1."),
            n(NodeClusterOptions().catchUpMaxHeld) },
        { QStringLiteral("topic-prefix"), QStringLiteral("PREFIX"), QStringLiteral("Kafka topic prefix."),
            d.topicPrefix },
        { QStringLiteral("grace-seconds"), QStringLiteral("S"), QStringLiteral("Drain period on SIGTERM."),
            n(d.graceSeconds) },
        { QStringLiteral("drain-min-seconds"), QStringLiteral("S"),
            QStringLiteral("A drain lasts at least this long, so health checks and the console see it (a "
                           "second SIGTERM ends it)."),
            n(d.drainMinSeconds) },
        { QStringLiteral("presence-lease-seconds"), QStringLiteral("S"),
            QStringLiteral("Presence counts of a replica that stopped renewing expire after this."),
            n(d.presenceLeaseSeconds) },
        { QStringLiteral("workers"), QStringLiteral("N"), QStringLiteral("Worker threads (0: one per core)."),
            n(d.workerThreads) },
        { QStringLiteral("worker-event-loop"), QStringLiteral("LOOP"),
            QStringLiteral("The worker threads' event loop: epoll, or qt (Qt's own: poll over every socket, "
                           "or glib's)."),
            QStringLiteral("epoll") },
        { QStringLiteral("tcp-nagle"), {},
            QStringLiteral("Let the kernel hold a small write while one is unacknowledged (Nagle's "
                           "algorithm): fewer packets, but up to a client's ACK delay more latency "
                           "(off: TCP_NODELAY on every connection)."),
            {} },
        { QStringLiteral("heartbeat-ms"), QStringLiteral("MS"),
            QStringLiteral("STOMP heart-beat offered in both directions."), n(d.heartBeatMs) },
        { QStringLiteral("sse-lifetime-seconds"), QStringLiteral("S"),
            QStringLiteral("SSE streams close after this; clients reconnect."), n(d.sseLifetimeSeconds) },
        { QStringLiteral("sse-comment-seconds"), QStringLiteral("S"),
            QStringLiteral("Interval of SSE keep-alive comments."), n(d.sseCommentSeconds) },
        { QStringLiteral("access-token-seconds"), QStringLiteral("S"),
            QStringLiteral("Access token lifetime."), n(d.accessTokenSeconds) },
        { QStringLiteral("auth-fail-open-seconds"), QStringLiteral("S"),
            QStringLiteral("While Redis is down, accept access tokens issued at most S seconds ago without "
                           "the registry (0: refuse with 503)."),
            n(d.authFailOpenSeconds) },
        { QStringLiteral("limit-frame-bytes"), QStringLiteral("BYTES"),
            QStringLiteral("Max STOMP frame / WebSocket message."), n(l.maxFrameBytes) },
        { QStringLiteral("limit-headers"), QStringLiteral("N"),
            QStringLiteral("Max headers per STOMP frame."), n(l.maxHeadersPerFrame) },
        { QStringLiteral("limit-subscriptions"), QStringLiteral("N"),
            QStringLiteral("Max subscriptions per STOMP session."), n(l.maxSubscriptionsPerSession) },
        { QStringLiteral("limit-connections"), QStringLiteral("N"),
            QStringLiteral("Max connections per node."), n(l.maxConnections) },
        { QStringLiteral("limit-connections-per-address"), QStringLiteral("N"),
            QStringLiteral("Max connections from one client address."), n(l.maxConnectionsPerAddress) },
        { QStringLiteral("limit-connections-exempt-loopback"), {},
            QStringLiteral("Do not hold loopback clients to the per-address connection limit."), {} },
        { QStringLiteral("limit-close-linger-ms"), QStringLiteral("MS"),
            QStringLiteral(
                "A closed connection reads and drops the client's bytes this long before resetting it."),
            n(l.closeLingerMs) },
        { QStringLiteral("limit-listen-backlog"), QStringLiteral("N"),
            QStringLiteral("Connections the kernel queues for the listener before they are accepted "
                           "(capped by net.core.somaxconn)."),
            n(l.listenBacklog) },
        { QStringLiteral("limit-sse-per-user"), QStringLiteral("N"),
            QStringLiteral("Max SSE streams per user."), n(l.maxSseStreamsPerUser) },
        { QStringLiteral("limit-outbound-bytes"), QStringLiteral("BYTES"),
            QStringLiteral("Outbound queue per connection before 'slow consumer'."),
            n(l.maxOutboundQueueBytes) },
        { QStringLiteral("limit-outbound-age-ms"), QStringLiteral("MS"),
            QStringLiteral("How long the oldest unsent byte may wait before 'slow consumer' (0: no limit)."),
            n(l.maxOutboundAgeMs) },
        { QStringLiteral("limit-socket-send-buffer-bytes"), QStringLiteral("BYTES"),
            QStringLiteral("The kernel's send buffer (SO_SNDBUF) of each connection; Linux doubles it and "
                           "stops autotuning it (0: autotuned, up to net.ipv4.tcp_wmem's maximum)."),
            n(l.socketSendBufferBytes) },
        { QStringLiteral("limit-http-header-bytes"), QStringLiteral("BYTES"),
            QStringLiteral("Max HTTP header section."), n(l.maxHttpHeaderBytes) },
        { QStringLiteral("limit-http-header-timeout-ms"), QStringLiteral("MS"),
            QStringLiteral("Deadline for a request head (slowloris)."), n(l.httpHeaderTimeoutMs) },
        { QStringLiteral("limit-ws-frame-timeout-ms"), QStringLiteral("MS"),
            QStringLiteral("A WebSocket frame begun and not finished is given up (close 1001) after this "
                           "long without a byte of it."),
            n(l.webSocketFrameTimeoutMs) },
        { QStringLiteral("limit-http-idle-timeout-ms"), QStringLiteral("MS"),
            QStringLiteral("Idle keep-alive connections are closed after this."), n(l.httpIdleTimeoutMs) },
        { QStringLiteral("limit-logins-per-user"), QStringLiteral("N"),
            QStringLiteral("Login attempts per user per minute."), n(l.loginAttemptsPerMinutePerUser) },
        { QStringLiteral("limit-logins-per-address"), QStringLiteral("N"),
            QStringLiteral("Login attempts per address per minute."), n(l.loginAttemptsPerMinutePerAddress) },
        { QStringLiteral("tap-body-bytes"), QStringLiteral("BYTES"),
            QStringLiteral("Bodies in tap frames are cut here."), n(l.tapBodyBytes) },
    };
}

bool readConfigFile(const QString &path, QHash<QString, QString> *values, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        *error = QStringLiteral("--config: cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    int lineNumber = 0;
    while (!file.atEnd()) {
        ++lineNumber;
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        const qsizetype eq = line.indexOf(u'=');
        if (eq <= 0) {
            *error
                = QStringLiteral("--config: %1 line %2: expected 'option = value'").arg(path).arg(lineNumber);
            return false;
        }
        values->insert(line.left(eq).trimmed(), line.mid(eq + 1).trimmed());
    }
    return true;
}
} // namespace

QHash<QString, QString> NodeCommandLine::systemEnvironment()
{
    QHash<QString, QString> env;
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    for (const QString &key : system.keys())
        if (key.startsWith(QStringLiteral("SB_")))
            env.insert(key, system.value(key));
    return env;
}

CommandLineOutcome NodeCommandLine::parse(
    const QStringList &arguments, const QHash<QString, QString> &environment)
{
    QCommandLineParser parser;
    const QList<OptionSpec> specs = optionSpecs();
    for (const OptionSpec &spec : specs) {
        QString description = spec.description + QStringLiteral(" [env ") + envName(spec.name) + u']';
        if (!spec.defaultValue.isEmpty())
            description += QStringLiteral(" (default ") + spec.defaultValue + u')';
        if (spec.valueName.isEmpty())
            parser.addOption(QCommandLineOption(spec.name, description));
        else
            parser.addOption(QCommandLineOption(spec.name, description, spec.valueName));
    }
    parser.addPositionalArgument(QStringLiteral("hash-password"),
        QStringLiteral("Read a password on stdin and print its hash for a users file."),
        QStringLiteral("[hash-password]"));
    const QString header = QStringLiteral(
        "switchboard node: one realtime replica (STOMP 1.2 over WebSocket at /ws, SSE at /api/sse,\n"
        "JWT auth, probes, metrics, tap). Prints 'listening http://HOST:PORT' once it accepts\n"
        "connections; SIGTERM/SIGINT drain it and exit 0.\n\n");
    if (auto stop = CommandLineSupport::parse(parser, arguments, header, QStringLiteral("switchboard node")))
        return *stop;

    const QStringList positional = parser.positionalArguments();
    if (positional == QStringList { QStringLiteral("hash-password") }) {
        m_hashPassword = true;
        return CommandLineOutcome::proceed();
    }
    if (!positional.isEmpty())
        return CommandLineOutcome::usageError(
            QStringLiteral("node: unexpected argument '%1'").arg(positional.first()));

    QHash<QString, QString> fileValues;
    QString error;
    const QString configPath = parser.isSet(QStringLiteral("config"))
        ? parser.value(QStringLiteral("config"))
        : environment.value(envName(QStringLiteral("config")));
    if (!configPath.isEmpty() && !readConfigFile(configPath, &fileValues, &error))
        return CommandLineOutcome::usageError(error);
    for (auto it = fileValues.cbegin(); it != fileValues.cend(); ++it) {
        const bool known = std::any_of(
            specs.begin(), specs.end(), [&](const OptionSpec &s) { return s.name == it.key(); });
        if (!known)
            return CommandLineOutcome::usageError(
                QStringLiteral("--config: unknown option '%1' in %2").arg(it.key(), configPath));
    }

    auto value = [&](const QString &name) -> QString {
        if (parser.isSet(name))
            return parser.value(name);
        if (environment.contains(envName(name)))
            return environment.value(envName(name));
        if (fileValues.contains(name))
            return fileValues.value(name);
        for (const OptionSpec &spec : specs)
            if (spec.name == name)
                return spec.defaultValue;
        return {};
    };
    auto flag = [&](const QString &name) {
        if (parser.isSet(name))
            return true;
        const QString text = environment.value(envName(name), fileValues.value(name)).toLower();
        return text == u"1" || text == u"true" || text == u"yes" || text == u"on";
    };
    auto integer = [&](const QString &name, qint64 minimum, qint64 maximum, auto *target) -> bool {
        bool ok = false;
        const QString text = value(name);
        const qint64 v = text.toLongLong(&ok);
        if (!ok || v < minimum || v > maximum) {
            error = QStringLiteral("--%1: expected a whole number from %2 to %3, got '%4'")
                        .arg(name)
                        .arg(minimum)
                        .arg(maximum)
                        .arg(text);
            return false;
        }
        *target = decltype(+*target)(v);
        return true;
    };

    // 0 leaves the kernel's autotuning; Linux raises anything under ~4.5 KiB to its minimum.
    auto socketSendBuffer = [&](int *target) {
        const QString name = QStringLiteral("limit-socket-send-buffer-bytes");
        if (!integer(name, 0, 64 * 1024 * 1024, target))
            return false;
        if (*target == 0 || *target >= kMinSocketSendBufferBytes)
            return true;
        error = QStringLiteral("--%1: expected 0 (the kernel's autotuning) or from %2 to %3, got '%4'")
                    .arg(name)
                    .arg(kMinSocketSendBufferBytes)
                    .arg(64 * 1024 * 1024)
                    .arg(value(name));
        return false;
    };

    node::NodeConfig &c = m_config;
    c.id = value(QStringLiteral("id"));
    if (c.id.isEmpty())
        c.id = QStringLiteral("node-") + QString::number(QRandomGenerator::global()->bounded(0x10000), 16);
    static const auto validId = [](const QString &id) {
        return id.size() <= 64 && std::all_of(id.begin(), id.end(), [](QChar ch) {
            return (ch.isLetterOrNumber() && ch.unicode() < 128) || ch == u'-' || ch == u'_' || ch == u'.';
        });
    };
    if (!validId(c.id))
        return CommandLineOutcome::usageError(
            QStringLiteral("--id: use at most 64 letters, digits, '.', '-' or '_', got '%1'").arg(c.id));

    const QString listen = value(QStringLiteral("listen"));
    const qsizetype colon = listen.lastIndexOf(u':');
    QString host = colon > 0 ? listen.left(colon) : QString();
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    bool portOk = false;
    const int port = colon > 0 ? listen.mid(colon + 1).toInt(&portOk) : -1;
    if (host == u"localhost")
        host = QStringLiteral("127.0.0.1");
    if (!portOk || port < 0 || port > 65535 || !c.listenAddress.setAddress(host))
        return CommandLineOutcome::usageError(QStringLiteral(
            "--listen: expected HOST:PORT with an IP address (e.g. 127.0.0.1:8080 or [::1]:0), got '%1'")
                                                  .arg(listen));
    c.listenPort = quint16(port);

    c.usersFile = value(QStringLiteral("users"));
    c.demoUsers = flag(QStringLiteral("demo-users"));
    const QString secretFile = value(QStringLiteral("jwt-secret-file"));
    if (!secretFile.isEmpty()) {
        QFile file(secretFile);
        if (!file.open(QIODevice::ReadOnly))
            return CommandLineOutcome::usageError(
                QStringLiteral("--jwt-secret-file: cannot read %1: %2").arg(secretFile, file.errorString()));
        c.jwtSecret = file.read(4096).trimmed();
        if (c.jwtSecret.size() < 32)
            return CommandLineOutcome::usageError(
                QStringLiteral("--jwt-secret-file: the secret in %1 is shorter than 32 bytes")
                    .arg(secretFile));
    } else {
        c.jwtSecret.resize(32);
        QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(c.jwtSecret.data()), 8);
        c.jwtSecretIsRandom = true;
    }
    m_cluster.redisUrl = value(QStringLiteral("redis"));
    m_cluster.kafkaBootstrap = value(QStringLiteral("kafka"));
    // Repeatable on the command line; one property from the environment or the file.
    if (parser.isSet(QStringLiteral("kafka-property")))
        m_cluster.kafkaProperties = parser.values(QStringLiteral("kafka-property"));
    else if (const QString property = value(QStringLiteral("kafka-property")); !property.isEmpty())
        m_cluster.kafkaProperties = { property };
    if (!integer(QStringLiteral("kafka-session-timeout-ms"), 3000, 300000, &m_cluster.kafkaSessionTimeoutMs)
        || !integer(QStringLiteral("catch-up-max-held"), 1, 100000000, &m_cluster.catchUpMaxHeld)
        || !integer(QStringLiteral("bus-bridge-order-wait-ms"), 0, 60000, &m_cluster.busBridgeOrderWaitMs))
        return CommandLineOutcome::usageError(error);
    m_cluster.bus = value(QStringLiteral("bus"));
    if (m_cluster.bus != u"kafka" && m_cluster.bus != u"redis")
        return CommandLineOutcome::usageError(
            QStringLiteral("--bus: expected 'kafka' or 'redis', got '%1'").arg(m_cluster.bus));
    m_cluster.busBridge = value(QStringLiteral("bus-bridge"));
    if (!m_cluster.busBridge.isEmpty()
        && (m_cluster.busBridge == m_cluster.bus
            || (m_cluster.busBridge != u"kafka" && m_cluster.busBridge != u"redis")))
        return CommandLineOutcome::usageError(
            QStringLiteral("--bus-bridge: expected the bus other than --bus ('kafka' or 'redis'), got '%1'")
                .arg(m_cluster.busBridge));
    const QString workerLoop = value(QStringLiteral("worker-event-loop"));
    if (workerLoop != u"epoll" && workerLoop != u"qt")
        return CommandLineOutcome::usageError(
            QStringLiteral("--worker-event-loop: expected 'epoll' or 'qt', got '%1'").arg(workerLoop));
    c.workersOnEpoll = workerLoop == u"epoll";
    c.tcpNagle = flag(QStringLiteral("tcp-nagle"));
    c.topicPrefix = value(QStringLiteral("topic-prefix"));
    if (c.topicPrefix.isEmpty() || !validId(c.topicPrefix))
        return CommandLineOutcome::usageError(
            QStringLiteral("--topic-prefix: use letters, digits, '.', '-' or '_', got '%1'")
                .arg(c.topicPrefix));

    constexpr qint64 maxInt = std::numeric_limits<int>::max();
    node::NodeLimits &l = c.limits;
    const bool ok = integer(QStringLiteral("grace-seconds"), 0, 3600, &c.graceSeconds)
        && integer(QStringLiteral("drain-min-seconds"), 0, 3600, &c.drainMinSeconds)
        && integer(QStringLiteral("presence-lease-seconds"), 2, 3600, &c.presenceLeaseSeconds)
        && integer(QStringLiteral("workers"), 0, 256, &c.workerThreads)
        && integer(QStringLiteral("heartbeat-ms"), 0, 3600000, &c.heartBeatMs)
        && integer(QStringLiteral("sse-lifetime-seconds"), 1, 86400, &c.sseLifetimeSeconds)
        && integer(QStringLiteral("sse-comment-seconds"), 1, 3600, &c.sseCommentSeconds)
        && integer(QStringLiteral("access-token-seconds"), 10, 86400 * 30, &c.accessTokenSeconds)
        && integer(QStringLiteral("auth-fail-open-seconds"), 0, 86400 * 30, &c.authFailOpenSeconds)
        && integer(QStringLiteral("limit-frame-bytes"), 1024, 64 * 1024 * 1024, &l.maxFrameBytes)
        && integer(QStringLiteral("limit-headers"), 4, 10000, &l.maxHeadersPerFrame)
        && integer(QStringLiteral("limit-subscriptions"), 1, 100000, &l.maxSubscriptionsPerSession)
        && integer(QStringLiteral("limit-connections"), 1, 10000000, &l.maxConnections)
        && integer(QStringLiteral("limit-connections-per-address"), 1, 10000000, &l.maxConnectionsPerAddress)
        && integer(QStringLiteral("limit-close-linger-ms"), 0, 600000, &l.closeLingerMs)
        && integer(QStringLiteral("limit-listen-backlog"), 1, 65535, &l.listenBacklog)
        && integer(QStringLiteral("limit-sse-per-user"), 1, 1000, &l.maxSseStreamsPerUser)
        && integer(QStringLiteral("limit-outbound-bytes"), 1024, maxInt, &l.maxOutboundQueueBytes)
        && integer(QStringLiteral("limit-outbound-age-ms"), 0, 3600000, &l.maxOutboundAgeMs)
        && socketSendBuffer(&l.socketSendBufferBytes)
        && integer(QStringLiteral("limit-http-header-bytes"), 1024, 1024 * 1024, &l.maxHttpHeaderBytes)
        && integer(QStringLiteral("limit-http-header-timeout-ms"), 100, 600000, &l.httpHeaderTimeoutMs)
        && integer(QStringLiteral("limit-http-idle-timeout-ms"), 100, 3600000, &l.httpIdleTimeoutMs)
        && integer(QStringLiteral("limit-ws-frame-timeout-ms"), 100, 600000, &l.webSocketFrameTimeoutMs)
        && integer(QStringLiteral("limit-logins-per-user"), 1, 100000, &l.loginAttemptsPerMinutePerUser)
        && integer(QStringLiteral("limit-logins-per-address"), 1, 100000, &l.loginAttemptsPerMinutePerAddress)
        && integer(QStringLiteral("tap-body-bytes"), 0, 1024 * 1024, &l.tapBodyBytes);
    if (!ok)
        return CommandLineOutcome::usageError(error);
    l.exemptLoopbackFromAddressLimit = flag(QStringLiteral("limit-connections-exempt-loopback"));
    return CommandLineOutcome::proceed();
}

} // namespace sb::app
