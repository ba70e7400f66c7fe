#include "node/NodeServer.h"

#include "cluster/EventBus.h"
#include "node/MemoryTrimmer.h"
#include "node/MessageService.h"
#include "node/NodeListener.h"
#include "node/NodeServices.h"
#include "node/PresenceLease.h"
#include "node/RegistryAnnouncer.h"
#include "node/Router.h"
#include "node/TapReader.h"
#include "node/TokenService.h"
#include "node/Worker.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QThread>
#include <QUuid>

#include <utility>

Q_LOGGING_CATEGORY(lcNode, "sb.node")

namespace sb::node {

NodeServer::NodeServer(const NodeConfig &config, const NodeAdapters &adapters, QObject *parent)
    : QObject(parent)
    , m_services(std::make_unique<NodeServices>())
{
    NodeServices &s = *m_services;
    s.config = config;
    s.bootId = config.bootId.isEmpty() ? QUuid::createUuid().toString(QUuid::Id128).left(8) : config.bootId;
    s.startedAtMs = QDateTime::currentMSecsSinceEpoch();
    s.tokenRegistry = adapters.tokens;
    s.replay = adapters.replay;
    s.presence = adapters.presence;
    s.bus = adapters.bus;
    s.sessions = adapters.sessions;
    s.registry = adapters.registry;
    s.tap = std::make_unique<TapHub>(config.id, config.limits.tapBodyBytes);
    s.tickets = std::make_unique<SseTicketBook>(config.sseTicketSeconds);
    s.sseStreamsPerUser = std::make_unique<PerUserQuota>(config.limits.maxSseStreamsPerUser);
    s.loginsPerUser = std::make_unique<RateLimiter>(config.limits.loginAttemptsPerMinutePerUser);
    s.loginsPerAddress = std::make_unique<RateLimiter>(config.limits.loginAttemptsPerMinutePerAddress);
    s.tokens = std::make_unique<TokenService>(
        config.jwtSecret, config.accessTokenSeconds, config.refreshTokenSeconds, adapters.tokens, &s.metrics);
    s.router = std::make_unique<Router>();
    Router *router = s.router.get();
    s.messages = std::make_unique<MessageService>(&s.users, s.bus, s.replay, &s.metrics, s.tap.get(),
        [router](const EnvelopePtr &envelope) { router->broadcast(envelope); });
    NodeServices *services = m_services.get();
    s.bus->setPersistHandler(
        [services](const QByteArray &payload, const cluster::BusHop &hop, QString *error) {
            return services->messages->persistFromBus(payload, hop, error);
        });
    s.bus->setHandler([services](const QByteArray &payload, const cluster::BusHop &hop) {
        services->messages->deliverFromBus(payload, hop);
    });

    m_drainPoll.setInterval(100);
    connect(&m_drainPoll, &QTimer::timeout, this, &NodeServer::checkDrained);
    m_graceTimer.setSingleShot(true);
    connect(&m_graceTimer, &QTimer::timeout, this, [this] {
        qCWarning(lcNode) << "grace period over with" << m_services->metrics.totalConnections()
                          << "connections left; closing them";
        finishDrain();
    });
}

NodeServer::~NodeServer()
{
    delete m_listener;
    // Each worker is deleted by its thread's finished() signal (see listen()).
    for (QThread *thread : std::as_const(m_threads)) {
        thread->quit();
        thread->wait();
        delete thread;
    }
}

bool NodeServer::prepare(QString *error)
{
    NodeServices &s = *m_services;
    if (!s.config.usersFile.isEmpty() && !s.users.loadFile(s.config.usersFile, error))
        return false;
    if (s.config.demoUsers) {
        const QHostAddress address = s.config.listenAddress;
        if (!address.isLoopback()) {
            *error = QStringLiteral("--demo-users is refused unless listening on loopback (got %1): "
                                    "their passwords equal their names")
                         .arg(address.toString());
            return false;
        }
        s.users.addDemoUsers();
    }
    if (s.users.size() == 0) {
        *error = QStringLiteral("no users: give --users FILE or --demo-users");
        return false;
    }
    return true;
}

bool NodeServer::listen(QString *error)
{
    const int count = m_services->config.workerThreads > 0 ? m_services->config.workerThreads
                                                           : qMax(1, QThread::idealThreadCount());
    // What /admin/stats reports: the count, resolved, before any worker reads the config.
    m_services->config.workerThreads = count;
    for (int i = 0; i < count; ++i) {
        auto *thread = new QThread;
        thread->setObjectName(QStringLiteral("sb-worker-%1").arg(i));
        auto *worker = new Worker(m_services.get());
        worker->moveToThread(thread);
        connect(thread, &QThread::finished, worker, &QObject::deleteLater);
        thread->start();
        m_threads.append(thread);
        m_workers.append(worker);
    }
    m_services->router->setWorkers(m_workers);
    // A tap reader attached on one worker gets every worker's baseline, each sent from that
    // worker's own thread (direct here: the signal comes on the attaching worker's thread).
    for (Worker *worker : std::as_const(m_workers))
        connect(
            worker, &Worker::tapReaderAttached, worker,
            [workers = m_workers](TapReader *reader) {
                for (Worker *each : workers)
                    QMetaObject::invokeMethod(
                        each, [each, reader] { each->tapBaseline(reader); }, Qt::QueuedConnection);
            },
            Qt::DirectConnection);
    m_listener = new NodeListener(m_workers);
    m_listener->setMaxPendingConnections(1024);
    if (!m_listener->listen(m_services->config.listenAddress, m_services->config.listenPort)) {
        *error = QStringLiteral("cannot listen on %1:%2: %3")
                     .arg(m_services->config.listenAddress.toString())
                     .arg(m_services->config.listenPort)
                     .arg(m_listener->errorString());
        return false;
    }
    qCInfo(lcNode) << "node" << m_services->config.id << "listening on" << address() << "with" << count
                   << "workers";
    m_announcer = new RegistryAnnouncer(m_services.get(), address(), this);
    m_announcer->start();
    m_presenceLease = new PresenceLease(m_services->presence, m_services->messages.get(), this);
    m_presenceLease->start();
    m_memoryTrimmer
        = new MemoryTrimmer(&m_services->metrics, this); // gives memory back after mass disconnects
    m_memoryTrimmer->start();
    return true;
}

quint16 NodeServer::port() const
{
    return m_listener ? m_listener->serverPort() : 0;
}

QString NodeServer::address() const
{
    const QHostAddress host = m_listener ? m_listener->serverAddress() : m_services->config.listenAddress;
    const QString text
        = host.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + host.toString() + u']' : host.toString();
    return text + u':' + QString::number(port());
}

void NodeServer::drain()
{
    if (m_services->draining.exchange(true))
        return;
    qCInfo(lcNode) << "draining: readiness false, no new sessions, telling clients to move";
    // The listener stays open: a load balancer must be able to see /healthz/ready answer
    // 503 (a refused connection says nothing about readiness). New connections only get
    // the probes, /metrics and /admin/stats; everything else is refused with 503 (HttpApi).
    for (Worker *worker : std::as_const(m_workers))
        QMetaObject::invokeMethod(worker, &Worker::drain, Qt::QueuedConnection);
    if (m_announcer)
        m_announcer->announce(); // the console sees "draining" now, not within a second
    m_drainClock.start();
    m_graceTimer.start(m_services->config.graceSeconds * 1000);
    m_drainPoll.start();
}

void NodeServer::requestStop()
{
    if (!m_services->draining.load())
        return drain();
    if (!m_drainPoll.isActive())
        return; // already finished
    qCInfo(lcNode) << "second stop request: ending the drain now with"
                   << m_services->metrics.totalConnections() << "connections left";
    finishDrain();
}

void NodeServer::checkDrained()
{
    if (m_services->metrics.totalConnections() > 0)
        return;
    // Idle clients are gone within milliseconds; the drain is held for its minimum so
    // that whoever polls readiness or the registry sees it (the grace timer still bounds it).
    const qint64 minimumMs
        = qint64(qMin(m_services->config.drainMinSeconds, m_services->config.graceSeconds)) * 1000;
    if (m_drainClock.elapsed() < minimumMs) {
        if (!std::exchange(m_holdLogged, true)) {
            qCInfo(lcNode) << "every connection closed; still draining for the minimum drain period of"
                           << m_services->config.drainMinSeconds << "s (--drain-min-seconds)";
            if (m_announcer)
                m_announcer->announce(); // "draining, no connection left", now
        }
        return;
    }
    qCInfo(lcNode) << "drained: every connection closed";
    finishDrain();
}

void NodeServer::finishDrain()
{
    m_drainPoll.stop();
    m_graceTimer.stop();
    if (m_listener)
        m_listener->close();
    // Leave the registry now rather than when the key's TTL runs out, so the console
    // shows the replica gone at once and nobody routes to it.
    if (m_announcer)
        m_announcer->withdraw();
    emit drained();
}

} // namespace sb::node
