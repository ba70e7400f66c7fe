#pragma once

#include "cluster/ReplayEvent.h"
#include "node/AuthenticatedUser.h"
#include "node/ConnectionPresence.h"
#include "node/HeldWrites.h"
#include "node/OutboundQueue.h"
#include "node/PeriodicTimers.h"
#include "node/ReplaySeam.h"
#include "node/SseStreamDeps.h"
#include "node/SseSubscriber.h"
#include "node/TapEvent.h"
#include "node/WriteBatch.h"

#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <memory>
#include <optional>

class QTcpSocket;

namespace sb::node {

class ChannelPolicy;
class SessionLease;
class SharedSseEvent;
class SubscriptionTable;

// One Server-Sent Events stream. On a Last-Event-ID it first replays what the user missed
// from the ReplayStore, buffering live events meanwhile, then sends the buffer minus what
// the replay already carried: no gap and no duplicate at the seam. Comment lines keep
// proxies from timing out; after its lifetime the stream sends `retry:` and closes so the
// client reconnects (anywhere) and dead clients never pin memory. Its user's notifications
// reach it through the worker's SubscriptionTable, where it registers once its head is out.
// What it writes is held for the worker's WriteBatch, as a STOMP session's frames are: the
// events of a burst of broadcasts go out with one send(2).
class SseStream : public QObject, public SseSubscriber, public WriteBatch::Holder
{
    Q_OBJECT
public:
    // batch, periodicTimers, subscriptions, policy, deps: the worker's, which outlive the
    // stream (as does `parent`, the worker: the context of the stream's last presence answer;
    // the timers may go first at the worker's end); deps is what the stream uses of the
    // replica. No batch: every write goes to the socket at once.
    SseStream(QTcpSocket *socket, const AuthenticatedUser &user, const QString &lastEventId, bool http10,
        WriteBatch *batch, PeriodicTimers *periodicTimers, SubscriptionTable *subscriptions,
        const ChannelPolicy *policy, const SseStreamDeps &deps, QObject *parent);
    ~SseStream() override;

    const AuthenticatedUser &user() const { return m_user; }
    void start();
    void deliver(const SharedSseEvent &event, qint64 publishedAtUs) override;
    // What is held for the batch goes to the socket.
    void flush() override;
    // Drain: a final retry, so the client reconnects elsewhere.
    void goAway();
    // The user's roles changed: a final retry; the next connection must authenticate again.
    void revoke();
    // The tap's STATE frame for this stream: the channels it carries, since when.
    TapEvent tapState() const;

signals:
    // The stream ended (the client left, or finish() closed it); it deletes itself later.
    void finished(sb::node::SseStream *stream);

private:
    void onReplay(const cluster::ReplayResult &result);
    // Whole events or comments, held for the batch (at most WriteBatch::kMaxHeldBytes), after
    // the outbound limits: false when the stream is closing or was dropped as slow.
    bool write(const QByteArray &bytes);
    void writeEvent(const cluster::ReplayEvent &event, const QByteArray &bytes, qint64 publishedAtUs);
    void tap(const cluster::ReplayEvent &event, qint64 bytes);
    // OPEN, CLOSE, STATE: frames the node makes about the stream (no direction).
    TapEvent lifecycleEvent(const QByteArray &command) const;
    // Counted by the limit that dropped it (NodeMetrics::slowConsumer), then finish().
    void dropSlowConsumer(const QString &what, const QByteArray &limit);
    // {"channels":[…]}: every channel the user is a member of reaches this stream.
    QByteArray channelsJson() const;
    // Ends the stream: a comment with `why` (the machine word of the tap's CLOSE frame:
    // lifetime, draining, revoked, slow_consumer) and `reason`, a final retry, then a
    // lingering close.
    void finish(const QString &reason, const QByteArray &why);
    void onDisconnected();

    QPointer<QTcpSocket> m_socket;
    AuthenticatedUser m_user;
    std::unique_ptr<SessionLease> m_lease;
    QString m_lastEventId;
    bool m_http10;
    SubscriptionTable *m_subscriptions;
    const ChannelPolicy *m_policy;
    const SseStreamDeps &m_deps;
    QString m_sessionId;
    qint64 m_startedAtMs;
    QByteArray m_closeWhy; // set when the node ends the stream; empty: the client left
    bool m_opened = false; // the head went out and the tap was told OPEN
    std::optional<ReplaySeam> m_seam; // while a Last-Event-ID replay meets the live stream
    QPointer<PeriodicTimers> m_periodicTimers; // the keep-alive comment and the lease's refresh
    PeriodicTimers::Id m_commentTick = 0;
    QTimer m_lifetimeTimer; // single shot, all of one length: Qt appends it to its list
    bool m_closed = false;
    bool m_closing = false; // finish() ran: nothing more is written
    ConnectionPresence m_presence; // counted once authenticated (STOMP) or opened (SSE)
    HeldWrites m_held; // written since the batch's last flush
    OutboundQueue m_queue; // what goes to the socket, and what waits for it
};

} // namespace sb::node
