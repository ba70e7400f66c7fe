#include "cluster/RedisConnection.h"

#include "cluster/RedisEventAdapter.h"
#include "cluster/RedisLog.h"
#include "cluster/RedisReplyRelay.h"

#include <QHostAddress>
#include <QHostInfo>
#include <QPointer>
#include <QRandomGenerator>
#include <QThread>
#include <QTimer>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <algorithm>
#include <vector>

namespace sb::cluster {

// One command in flight; hiredis holds it as privdata until the reply (or NULL, when
// the context dies) comes back.
struct RedisConnection::Pending
{
    RedisConnection *connection = nullptr;
    QPointer<QObject> context; // same-thread delivery
    std::unique_ptr<RedisReplyRelay> relay; // cross-thread delivery
    ReplyHandler handler;
    bool wantsReply = false; // false: fire-and-forget
    bool internal = false; // handshake step: not counted, not a user callback
};

namespace {

bool isSubscriptionCommand(const QByteArray &name)
{
    const QByteArray lower = name.toLower();
    return lower == "subscribe" || lower == "psubscribe" || lower == "unsubscribe" || lower == "punsubscribe"
        || lower == "ssubscribe" || lower == "sunsubscribe" || lower == "monitor";
}

QString hiredisError(const redisAsyncContext *context)
{
    if (context && context->errstr && context->errstr[0])
        return QString::fromLocal8Bit(context->errstr);
    return QStringLiteral("unknown error");
}

} // namespace

RedisConnection::RedisConnection(RedisUrl url, RedisConnectionOptions options, QObject *parent)
    : QObject(parent)
    , m_url(std::move(url))
    , m_options(std::move(options))
    , m_logName(
          m_options.name.isEmpty() ? m_url.redacted() : (m_options.name + u" (" + m_url.redacted() + u')'))
    , m_retryTimer(new QTimer(this))
    , m_connectTimer(new QTimer(this))
{
    m_retryTimer->setSingleShot(true);
    m_connectTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &RedisConnection::startAttempt);
    connect(m_connectTimer, &QTimer::timeout, this, [this] {
        fail(u"connect timed out after " + QString::number(m_options.connectTimeout.count()) + u" ms");
    });
}

RedisConnection::~RedisConnection()
{
    closeHere();
}

void RedisConnection::open()
{
    if (QThread::currentThread() != thread()) {
        QMetaObject::invokeMethod(this, &RedisConnection::openHere, Qt::QueuedConnection);
        return;
    }
    openHere();
}

void RedisConnection::close()
{
    if (QThread::currentThread() != thread()) {
        QMetaObject::invokeMethod(this, &RedisConnection::closeHere, Qt::QueuedConnection);
        return;
    }
    closeHere();
}

void RedisConnection::openHere()
{
    if (m_wanted)
        return;
    if (!m_url.isValid()) {
        m_lastError = u"invalid Redis URL: " + m_url.errorString();
        qCWarning(lcRedis).noquote() << m_lastError;
        emit disconnected(m_lastError);
        return;
    }
    m_wanted = true;
    m_failures = 0;
    startAttempt();
}

void RedisConnection::closeHere()
{
    const bool wasOpen = m_wanted;
    m_wanted = false;
    m_retryTimer->stop();
    m_connectTimer->stop();
    ++m_generation;
    dropContext();
    setState(State::Unconnected);
    if (wasOpen)
        qCInfo(lcRedis).noquote() << "closed connection to" << m_logName;
}

void RedisConnection::setState(State state)
{
    if (m_state.exchange(state) != state)
        emit stateChanged(state);
}

void RedisConnection::startAttempt()
{
    if (!m_wanted)
        return;
    ++m_generation;
    setState(State::Connecting);
    m_connectTimer->start(m_options.connectTimeout);

    // hiredis resolves names with a blocking getaddrinfo(), so names go through
    // QHostInfo's thread pool first and hiredis only ever sees an address.
    const QString host = m_url.host();
    if (QHostAddress address; address.setAddress(host)) {
        connectTo(address.toString());
        return;
    }
    const quint64 generation = m_generation;
    QHostInfo::lookupHost(host, this, [this, generation](const QHostInfo &info) {
        if (generation != m_generation || state() != State::Connecting)
            return;
        if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
            fail(u"cannot resolve " + m_url.host() + u": " + info.errorString());
            return;
        }
        // Prefer IPv4: "localhost" often lists ::1 first while redis-server binds 127.0.0.1.
        const QList<QHostAddress> addresses = info.addresses();
        const auto v4 = std::find_if(addresses.cbegin(), addresses.cend(),
            [](const QHostAddress &a) { return a.protocol() == QAbstractSocket::IPv4Protocol; });
        connectTo((v4 != addresses.cend() ? *v4 : addresses.constFirst()).toString());
    });
}

