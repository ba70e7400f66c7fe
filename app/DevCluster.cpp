#include "app/DevCluster.h"

#include "app/ManagedChild.h"
#include "app/NodeAssembly.h"
#include "cluster/KafkaEventBus.h"
#include "cluster/KafkaMockCluster.h"

#include <QFile>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTcpServer>

#include <algorithm>

namespace sb::app {

namespace {
// Debug: each start-up step with the milliseconds since start() (issue 13: where the demo's
// launch time goes), e.g. QT_LOGGING_RULES=sb.devcluster.debug=true for the console's demo.
Q_LOGGING_CATEGORY(lcDevCluster, "sb.devcluster", QtInfoMsg)
constexpr int kRedisReadyMs = 10000;
constexpr int kNodeReadyMs = 30000;
// A starting replica is ready within milliseconds of its groups' assignment: poll often, so
// the demo's users do not wait out most of a poll interval (200 ms cost 100 ms on average).
// Each poll is one loopback GET per replica still starting.
constexpr int kReadyPollMs = 50;
constexpr int kReadyRequestTimeoutMs = 1000;
constexpr int kDemoSessionTimeoutMs = 4000;
constexpr int kNodeGraceSeconds = 5;
// Every client of a laptop cluster logs in from 127.0.0.1 (see nodeArguments).
constexpr int kLaptopLoginsPerAddressPerMinute = 1000;
// SO_SNDBUF of each replica's connections (Linux doubles it): a client that stops reading
// holds at most ~32 KiB in the kernel, so the replica's own outbound limits drop it in
// seconds at the demo's rates (see nodeArguments). With 64 KiB the demo's slow consumer
// still took 48 s after a 4 s burst (tst_demoscript). A loopback round trip takes tens of
// microseconds, so 16 KiB per round trip still carries hundreds of MB/s to a client that reads.
constexpr int kLaptopSocketSendBufferBytes = 16 * 1024;
// A drained replica that has not ended after its grace (plus its drain's minimum stay) is killed.
constexpr int kNodeDrainKillMs = (kNodeGraceSeconds + 10) * 1000;
constexpr int kHurryStopMs = 300; // whole-cluster stop: the second SIGTERM that ends a node's drain
// A redis-server that stayed up this long and then died starts again after the base delay;
// one that dies sooner keeps doubling it (a server that cannot start must not spin).
constexpr qint64 kRedisStableMs = 30000;

quint16 freeLoopbackPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}
} // namespace

