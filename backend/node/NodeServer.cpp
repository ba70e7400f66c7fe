#include "node/NodeServer.h"

#include "cluster/EventBus.h"
#include "node/AddressConnectionLimit.h"
#include "node/EpollEventDispatcher.h"
#include "node/MemoryTrimmer.h"
#include "node/MessageService.h"
#include "node/NodeListener.h"
#include "node/NodeMetrics.h"
#include "node/NodeReadiness.h"
#include "node/PerUserQuota.h"
#include "node/PresenceLease.h"
#include "node/QueuedCall.h"
#include "node/RateLimiter.h"
#include "node/RegistryAnnouncer.h"
#include "node/Router.h"
#include "node/SseTicketBook.h"
#include "node/TapHub.h"
#include "node/TapReader.h"
#include "node/TokenService.h"
#include "node/UserDirectory.h"
#include "node/Worker.h"
#include "node/WorkerDeps.h"

#include <QAbstractEventDispatcher>
#include <QDateTime>
#include <QLoggingCategory>
#include <QThread>
#include <QUuid>

#include <utility>

Q_LOGGING_CATEGORY(lcNode, "sb.node")

namespace sb::node {

// What the replica owns and its worker threads share. Each is thread-safe or read-only once
// the workers start; nobody receives this whole: NodeServer hands out what each one uses.
struct NodeServer::Services
{
    Services(const NodeConfig &config, cluster::TokenRegistry *tokenRegistry)
        : tap(config.id, config.limits.tapBodyBytes)
        , tickets(config.sseTicketSeconds)
        , sseStreamsPerUser(config.limits.maxSseStreamsPerUser)
        , loginsPerUser(config.limits.loginAttemptsPerMinutePerUser)
        , loginsPerAddress(config.limits.loginAttemptsPerMinutePerAddress)
        , tokens(config.jwtSecret, config.accessTokenSeconds, config.refreshTokenSeconds, tokenRegistry,
              &metrics)
    { }