void RedisConnection::connectTo(const QString &address)
{
    redisAsyncContext *context = redisAsyncConnect(address.toUtf8().constData(), m_url.port());
    if (!context) {
        fail(QStringLiteral("cannot allocate a hiredis context"));
        return;
    }
    if (context->err) {
        // Immediate failure (e.g. refused on loopback): hiredis has not started I/O.
        const QString reason = hiredisError(context);
        redisAsyncFree(context);
        fail(reason);
        return;
    }
    context->data = this;
    auto *adapter = new RedisEventAdapter(this);
    adapter->attach(context);
    m_context = context;
    redisAsyncSetDisconnectCallback(context, &RedisConnection::onDisconnect);
    // Must come after attach(): it arms the write notifier that reports connect completion.
    redisAsyncSetConnectCallback(context, &RedisConnection::onConnect);
}

void RedisConnection::onConnect(const redisAsyncContext *context, int status)
{
    auto *self = static_cast<RedisConnection *>(context->data);
    if (!self)
        return;
    if (status != REDIS_OK) {
        // hiredis frees this context right after we return.
        const_cast<redisAsyncContext *>(context)->data = nullptr;
        self->m_context = nullptr;
        self->fail(hiredisError(context));
        return;
    }
    // hiredis 0.14 marks the context connected only after this callback returns, so
    // nothing here may free it; the handshake only queues commands.
    self->startHandshake();
}

void RedisConnection::onDisconnect(const redisAsyncContext *context, int status)
{
    auto *self = static_cast<RedisConnection *>(context->data);
    if (!self)
        return; // we let go of this context ourselves; nothing to report
    const_cast<redisAsyncContext *>(context)->data = nullptr;
    self->m_context = nullptr;
    self->fail(status == REDIS_OK ? QStringLiteral("connection closed") : hiredisError(context));
}

void RedisConnection::startHandshake()
{
    m_handshakePending = 0;
    const quint64 generation = m_generation;
    auto step = [this, generation](QString what) {
        ++m_handshakePending;
        return [this, generation, what = std::move(what)](const RedisReply &reply) {
            if (generation != m_generation)
                return;
            if (reply.isError()) {
                if (reply.bytes().startsWith("NOAUTH"))
                    fail(u"the server requires a password and the Redis URL has none: "
                        + reply.errorMessage());
                else
                    fail(what + u" failed: " + reply.errorMessage());
                return;
            }
            if (--m_handshakePending == 0)
                becomeConnected();
        };
    };
    if (!m_url.password().isEmpty()) {
        QList<QByteArray> auth { QByteArrayLiteral("AUTH") };
        if (!m_url.userName().isEmpty())
            auth.append(m_url.userName().toUtf8());
        auth.append(m_url.password().toUtf8());
        sendInternal(std::move(auth), step(QStringLiteral("authentication")));
    }
    if (m_url.database() != 0) {
        sendInternal({ QByteArrayLiteral("SELECT"), QByteArray::number(m_url.database()) },
            step(u"SELECT " + QString::number(m_url.database())));
    }
    if (!m_options.name.isEmpty()) {
        sendInternal({ QByteArrayLiteral("CLIENT"), QByteArrayLiteral("SETNAME"), m_options.name.toUtf8() },
            step(QStringLiteral("CLIENT SETNAME")));
    }
    // TCP accept is not readiness: a server still loading its dataset answers -LOADING.
    sendInternal({ QByteArrayLiteral("PING") }, step(QStringLiteral("PING")));
}

void RedisConnection::becomeConnected()
{
    m_connectTimer->stop();
    if (m_failures > 0 || !m_lastError.isEmpty())
        qCInfo(lcRedis).noquote() << "connected to" << m_logName << "after" << m_failures
                                  << "failed attempts";
    else
        qCInfo(lcRedis).noquote() << "connected to" << m_logName;
    m_failures = 0;
    setState(State::Connected);
    emit connected();
}