DevCluster::DevCluster(DevClusterOptions options, QString switchboardBinary, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_binary(std::move(switchboardBinary))
{
    m_redisRestartTimer.setSingleShot(true);
    connect(&m_redisRestartTimer, &QTimer::timeout, this, &DevCluster::restartRedis);
}

DevCluster::~DevCluster()
{
    m_stopping = true;
    for (ManagedChild *node : std::as_const(m_nodes))
        node->kill();
    if (m_redis)
        m_redis->kill();
}

QList<qint64> DevCluster::childPids() const
{
    QList<qint64> pids;
    if (m_redis && m_redis->isRunning())
        pids << m_redis->pid();
    for (const ManagedChild *node : m_nodes)
        if (node->isRunning())
            pids << node->pid();
    return pids;
}

void DevCluster::start()
{
    m_sinceStart.start();
    if (!m_dir.isValid())
        return fail(QStringLiteral("devcluster"), QStringLiteral("cannot create a temporary directory"));
    // One JWT secret for all replicas, so a token from one is valid on every other.
    QFile secret(m_dir.filePath(QStringLiteral("jwt-secret")));
    QByteArray bytes(48, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    if (!secret.open(QIODevice::WriteOnly) || secret.write(bytes.toBase64()) < 0)
        return fail(QStringLiteral("devcluster"), QStringLiteral("cannot write the shared JWT secret"));
    secret.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    secret.close();
    startKafka();
}

void DevCluster::startKafka()
{
    if (!m_options.kafkaBootstrap.isEmpty()) {
        m_kafkaBootstrap = m_options.kafkaBootstrap;
        return startRedis();
    }
    reportProgress(QStringLiteral("starting the embedded Kafka (librdkafka mock cluster, 3 brokers)"));
    m_kafka = std::make_unique<cluster::KafkaMockCluster>();
    QString error;
    if (!m_kafka->start(3, &error))
        return fail(QStringLiteral("kafka"), error);
    m_kafkaBootstrap = QString::fromLatin1(m_kafka->bootstrapServers());
    // The mock cluster has no auto-creation the consumers could rely on: make every topic
    // the bus uses now, with partitions enough for three replicas to share stage 1.
    QList<QByteArray> topics = cluster::KafkaEventBus::topics(m_options.topicPrefix.toUtf8());
    topics << NodeAssembly::roleUpdatedTopic(m_options.topicPrefix);
    for (const QByteArray &topic : std::as_const(topics))
        if (!m_kafka->createTopic(topic, 3, &error))
            return fail(QStringLiteral("kafka"), error);
    startRedis();
}

void DevCluster::startRedis()
{
    if (!m_options.redisUrl.isEmpty()) {
        m_redisUrl = m_options.redisUrl;
        return startNodes();
    }
    const QString redis = QStandardPaths::findExecutable(QStringLiteral("redis-server"),
        { QStringLiteral("/usr/bin"), QStringLiteral("/usr/sbin"), QStringLiteral("/usr/local/bin") });
    if (redis.isEmpty())
        return fail(QStringLiteral("redis"),
            QStringLiteral("redis-server is not installed (scripts/setup.sh installs it)"));
    m_redisPort = freeLoopbackPort();
    reportProgress(QStringLiteral("starting redis-server on 127.0.0.1:%1").arg(m_redisPort));
    m_redis = new ManagedChild(QStringLiteral("redis-server"), redis,
        { QStringLiteral("--port"), QString::number(m_redisPort), QStringLiteral("--bind"),
            QStringLiteral("127.0.0.1"), QStringLiteral("--save"), QString(),
            // An append-only file in the cluster's own directory: a redis-server
            // killed and restarted keeps the tokens and sessions, so clients'
            // tokens stay valid across the outage (issue 12, item 1).
            QStringLiteral("--appendonly"), QStringLiteral("yes"), QStringLiteral("--appendfsync"),
            QStringLiteral("everysec"), QStringLiteral("--dir"), m_dir.path(),
            QStringLiteral("--notify-keyspace-events"), QStringLiteral("KA") },
        QRegularExpression(QStringLiteral("Ready to accept connections")), this);
    m_redisUrl = QStringLiteral("redis://127.0.0.1:%1/0").arg(m_redisPort);
    m_redisRestartDelayMs = m_options.redisRestartAfterMs;
    connect(m_redis, &ManagedChild::failed, this, [this](const QString &why) {
        if (!m_redisStarted)
            return fail(QStringLiteral("redis"), why);
        onRedisDown(why);
    });
    connect(m_redis, &ManagedChild::exited, this, [this] {
        if (m_redisStarted && !m_stopping)
            emit redisExited(m_redis->lastExit());
        if (m_redisStarted)
            onRedisDown(m_redis->lastExit());
    });
    connect(m_redis, &ManagedChild::outputLine, this,
        [this](const QString &line) { emit childOutput(QStringLiteral("redis-server"), line); });
    connect(m_redis, &ManagedChild::ready, this, &DevCluster::onRedisReady);
    m_redis->start(kRedisReadyMs);
}

void DevCluster::onRedisReady()
{
    m_redisUpSince.start();
    if (!m_redisStarted) {
        m_redisStarted = true;
        return startNodes();
    }
    describeEndpoints();
    emit redisReady();
    // Same port, same URL: each replica's connections find it again with their own back-off,
    // and its readiness returns without a restart of the node.
    emit notice(QStringLiteral(
        "redis-server is back on 127.0.0.1:%1 (pid %2, restart %3); the replicas reconnect by themselves")
                    .arg(QString::number(m_redisPort), QString::number(m_redis->pid()),
                        QString::number(m_redisRestarts)));
}

// A redis-server child died (or a restart of it failed): start it again on the same port
// after a back-off, unless restarts are off (--redis-restart-after-ms 0) or we are stopping.
void DevCluster::onRedisDown(const QString &why)
{
    if (m_stopping || m_redisRestartPending)
        return;
    if (m_redisUpSince.isValid() && m_redisUpSince.elapsed() >= kRedisStableMs)
        m_redisRestartDelayMs = m_options.redisRestartAfterMs;
    m_redisUpSince.invalidate();
    if (m_options.redisRestartAfterMs <= 0) {
        emit notice(
            QStringLiteral("redis-server on 127.0.0.1:%1 %2; not restarting it (--redis-restart-after-ms 0)")
                .arg(QString::number(m_redisPort), why));
        return;
    }
    m_redisRestartPending = true;
    if (m_redis->isRunning())
        m_redis->kill(); // alive but never ready: start afresh
    emit notice(QStringLiteral("redis-server on 127.0.0.1:%1 %2; restarting it in %3 ms")
                    .arg(QString::number(m_redisPort), why, QString::number(m_redisRestartDelayMs)));
    m_redisRestartTimer.start(m_redisRestartDelayMs);
    m_redisRestartDelayMs = std::min(m_redisRestartDelayMs * 2, DevClusterOptions::kRedisRestartMaxMs);
}

void DevCluster::restartRedis()
{
    m_redisRestartPending = false;
    if (m_stopping)
        return;
    ++m_redisRestarts;
    m_redis->restart(kRedisReadyMs);
}

QStringList DevCluster::nodeArguments(const QString &id, const QString &listen) const
{
    QStringList arguments { QStringLiteral("node"), QStringLiteral("--id"), id, QStringLiteral("--listen"),
        listen, QStringLiteral("--demo-users"), QStringLiteral("--users"),
        m_options.usersFile, // more accounts (the demo population's); "" for none
        // Every client of a laptop cluster (demo traffic, benchmarks,
        // tests) comes from 127.0.0.1: not one address to hold back.
        QStringLiteral("--limit-connections-exempt-loopback"),
        // Likewise for logins: after a Redis restart every simulated user (60, all from
        // 127.0.0.1) logs in again, and 30 a minute per address locked most of them out
        // for a minute. Per-user limits still hold.
        QStringLiteral("--limit-logins-per-address"), QString::number(kLaptopLoginsPerAddressPerMinute),
        // On loopback the kernel grows a stalled client's send buffer to megabytes before
        // the node queues a byte: the demo's slow consumer went undropped for minutes.
        QStringLiteral("--limit-socket-send-buffer-bytes"), QString::number(kLaptopSocketSendBufferBytes),
        QStringLiteral("--jwt-secret-file"), m_dir.filePath(QStringLiteral("jwt-secret")),
        QStringLiteral("--redis"), m_redisUrl, QStringLiteral("--kafka"), m_kafkaBootstrap,
        QStringLiteral("--bus"), m_options.bus, QStringLiteral("--topic-prefix"), m_options.topicPrefix,
        QStringLiteral("--grace-seconds"), QString::number(kNodeGraceSeconds),
        // In some starts the mock coordinator answers one replica's first
        // SyncGroup with INVALID_REQUEST (seen with debug=cgrp); that
        // replica rejoins, and a rejoin holds the group for session
        // timeout − 1 s: 3 s instead of 9 before the demo is ready. A
        // killed replica's partitions move sooner too.
        QStringLiteral("--kafka-session-timeout-ms"), QString::number(kDemoSessionTimeoutMs) };
    if (!m_busBridge.isEmpty())
        arguments << QStringLiteral("--bus-bridge") << m_busBridge;
    for (const QString &property : m_options.kafkaProperties)
        arguments << QStringLiteral("--kafka-property") << property;
    return arguments;
}

void DevCluster::startNodes()
{
    reportProgress(QStringLiteral("starting %1 replicas").arg(m_options.replicas));
    for (int i = 1; i <= m_options.replicas; ++i) {
        const QString id = QStringLiteral("node-%1").arg(i);
        auto *node = new ManagedChild(id, m_binary, nodeArguments(id, QStringLiteral("127.0.0.1:0")),
            QRegularExpression(QStringLiteral("^listening (http://\\S+)$")), this);
        connect(node, &ManagedChild::failed, this, [this, id](const QString &why) {
            // Once the cluster is up, a replica that fails (e.g. restarted by a fault and not
            // ready in time) is that replica's trouble, reported, not the end of the cluster.
            if (!m_ready)
                return fail(id, why);
            emit notice(QStringLiteral("%1: %2").arg(id, why));
        });
        connect(node, &ManagedChild::outputLine, this,
            [this, id](const QString &line) { emit childOutput(id, line); });
        connect(node, &ManagedChild::ready, this, [this, node] { onNodeListening(node); });
        connect(node, &ManagedChild::exited, this, [this, node] {
            if (!m_stopping)
                emit nodeExited(node->name(), node->lastExit());
        });
        m_nodes.append(node);
        node->start(kNodeReadyMs);
    }
}

void DevCluster::onNodeListening(ManagedChild *node)
{
    m_nodeUrls.insert(node->name(), node->readyMatch().captured(1));
    reportProgress(QStringLiteral("%1 listening on %2; waiting for it to be ready (Redis, Kafka groups)")
                       .arg(node->name(), node->readyMatch().captured(1)));
    pollReadiness(node, kNodeReadyMs / kReadyPollMs);
}

// A node is ready when /healthz/ready says so: Redis connected, its stage-2 subscription in
// place and the stage-1 group joined, so a message published after `ready` is neither
// missed nor held up by a rebalance of a group still forming.
void DevCluster::pollReadiness(ManagedChild *node, int attemptsLeft)
{
    if (m_failed || m_stopping || !node->isRunning())
        return; // gone meanwhile (a fault): its next start polls anew
    if (attemptsLeft <= 0) {
        const QString why
            = QStringLiteral("not ready within %1 s (see its /healthz/ready)").arg(kNodeReadyMs / 1000);
        if (m_ready)
            return emit notice(QStringLiteral("%1: %2").arg(node->name(), why));
        return fail(node->name(), why);
    }
    if (!m_http)
        m_http = new QNetworkAccessManager(this);
    QNetworkRequest request(QUrl(node->readyMatch().captured(1) + QStringLiteral("/healthz/ready")));
    request.setTransferTimeout(kReadyRequestTimeoutMs);
    QNetworkReply *reply = m_http->get(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply, node, attemptsLeft] {
        reply->deleteLater();
        if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200)
            return onNodeReady(node);
        QTimer::singleShot(
            kReadyPollMs, this, [this, node, attemptsLeft] { pollReadiness(node, attemptsLeft - 1); });
    });
}