    NodeMetrics metrics;
    NodeReadiness readiness;
    UserDirectory users;
    TapHub tap;
    SseTicketBook tickets;
    PerUserQuota sseStreamsPerUser;
    AddressConnectionLimit connectionsPerAddress;
    RateLimiter loginsPerUser;
    RateLimiter loginsPerAddress;
    TokenService tokens;
    Router router;
    std::unique_ptr<MessageService> messages;
};

NodeServer::NodeServer(const NodeConfig &config, const NodeAdapters &adapters, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_adapters(adapters)
    , m_identity { config.id,
        config.bootId.isEmpty() ? QUuid::createUuid().toString(QUuid::Id128).left(8) : config.bootId,
        QDateTime::currentMSecsSinceEpoch(), config.workerThreads }
    , m_services(std::make_unique<Services>(config, adapters.tokens))
{
    Services &s = *m_services;
    Router *router = &s.router;
    s.messages = std::make_unique<MessageService>(&s.users, adapters.bus, adapters.replay, &s.metrics, &s.tap,
        [router](const EnvelopePtr &envelope) { router->broadcast(envelope); });
    MessageService *messages = s.messages.get();
    adapters.bus->setPersistHandler(
        [messages](const QByteArray &payload, const cluster::BusHop &hop, QString *error) {
            return messages->persistFromBus(payload, hop, error);
        });
    adapters.bus->setHandler([messages](const QByteArray &payload, const cluster::BusHop &hop) {
        messages->deliverFromBus(payload, hop);
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
    Services &s = *m_services;
    if (!m_config.usersFile.isEmpty() && !s.users.loadFile(m_config.usersFile, error))
        return false;
    if (m_config.demoUsers) {
        const QHostAddress address = m_config.listenAddress;
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
    const int count
        = m_config.workerThreads > 0 ? m_config.workerThreads : qMax(1, QThread::idealThreadCount());
    // What /admin/stats reports: the count, resolved, before any worker is given the identity.
    m_identity.workerThreads = count;
    m_workerDeps = workerDeps();
    bool workersOnEpoll = m_config.workersOnEpoll;
    for (int i = 0; i < count; ++i) {
        auto *thread = new QThread;
        thread->setObjectName(QStringLiteral("sb-worker-%1").arg(i));
        if (m_config.workersOnEpoll) {
            auto *dispatcher = new EpollEventDispatcher;
            if (dispatcher->isValid()) {
                thread->setEventDispatcher(dispatcher); // the thread's from now on
            } else {
                delete dispatcher; // said in its warning; Qt's own then
                workersOnEpoll = false;
            }
        }
        auto *worker = new Worker(&m_workerDeps);
        worker->moveToThread(thread);
        connect(thread, &QThread::finished, worker, &QObject::deleteLater);
        thread->start();
        m_threads.append(thread);
        m_workers.append(worker);
    }
    m_services->router.setWorkers(m_workers);
    // A tap reader attached on one worker gets every worker's baseline, each sent from that
    // worker's own thread (direct here: the signal comes on the attaching worker's thread).
    for (Worker *worker : std::as_const(m_workers))
        connect(
            worker, &Worker::tapReaderAttached, worker,
            [workers = m_workers](TapReader *reader) {
                for (Worker *each : workers)
                    postQueued(each, [each, reader] { each->tapBaseline(reader); });
            },
            Qt::DirectConnection);
    m_listener = new NodeListener(m_workers);
    m_listener->setMaxPendingConnections(1024);
    m_listener->setListenBacklogSize(m_config.limits.listenBacklog);
    if (!m_listener->listen(m_config.listenAddress, m_config.listenPort)) {
        *error = QStringLiteral("cannot listen on %1:%2: %3")
                     .arg(m_config.listenAddress.toString())
                     .arg(m_config.listenPort)
                     .arg(m_listener->errorString());
        return false;
    }
    // The backlog and the event loop's dispatcher (QT_NO_GLIB) decide how the node copes with
    // many connections at once, the send buffer how much a stalled client holds in the
    // kernel: said at start (docs/operations.md).
    const QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance();
    const int sendBufferBytes = m_config.limits.socketSendBufferBytes;
    const QByteArray sendBuffer = sendBufferBytes > 0
        ? QByteArray::number(sendBufferBytes) + " bytes (SO_SNDBUF)"
        : QByteArrayLiteral("autotuned by the kernel");
    qCInfo(lcNode).nospace() << "node " << m_config.id << " listening on " << address() << " with " << count
                             << " workers, listen backlog " << m_listener->listenBacklogSize()
                             << ", event dispatcher "
                             << (dispatcher ? dispatcher->metaObject()->className() : "none")
                             << (workersOnEpoll ? " (workers: epoll)" : "") << ", socket send buffer "
                             << sendBuffer.constData()
                             << (m_config.tcpNagle ? ", Nagle on (--tcp-nagle)"
                                                   : ", Nagle off (TCP_NODELAY)");
    m_announcer = new RegistryAnnouncer(m_identity, address(), &m_services->metrics, &m_services->readiness,
        m_adapters.registry, m_adapters.bus, this);
    m_announcer->start();
    m_presenceLease = new PresenceLease(m_adapters.presence, m_services->messages.get(), this);
    m_presenceLease->start();
    // Gives memory back after mass disconnects and after overload's queues are gone.
    m_memoryTrimmer = new MemoryTrimmer(&m_services->metrics, this);
    m_memoryTrimmer->start();
    return true;
}

TokenService *NodeServer::tokens() const
{
    return &m_services->tokens;
}

Router *NodeServer::router() const
{
    return &m_services->router;
}

NodeReadiness *NodeServer::readiness() const
{
    return &m_services->readiness;
}

WorkerDeps NodeServer::workerDeps() const
{
    Services &s = *m_services;
    const NodeLimits &limits = m_config.limits;
    const ConnectionRecords records { m_config.id, m_adapters.sessions, m_adapters.presence,
        s.messages.get() };

    WorkerDeps deps;
    deps.limits = limits;
    deps.tcpNagle = m_config.tcpNagle;
    deps.connectionsPerAddress = &s.connectionsPerAddress;
    deps.users = &s.users;
    deps.metrics = &s.metrics;
    deps.tap = &s.tap;

    HttpApiDeps &http = deps.http;
    http.identity = m_identity;
    http.readiness = &s.readiness;
    http.users = &s.users;
    http.tokens = &s.tokens;
    http.tokenRegistry = m_adapters.tokens;
    http.tickets = &s.tickets;
    http.ticketSeconds = m_config.sseTicketSeconds;
    http.loginsPerUser = &s.loginsPerUser;
    http.loginsPerAddress = &s.loginsPerAddress;
    http.sseStreamsPerUser = &s.sseStreamsPerUser;
    http.maxSseStreamsPerUser = limits.maxSseStreamsPerUser;
    http.messages = s.messages.get();
    http.bus = m_adapters.bus;
    http.registry = m_adapters.registry;
    http.metrics = &s.metrics;
    http.tap = &s.tap;

    StompSessionDeps &stomp = deps.stomp;
    stomp.tokens = &s.tokens;
    stomp.messages = s.messages.get();
    stomp.replay = m_adapters.replay;
    stomp.records = records;
    stomp.readiness = &s.readiness;
    stomp.metrics = &s.metrics;
    stomp.tap = &s.tap;
    stomp.heartBeatMs = m_config.heartBeatMs;
    stomp.limits = limits;

    SseStreamDeps &sse = deps.sse;
    sse.replay = m_adapters.replay;
    sse.records = records;
    sse.streamsPerUser = &s.sseStreamsPerUser;
    sse.metrics = &s.metrics;
    sse.tap = &s.tap;
    sse.lifetimeSeconds = m_config.sseLifetimeSeconds;
    sse.commentSeconds = m_config.sseCommentSeconds;
    sse.retryMs = m_config.sseRetryMs;
    sse.maxOutboundQueueBytes = limits.maxOutboundQueueBytes;
    sse.maxOutboundAgeMs = limits.maxOutboundAgeMs;
    return deps;
}

quint16 NodeServer::port() const
{
    return m_listener ? m_listener->serverPort() : 0;
}

QString NodeServer::address() const
{
    const QHostAddress host = m_listener ? m_listener->serverAddress() : m_config.listenAddress;
    const QString text
        = host.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + host.toString() + u']' : host.toString();
    return text + u':' + QString::number(port());
}

void NodeServer::drain()
{
    if (!m_services->readiness.beginDrain())
        return;
    qCInfo(lcNode) << "draining: readiness false, no new sessions, telling clients to move";
    // The listener stays open: a load balancer must be able to see /healthz/ready answer
    // 503 (a refused connection says nothing about readiness). New connections only get
    // the probes, /metrics and /admin/stats; everything else is refused with 503 (HttpApi).
    for (Worker *worker : std::as_const(m_workers))
        postQueued(worker, [worker] { worker->drain(); });
    if (m_announcer)
        m_announcer->announce(); // the console sees "draining" now, not within a second
    m_drainClock.start();
    m_graceTimer.start(m_config.graceSeconds * 1000);
    m_drainPoll.start();
}

void NodeServer::requestStop()
{
    if (!m_services->readiness.isDraining())
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
    const qint64 minimumMs = qint64(qMin(m_config.drainMinSeconds, m_config.graceSeconds)) * 1000;
    if (m_drainClock.elapsed() < minimumMs) {
        if (!std::exchange(m_holdLogged, true)) {
            qCInfo(lcNode) << "every connection closed; still draining for the minimum drain period of"
                           << m_config.drainMinSeconds << "s (--drain-min-seconds)";
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
    // Marked "left" in the registry now, not gone when the key's TTL runs out: the console
    // shows it left at once and nobody routes to it; and a replica whose entry expires
    // without the mark (killed, even mid-drain) is down. Before the listener closes, so the
    // mark is on its way before the address refuses.
    if (m_announcer)
        m_announcer->markLeft();
    if (m_listener)
        m_listener->close();
    emit drained();
}

} // namespace sb::node