void RedisConnection::fail(const QString &reason)
{
    const bool wasConnected = state() == State::Connected;
    m_connectTimer->stop();
    ++m_generation;
    m_lastError = reason; // before dropContext(): commands it fails quote it
    dropContext();
    if (wasConnected || m_failures == 0)
        qCWarning(lcRedis).noquote() << (wasConnected ? "lost connection to" : "cannot connect to")
                                     << m_logName << "-" << reason << "- retrying with back-off";
    else // repeats of an ongoing outage: visible with sb.redis.debug=true
        qCDebug(lcRedis).noquote() << "attempt" << m_failures + 1 << "to connect to" << m_logName
                                   << "failed:" << reason;

    if (!m_wanted) {
        setState(State::Unconnected);
        emit disconnected(reason);
        return;
    }
    setState(State::WaitingToReconnect);
    emit disconnected(reason);
    scheduleReconnect();
}

void RedisConnection::dropContext()
{
    redisAsyncContext *context = m_context;
    if (!context)
        return;
    m_context = nullptr;
    // Detach first so the disconnect callback knows this was our decision. Commands
    // still waiting get a NULL reply from hiredis and are answered with an error.
    // Inside a hiredis callback the free is deferred by hiredis until it returns.
    context->data = nullptr;
    redisAsyncFree(context);
}

void RedisConnection::scheduleReconnect()
{
    using namespace std::chrono;
    const auto minDelay = std::max(m_options.reconnectMin, milliseconds(1));
    const int doublings = std::min(m_failures, 20);
    const milliseconds ceiling
        = std::min<milliseconds>(minDelay * (qint64(1) << doublings), m_options.reconnectMax);
    const double factor = 0.75 + 0.25 * QRandomGenerator::global()->generateDouble();
    const int delayMs = std::max(1, int(double(ceiling.count()) * factor));
    ++m_failures;
    m_retryTimer->start(delayMs);
    emit reconnectScheduled(delayMs);
}

void RedisConnection::command(QList<QByteArray> argv)
{
    command(std::move(argv), nullptr, {});
}

void RedisConnection::command(QList<QByteArray> argv, QObject *context, ReplyHandler handler)
{
    auto pending = std::make_unique<Pending>();
    pending->connection = this;
    pending->wantsReply = context && handler;
    const bool callerIsHere = QThread::currentThread() == thread();
    if (pending->wantsReply) {
        if (callerIsHere && context->thread() == thread()) {
            pending->context = context;
            pending->handler = std::move(handler);
        } else {
            // Connected here, on the caller's thread, while `context` is surely alive.
            auto relay = std::make_unique<RedisReplyRelay>();
            connect(
                relay.get(), &RedisReplyRelay::ready, context,
                [h = std::move(handler)](const RedisReply &reply) { h(reply); }, Qt::QueuedConnection);
            relay->moveToThread(thread());
            pending->relay = std::move(relay);
        }
    }
    if (callerIsHere) {
        send(std::move(argv), std::move(pending));
        return;
    }
    // std::function must be copyable, so the move-only parts ride in a shared_ptr.
    auto parcel = std::make_shared<std::pair<QList<QByteArray>, std::unique_ptr<Pending>>>(
        std::move(argv), std::move(pending));
    QMetaObject::invokeMethod(
        this, [this, parcel] { send(std::move(parcel->first), std::move(parcel->second)); },
        Qt::QueuedConnection);
}

void RedisConnection::send(QList<QByteArray> argv, std::unique_ptr<Pending> pending)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (argv.isEmpty()) {
        deliver(*pending, RedisReply::error(QByteArrayLiteral("ERR empty command")), true);
        return;
    }
    if (isSubscriptionCommand(argv.constFirst())) {
        deliver(*pending,
            RedisReply::error("ERR " + argv.constFirst()
                + " is not allowed on a command connection; "
                  "use RedisSubscriber"),
            true);
        return;
    }
    if (state() != State::Connected || !m_context) {
        const QString why = m_lastError.isEmpty() ? QString() : (u" (" + m_lastError + u')');
        deliver(*pending,
            RedisReply::clientFailure(RedisReply::ClientError::NotConnected,
                u"not connected to Redis at " + m_url.redacted() + why),
            true);
        return;
    }
    if (m_inFlight >= m_options.maxInFlight) {
        deliver(*pending,
            RedisReply::clientFailure(RedisReply::ClientError::Overloaded,
                u"too many Redis commands in flight (limit " + QString::number(m_options.maxInFlight) + u')'),
            true);
        return;
    }
    if (!sendRaw(argv, &RedisConnection::onReply, pending.get())) {
        deliver(*pending,
            RedisReply::clientFailure(
                RedisReply::ClientError::NotConnected, QStringLiteral("Redis connection is closing")),
            true);
        return;
    }
    pending.release(); // now owned by hiredis until onReply
    ++m_inFlight;
}