void DevCluster::reportProgress(const QString &step)
{
    qCDebug(lcDevCluster, "%lld ms: %s", static_cast<long long>(m_sinceStart.elapsed()), qPrintable(step));
    emit progress(step);
}

void DevCluster::onNodeReady(ManagedChild *node)
{
    qCDebug(lcDevCluster, "%lld ms: %s ready", static_cast<long long>(m_sinceStart.elapsed()),
        qPrintable(node->name()));
    if (m_ready) {
        describeEndpoints();
        emit nodeReady(node->name(), m_nodeUrls.value(node->name()));
        return;
    }
    if (++m_nodesReady < m_nodes.size() || m_failed)
        return;
    m_ready = true;
    describeEndpoints();
    emit ready(m_endpoints);
}

void DevCluster::describeEndpoints()
{
    QJsonArray nodes;
    for (const ManagedChild *node : std::as_const(m_nodes))
        nodes.append(QJsonObject { { QStringLiteral("id"), node->name() },
            { QStringLiteral("url"), m_nodeUrls.value(node->name()) },
            { QStringLiteral("pid"), node->isRunning() ? node->pid() : 0 } });
    m_endpoints = QJsonObject { { QStringLiteral("redis"), m_redisUrl },
        { QStringLiteral("redisPid"), m_redis ? m_redis->pid() : 0 },
        { QStringLiteral("kafka"), m_kafkaBootstrap },
        { QStringLiteral("kafkaEmbedded"), m_kafka != nullptr }, { QStringLiteral("bus"), m_options.bus },
        { QStringLiteral("busBridge"), m_busBridge },
        { QStringLiteral("topicPrefix"), m_options.topicPrefix }, { QStringLiteral("nodes"), nodes } };
}

