#include "inspect/RedisPubSubMonitor.h"

#include "cluster/RedisConnection.h"
#include "cluster/RedisSubscriber.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QThread>
#include <QTimer>

#include <utility>

namespace sb::inspect {

namespace {

Q_LOGGING_CATEGORY(lcRedisPubSubMonitor, "sb.inspect.traffic.redis", QtInfoMsg)

// Channels seen are kept to share their names between frames; a pattern that matches
// ever-new channel names must not grow the pool without bound.
constexpr qsizetype kPubSubMaxSharedChannels = 1024;
// Larger payloads are shown but not parsed for a message id: the node's envelopes are far
// smaller, and parsing a huge foreign payload would stall the worker.
constexpr qsizetype kPubSubMaxParsedBytes = 1024 * 1024;

QString pubSubDelayText(int delayMs)
{
    if (delayMs < 1000)
        return QString::number(delayMs) + u" ms";
    return QString::number(double(delayMs) / 1000.0, 'f', 1) + u" s";
}

} // namespace

RedisPubSubMonitor::RedisPubSubMonitor(RedisPubSubMonitorSettings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_where(m_settings.url.redacted())
    , m_flushTimer(new QTimer(this))
    , m_source(QStringLiteral("redis"))
    , m_command(QStringLiteral("PUBLISH"))
{
    qRegisterMetaType<QList<sb::protocol::TrafficFrame>>();
    qRegisterMetaType<sb::inspect::RedisPubSubMonitor::State>();
    protocol::TrafficFrame headerOnly;
    headerOnly.setHeaders({ { QStringLiteral("pattern"), QString::fromUtf8(m_settings.pattern) } });
    m_headerBlock = headerOnly.headerBlock;
    m_flushTimer->setSingleShot(true);
    connect(m_flushTimer, &QTimer::timeout, this, &RedisPubSubMonitor::flush);
}

RedisPubSubMonitor::~RedisPubSubMonitor()
{
    if (m_subscriber) {
        // No signal from a monitor being destroyed: nobody may be left to receive it.
        m_subscriber->disconnect(this);
        m_subscriber->connection()->disconnect(this);
    }
}

void RedisPubSubMonitor::start()
{
    if (QThread::currentThread() != thread()) {
        QMetaObject::invokeMethod(this, &RedisPubSubMonitor::startHere, Qt::QueuedConnection);
        return;
    }
    startHere();
}

void RedisPubSubMonitor::stop()
{
    if (QThread::currentThread() != thread()) {
        QMetaObject::invokeMethod(this, &RedisPubSubMonitor::stopHere, Qt::QueuedConnection);
        return;
    }
    stopHere();
}

void RedisPubSubMonitor::startHere()
{
    if (m_subscriber)
        return;
    if (!m_settings.url.isValid()) {
        setState(State::Error, u"invalid Redis URL: " + m_settings.url.errorString());
        return;
    }
    if (m_settings.pattern.isEmpty()) {
        setState(State::Error, QStringLiteral("no channel pattern to subscribe to"));
        return;
    }
    cluster::RedisConnectionOptions options;
    options.name = m_settings.clientName;
    options.reconnectMin = m_settings.reconnectMin;
    options.reconnectMax = m_settings.reconnectMax;
    options.connectTimeout = m_settings.connectTimeout;
    m_subscriber = new cluster::RedisSubscriber(m_settings.url, options, this);
    connect(m_subscriber, &cluster::RedisSubscriber::patternMessage, this, &RedisPubSubMonitor::onMessage);
    connect(m_subscriber, &cluster::RedisSubscriber::subscribed, this, [this](const QByteArray &name) {
        if (name != m_settings.pattern)
            return;
        m_wasLive = true;
        setState(State::Live, u"subscribed to " + QString::fromUtf8(m_settings.pattern) + u" on " + m_where);
    });
    cluster::RedisConnection *connection = m_subscriber->connection();
    connect(connection, &cluster::RedisConnection::connected, this, [this] {
        setState(State::Connecting,
            u"connected to " + m_where + u", subscribing to " + QString::fromUtf8(m_settings.pattern));
    });
    connect(connection, &cluster::RedisConnection::disconnected, this, &RedisPubSubMonitor::onDisconnected);
    connect(connection, &cluster::RedisConnection::reconnectScheduled, this,
        &RedisPubSubMonitor::onReconnectScheduled);

    m_rateWindow.start();
    m_framesInWindow = 0;
    m_dropped = 0;
    m_droppedReported = 0;
    m_wasLive = false;
    setState(State::Connecting, u"connecting to " + m_where);
    m_subscriber->psubscribe(m_settings.pattern);
    m_subscriber->open();
    qCInfo(lcRedisPubSubMonitor).noquote() << "monitoring" << m_settings.pattern << "on" << m_where;
}

void RedisPubSubMonitor::stopHere()
{
    if (!m_subscriber)
        return;
    flush();
    m_subscriber->disconnect(this);
    m_subscriber->connection()->disconnect(this);
    m_subscriber->close();
    // Later: stop() may come from a slot of framesReady, i.e. from inside a subscriber callback.
    m_subscriber->deleteLater();
    m_subscriber = nullptr;
    m_channels.clear();
    setState(State::Stopped, QStringLiteral("stopped"));
}

void RedisPubSubMonitor::onMessage(
    const QByteArray &pattern, const QByteArray &channel, const QByteArray &payload)
{
    Q_UNUSED(pattern); // one pattern per monitor: its header block is built once
    if (m_rateWindow.elapsed() >= 1000) {
        m_rateWindow.restart();
        m_framesInWindow = 0;
    }
    if (m_framesInWindow >= m_settings.maxFramesPerSecond) {
        ++m_dropped;
        if (!m_flushTimer->isActive()) // reports the count even when no frame is pending
            m_flushTimer->start(m_settings.maxBatchMs);
        return;
    }
    ++m_framesInWindow;

    protocol::TrafficFrame frame;
    frame.tsMs = QDateTime::currentMSecsSinceEpoch();
    frame.source = m_source;
    frame.transport = protocol::TrafficFrame::Transport::Redis;
    frame.direction = protocol::TrafficFrame::Direction::In;
    frame.command = m_command;
    frame.destination = sharedChannel(channel);
    frame.headerBlock = m_headerBlock;
    frame.messageId = busMessageId(payload);
    frame.bytes = payload.size();
    if (payload.size() > m_settings.bodyLimit) {
        frame.body = payload.left(m_settings.bodyLimit);
        frame.truncated = true;
    } else {
        frame.body = payload;
    }
    m_batch.append(std::move(frame));
    if (m_batch.size() >= m_settings.maxBatchFrames)
        flush();
    else if (!m_flushTimer->isActive())
        m_flushTimer->start(m_settings.maxBatchMs);
}

void RedisPubSubMonitor::flush()
{
    m_flushTimer->stop();
    if (!m_batch.isEmpty()) {
        QList<protocol::TrafficFrame> batch = std::exchange(m_batch, {});
        emit framesReady(batch);
    }
    if (m_dropped != m_droppedReported) {
        m_droppedReported = m_dropped;
        qCDebug(lcRedisPubSubMonitor) << m_dropped << "messages dropped over the frame rate limit";
        emit framesDropped(m_dropped);
    }
}

void RedisPubSubMonitor::onDisconnected(const QString &reason)
{
    m_lastError = (m_wasLive ? u"lost connection to " : u"cannot connect to ") + m_where + u": " + reason;
    m_wasLive = false;
    setState(State::Error, m_lastError);
}

void RedisPubSubMonitor::onReconnectScheduled(int delayMs)
{
    setState(State::Error, m_lastError + u"; retrying in " + pubSubDelayText(delayMs));
}

QString RedisPubSubMonitor::sharedChannel(const QByteArray &channel)
{
    const auto it = m_channels.constFind(channel);
    if (it != m_channels.cend())
        return it.value();
    if (m_channels.size() >= kPubSubMaxSharedChannels)
        m_channels.clear();
    const QString name = QString::fromUtf8(channel);
    m_channels.insert(channel, name);
    return name;
}

QString RedisPubSubMonitor::busMessageId(const QByteArray &payload)
{
    if (payload.size() > kPubSubMaxParsedBytes || !QByteArrayView(payload).trimmed().startsWith('{'))
        return {};
    const QJsonDocument document = QJsonDocument::fromJson(payload);
    const QJsonValue id = document.object().value(u"message").toObject().value(u"id");
    if (id.isString())
        return id.toString();
    if (id.isDouble())
        return QString::number(static_cast<qint64>(id.toDouble()));
    return {};
}

void RedisPubSubMonitor::setState(State state, const QString &reason)
{
    if (state == m_state && reason == m_reason)
        return;
    m_state = state;
    m_reason = reason;
    if (state == State::Error)
        qCInfo(lcRedisPubSubMonitor).noquote() << reason;
    emit stateChanged(state, reason);
}

} // namespace sb::inspect
