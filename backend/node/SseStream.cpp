#include "node/SseStream.h"

#include "cluster/ReplayStore.h"
#include "node/ChannelPolicy.h"
#include "node/MessageService.h"
#include "node/NodeMetrics.h"
#include "node/PerUserQuota.h"
#include "node/SessionLease.h"
#include "node/SharedSseEvent.h"
#include "node/SubscriptionTable.h"
#include "node/TapHub.h"
#include "node/WallClock.h"
#include "protocol/HttpResponse.h"
#include "protocol/SseEncoder.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QUuid>

#include <utility>

namespace sb::node {

SseStream::SseStream(QTcpSocket *socket, const AuthenticatedUser &user, const QString &lastEventId,
    bool http10, WriteBatch *batch, PeriodicTimers *periodicTimers, SubscriptionTable *subscriptions,
    const ChannelPolicy *policy, const SseStreamDeps &deps, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_user(user)
    , m_lastEventId(lastEventId)
    , m_http10(http10)
    , m_subscriptions(subscriptions)
    , m_policy(policy)
    , m_deps(deps)
    , m_sessionId(QUuid::createUuid().toString(QUuid::Id128).left(16))
    , m_startedAtMs(QDateTime::currentMSecsSinceEpoch())
    , m_periodicTimers(periodicTimers)
    , m_presence(deps.records.presence, deps.records.presenceEvents)
    , m_held(batch, this)
    , m_queue(socket, deps.metrics)
{
    socket->setParent(this);
    deps.metrics->connectionOpened(NodeMetrics::Transport::Sse);
    connect(socket, &QTcpSocket::disconnected, this, &SseStream::onDisconnected);
    // A client sends nothing on an SSE stream; whatever arrives is discarded, never buffered.
    connect(socket, &QTcpSocket::readyRead, this, [this] { m_socket->readAll(); });
    m_lifetimeTimer.setSingleShot(true);
    connect(&m_lifetimeTimer, &QTimer::timeout, this, [this] {
        finish(QStringLiteral("stream lifetime of %1 s reached; reconnect (Last-Event-ID resumes)")
                   .arg(m_deps.lifetimeSeconds),
            QByteArrayLiteral("lifetime"));
    });
}

SseStream::~SseStream()
{
    if (!m_closed) {
        if (m_closeWhy.isEmpty())
            m_closeWhy = QByteArrayLiteral("shutdown"); // the node went away under it
        onDisconnected();
    }
}

void SseStream::start()
{
    protocol::HttpResponse head(200);
    head.setHeader("Content-Type", "text/event-stream; charset=utf-8");
    head.setHeader("Cache-Control", "no-cache");
    head.setHeader("X-Accel-Buffering", "no");
    head.setHeader("Connection", m_http10 ? "close" : "keep-alive");
    if (!write(head.serializeHead() + protocol::SseEncoder::encodeRetry(m_deps.retryMs))) {
        // The client left during the hand-over: no disconnected() will come any more, so
        // give back the stream quota and the connection count here, or both leak.
        onDisconnected();
        return;
    }
    m_subscriptions->addStream(m_user.name, this);
    m_opened = true;
    if (m_deps.tap->wants()) {
        TapEvent open = lifecycleEvent(QByteArrayLiteral("OPEN"));
        open.headers.append({ QByteArrayLiteral("remote"),
            m_socket->peerAddress().toString().toUtf8() + ':' + QByteArray::number(m_socket->peerPort()) });
        if (!m_lastEventId.isEmpty())
            open.headers.append({ QByteArrayLiteral("last-event-id"), m_lastEventId.toUtf8() });
        open.body = channelsJson();
        open.wholeBody = true;
        m_deps.tap->publish(open);
    }
    m_lease = std::make_unique<SessionLease>(m_deps.records.sessions, m_periodicTimers, m_deps.records.nodeId,
        m_sessionId, m_user.name, QByteArrayLiteral("sse"), m_socket->peerAddress().toString());
    if (m_periodicTimers)
        m_commentTick = m_periodicTimers->start(m_deps.commentSeconds * 1000,
            [this] { write(protocol::SseEncoder::encodeComment(u"keep-alive")); });
    m_lifetimeTimer.start(m_deps.lifetimeSeconds * 1000);
    m_presence.open(m_user.name, this);
    if (!m_lastEventId.isEmpty()) {
        m_seam.emplace();
        m_deps.replay->readAfter(m_user.name, m_lastEventId, this,
            [this](const cluster::ReplayResult &result) { onReplay(result); });
    }
}

void SseStream::onReplay(const cluster::ReplayResult &result)
{
    if (m_closed)
        return;
    if (result.reset || !result.error.isEmpty()) {
        const QString reason = result.error.isEmpty()
            ? QStringLiteral("Last-Event-ID %1 is older than the replay store holds").arg(m_lastEventId)
            : QStringLiteral("replay store unavailable: ") + result.error;
        const QByteArray data = QJsonDocument(QJsonObject { { QStringLiteral("reason"), reason },
                                                  { QStringLiteral("lastEventId"), m_lastEventId } })
                                    .toJson(QJsonDocument::Compact);
        // No id: the client must keep its Last-Event-ID until a real event moves it.
        write(protocol::SseEncoder::encode(
            { QString(), QStringLiteral("reset"), QString::fromUtf8(data), -1 }));
    }
    for (const ReplaySeam::Item &item : m_seam->finish(result))
        writeEvent(item.event, SharedSseEvent(item.event).bytes(), item.publishedAtUs);
    if (m_seam->isDone())
        m_seam.reset();
}

void SseStream::deliver(const SharedSseEvent &event, qint64 publishedAtUs)
{
    if (m_closed)
        return;
    if (m_seam) {
        const ReplaySeam::Live verdict = m_seam->offer(event.event(), publishedAtUs);
        if (m_seam->isDone())
            m_seam.reset();
        if (verdict == ReplaySeam::Live::Overflow) {
            dropSlowConsumer(
                QStringLiteral("too many events held while replaying"), QByteArrayLiteral("replay_held"));
            return;
        }
        if (verdict != ReplaySeam::Live::Deliver)
            return;
    }
    writeEvent(event.event(), event.bytes(), publishedAtUs);
}

void SseStream::writeEvent(const cluster::ReplayEvent &event, const QByteArray &bytes, qint64 publishedAtUs)
{
    if (!write(bytes))
        return;
    m_deps.metrics->message(NodeMetrics::Transport::Sse, NodeMetrics::Direction::Out);
    if (publishedAtUs > 0)
        m_deps.metrics->observeDeliveryLatency(double(wallClockMicros() - publishedAtUs) / 1e6);
    tap(event, bytes.size());
}

bool SseStream::write(const QByteArray &bytes)
{
    if (m_closed || m_closing || !m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return false;
    if (m_held.size() + m_queue.pending() + bytes.size() > m_deps.maxOutboundQueueBytes) {
        flush();
        m_socket->flush(); // what the kernel takes now is not backlog (non-blocking)
        m_queue.recount();
    }
    // A slow consumer: close rather than queue without bound (or without end); it resumes with
    // Last-Event-ID. The reason still goes out (a few bytes past the limit), then the lingering close.
    if (m_queue.pending() + bytes.size() > m_deps.maxOutboundQueueBytes) {
        dropSlowConsumer(QStringLiteral("more than %1 bytes queued").arg(m_deps.maxOutboundQueueBytes),
            QByteArrayLiteral("outbound_bytes"));
        return false;
    }
    if (m_deps.maxOutboundAgeMs > 0 && m_queue.waitedLongerThan(m_deps.maxOutboundAgeMs)) {
        dropSlowConsumer(
            QStringLiteral("an event waited more than %1 ms unsent").arg(m_deps.maxOutboundAgeMs),
            QByteArrayLiteral("outbound_age"));
        return false;
    }
    if (!m_held.hasBatch()) {
        m_queue.write(bytes);
        return true;
    }
    m_held.toAppend().append(bytes);
    if (m_held.isFull())
        flush();
    return true;
}

void SseStream::flush()
{
    if (!m_held.isEmpty())
        m_queue.write(m_held.take());
}

void SseStream::dropSlowConsumer(const QString &what, const QByteArray &limit)
{
    m_deps.metrics->dropped(QByteArrayLiteral("slow_consumer"));
    m_deps.metrics->slowConsumer(limit);
    m_held.drop(); // so the reason follows what the socket holds, not the whole backlog
    m_queue.dropWaiting();
    finish(u"slow consumer: " + what + u"; reconnect with Last-Event-ID", QByteArrayLiteral("slow_consumer"));
}

void SseStream::tap(const cluster::ReplayEvent &event, qint64 bytes)
{
    if (!m_deps.tap->wants())
        return;
    TapEvent tapEvent;
    tapEvent.tsMs = QDateTime::currentMSecsSinceEpoch();
    tapEvent.session = m_sessionId;
    tapEvent.user = m_user.name;
    tapEvent.transport = QByteArrayLiteral("sse");
    tapEvent.direction = QByteArrayLiteral("out");
    tapEvent.command = event.type;
    tapEvent.messageId = event.id;
    tapEvent.bytes = bytes;
    tapEvent.body = event.data;
    m_deps.tap->publish(tapEvent);
}

void SseStream::goAway()
{
    finish(
        QStringLiteral("server shutting down; reconnect to another replica"), QByteArrayLiteral("draining"));
}

void SseStream::revoke()
{
    finish(QStringLiteral("credentials changed; authenticate again"), QByteArrayLiteral("revoked"));
}

TapEvent SseStream::lifecycleEvent(const QByteArray &command) const
{
    TapEvent event;
    event.tsMs = QDateTime::currentMSecsSinceEpoch();
    event.session = m_sessionId;
    event.user = m_user.name;
    event.transport = QByteArrayLiteral("sse");
    event.command = command;
    return event;
}

QByteArray SseStream::channelsJson() const
{
    const QStringList channels = m_policy->channelsOf(m_user.name);
    return QJsonDocument(QJsonObject { { QStringLiteral("channels"), QJsonArray::fromStringList(channels) } })
        .toJson(QJsonDocument::Compact);
}

TapEvent SseStream::tapState() const
{
    TapEvent event = lifecycleEvent(QByteArrayLiteral("STATE"));
    event.headers.append({ QByteArrayLiteral("since"), TapEvent::isoTime(m_startedAtMs) });
    event.body = channelsJson();
    event.wholeBody = true;
    return event;
}

void SseStream::finish(const QString &reason, const QByteArray &why)
{
    if (m_closed || !m_socket || m_closing)
        return;
    m_closing = true;
    if (m_closeWhy.isEmpty())
        m_closeWhy = why;
    // Why, as a comment (invisible to EventSource, read by curl, proxies' logs and our probe),
    // then when to come back; written past the outbound limit, since they are the last bytes.
    const QString comment = u"closing (" + QString::fromLatin1(why) + u"): " + reason;
    flush();
    m_queue.handAllToSocket();
    m_socket->write(
        protocol::SseEncoder::encodeComment(comment) + protocol::SseEncoder::encodeRetry(m_deps.retryMs));
    // A lingering close (LingeringSocket): what is queued is written, then FIN; never a reset
    // that would make the client's kernel drop the reason unread.
    m_socket->close();
}

void SseStream::onDisconnected()
{
    if (m_closed)
        return;
    m_closed = true;
    m_held.drop(); // the client is gone: nobody reads them
    if (m_periodicTimers)
        m_periodicTimers->stop(std::exchange(m_commentTick, 0));
    m_lifetimeTimer.stop();
    if (m_opened)
        m_subscriptions->removeStream(m_user.name, this);
    if (m_opened && m_deps.tap->wants()) {
        TapEvent close = lifecycleEvent(QByteArrayLiteral("CLOSE"));
        close.headers.append(
            { QByteArrayLiteral("reason"), m_closeWhy.isEmpty() ? QByteArrayLiteral("client") : m_closeWhy });
        m_deps.tap->publish(close);
    }
    m_deps.streamsPerUser->release(m_user.name);
    m_deps.metrics->connectionClosed(NodeMetrics::Transport::Sse);
    m_lease.reset();
    m_presence.close(parent()); // the worker outlives the stream
    emit finished(this);
    deleteLater();
}

} // namespace sb::node