ManagedChild *DevCluster::findNode(const QString &id) const
{
    for (ManagedChild *node : m_nodes)
        if (node->name() == id)
            return node;
    return nullptr;
}

QStringList DevCluster::nodeIds() const
{
    QStringList ids;
    for (const ManagedChild *node : m_nodes)
        ids << node->name();
    return ids;
}

bool DevCluster::isNodeRunning(const QString &id) const
{
    const ManagedChild *node = findNode(id);
    return node && node->isRunning();
}

QHash<QString, QString> DevCluster::runningNodeUrls() const
{
    QHash<QString, QString> urls;
    for (const QString &node : nodeIds())
        if (isNodeRunning(node))
            urls.insert(node, nodeUrl(node));
    return urls;
}

int DevCluster::nodeGraceSeconds() const
{
    return kNodeGraceSeconds;
}

namespace {
QString noSuchReplica(const QString &id, const QStringList &known)
{
    return QStringLiteral("no such replica '%1' (replicas: %2)")
        .arg(id, known.isEmpty() ? QStringLiteral("none yet") : known.join(QStringLiteral(", ")));
}
} // namespace

bool DevCluster::killNode(const QString &id, QString *why)
{
    ManagedChild *node = findNode(id);
    if (!node || !m_ready || m_stopping) {
        *why = node ? QStringLiteral("the cluster is not running") : noSuchReplica(id, nodeIds());
        return false;
    }
    if (!node->isRunning()) {
        *why = QStringLiteral("%1 is down already").arg(id);
        return false;
    }
    node->killNow();
    return true;
}