bool RedisConnection::sendRaw(
    const QList<QByteArray> &argv, void (*callback)(redisAsyncContext *, void *, void *), void *privdata)
{
    if (!m_context)
        return false;
    std::vector<const char *> args;
    std::vector<size_t> lengths;
    args.reserve(size_t(argv.size()));
    lengths.reserve(size_t(argv.size()));
    for (const QByteArray &arg : argv) {
        args.push_back(arg.constData());
        lengths.push_back(size_t(arg.size()));
    }
    return redisAsyncCommandArgv(m_context, callback, privdata, int(args.size()), args.data(), lengths.data())
        == REDIS_OK;
}

void RedisConnection::sendInternal(QList<QByteArray> argv, ReplyHandler handler)
{
    auto pending = std::make_unique<Pending>();
    pending->connection = this;
    pending->internal = true;
    pending->handler = std::move(handler);
    if (sendRaw(argv, &RedisConnection::onReply, pending.get())) {
        pending.release();
        return;
    }
    // Never fail synchronously here: we may be inside onConnect, where freeing the
    // context would corrupt hiredis.
    const quint64 generation = m_generation;
    QMetaObject::invokeMethod(
        this,
        [this, generation] {
            if (generation == m_generation)
                fail(QStringLiteral("could not queue the connection handshake"));
        },
        Qt::QueuedConnection);
}

bool RedisConnection::sendSubscription(const QList<QByteArray> &argv)
{
    if (state() != State::Connected)
        return false;
    return sendRaw(argv, &RedisConnection::onPush, nullptr);
}

void RedisConnection::onReply(redisAsyncContext *context, void *reply, void *privdata)
{
    std::unique_ptr<Pending> pending(static_cast<Pending *>(privdata));
    RedisConnection *self = pending->connection;
    if (pending->internal) {
        if (reply) // NULL: the context died; the disconnect path reports that
            pending->handler(RedisReply::fromHiredis(static_cast<redisReply *>(reply)));
        return;
    }
    --self->m_inFlight;
    if (reply) {
        self->deliver(*pending, RedisReply::fromHiredis(static_cast<redisReply *>(reply)), false);
        return;
    }
    // NULL reply: hiredis is tearing the context down. Answer through the event loop,
    // so no user code runs inside hiredis' teardown.
    const RedisReply failure = !self->m_wanted
        ? RedisReply::clientFailure(
            RedisReply::ClientError::Closed, QStringLiteral("Redis connection closed"))
        : RedisReply::clientFailure(RedisReply::ClientError::ConnectionLost,
            u"Redis connection lost before the reply: "
                + (context->err ? hiredisError(context) : self->m_lastError));
    self->deliver(*pending, failure, true);
}

void RedisConnection::onPush(redisAsyncContext *context, void *reply, void *)
{
    auto *self = static_cast<RedisConnection *>(context->data);
    if (!reply || !self || !self->m_pushHandler)
        return;
    self->m_pushHandler(RedisReply::fromHiredis(static_cast<redisReply *>(reply)));
}

void RedisConnection::deliver(Pending &pending, const RedisReply &reply, bool queued)
{
    if (!pending.wantsReply) {
        if (reply.isError() && reply.clientError() == RedisReply::ClientError::None)
            qCWarning(lcRedis).noquote()
                << "Redis" << m_logName
                << "error on a command without a reply handler:" << reply.errorMessage();
        return;
    }
    if (pending.relay) {
        emit pending.relay->ready(reply); // queued to the context's thread by Qt
        return;
    }
    QObject *context = pending.context.data();
    if (!context)
        return; // owner gone: drop the reply
    if (!queued) {
        pending.handler(reply);
        return;
    }
    QMetaObject::invokeMethod(
        context, [handler = std::move(pending.handler), reply] { handler(reply); }, Qt::QueuedConnection);
}

} // namespace sb::cluster