bool DevCluster::drainNode(const QString &id, QString *why)
{
    ManagedChild *node = findNode(id);
    if (!node || !m_ready || m_stopping) {
        *why = node ? QStringLiteral("the cluster is not running") : noSuchReplica(id, nodeIds());
        return false;
    }
    if (!node->isRunning()) {
        *why = QStringLiteral("%1 is down already").arg(id);
        return false;
    }
    node->stop(kNodeDrainKillMs);
    return true;
}

bool DevCluster::startNode(const QString &id, QString *why)
{
    ManagedChild *node = findNode(id);
    if (!node || !m_ready || m_stopping) {
        *why = node ? QStringLiteral("the cluster is not running") : noSuchReplica(id, nodeIds());
        return false;
    }
    if (node->isRunning()) {
        *why = QStringLiteral("%1 is running (pid %2)").arg(id).arg(node->pid());
        return false;
    }
    // Its old port, so clients, probes and the console find it where it was.
    const QUrl url(m_nodeUrls.value(id));
    const QString listen
        = url.port() > 0 ? QStringLiteral("127.0.0.1:%1").arg(url.port()) : QStringLiteral("127.0.0.1:0");
    node->setArguments(nodeArguments(id, listen));
    node->restart(kNodeReadyMs);
    return true;
}

bool DevCluster::canKillRedis(QString *why) const
{
    if (!m_redis) {
        *why = QStringLiteral("Redis is not a child of this cluster (it was given as --redis URL)");
        return false;
    }
    if (!m_ready || m_stopping || !m_redis->isRunning()) {
        *why = QStringLiteral("redis-server is not running");
        return false;
    }
    return true;
}

bool DevCluster::killRedis(QString *why)
{
    if (!canKillRedis(why))
        return false;
    m_redis->killNow();
    return true;
}

void DevCluster::setBus(const QString &bus, const QString &bridge)
{
    m_options.bus = bus;
    m_busBridge = bridge;
    describeEndpoints();
}

void DevCluster::fail(const QString &part, const QString &reason)
{
    if (m_failed)
        return;
    m_failed = true;
    emit failed(part, reason);
}

void DevCluster::stop(int graceMs)
{
    m_stopping = true;
    m_redisRestartTimer.stop();
    // The whole cluster goes: each node drains (its clients are told), then a second SIGTERM
    // ends the drain's minimum stay (--drain-min-seconds), which is there for observers of one
    // replica's drain; the grace is the last resort.
    for (ManagedChild *node : std::as_const(m_nodes))
        node->stopHurried(kHurryStopMs, graceMs);
    // Redis goes after the nodes have drained (they deregister from it on the way out).
    auto remaining = std::make_shared<int>(0);
    for (ManagedChild *node : std::as_const(m_nodes))
        if (node->isRunning())
            ++*remaining;
    auto finish = [this] {
        if (m_redis)
            m_redis->stop(2000);
        m_kafka.reset();
        QTimer::singleShot(0, this, &DevCluster::stopped);
    };
    if (*remaining == 0)
        return finish();
    for (ManagedChild *node : std::as_const(m_nodes))
        connect(node, &ManagedChild::exited, this, [remaining, finish] {
            if (--*remaining == 0)
                finish();
        });
}

} // namespace sb::app
