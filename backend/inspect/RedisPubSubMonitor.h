#pragma once

#include "inspect/RedisPubSubMonitorSettings.h"
#include "protocol/TrafficFrame.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

class QTimer;

namespace sb::cluster {
class RedisSubscriber;
} // namespace sb::cluster

namespace sb::inspect {

// A Traffic source: PSUBSCRIBEs one pattern (default `sb:bus:*`, the stage-2 bus) on its own
// pub/sub connection and turns every message into a TrafficFrame (transport Redis, direction
// In, command PUBLISH, destination the channel, source "redis", header `pattern`, messageId
// from the node's bus JSON), handed over in batches of at most maxBatchFrames or maxBatchMs.
//
// When Redis goes away the state says so (Error, with the reason and the next retry) and the
// connection retries with back-off (1, 2, 4 … 30 s by default), subscribing again by itself;
// what was published meanwhile is lost, as for every pub/sub subscriber.
//
// Memory stays bounded: one batch at most, bodies cut at bodyLimit, and at most
// maxFramesPerSecond frames a second leave the monitor (the rest are counted, not kept).
//
// Lives on a worker thread (create it, moveToThread()); start() and stop() may be called
// from any thread. Signals are emitted on the worker thread: connect them queued to the GUI.
// Destroy it on its thread (QThread::finished -> deleteLater).
class RedisPubSubMonitor : public QObject
{
    Q_OBJECT

public:
    enum class State { Stopped, Connecting, Live, Error };
    Q_ENUM(State)

    explicit RedisPubSubMonitor(RedisPubSubMonitorSettings settings, QObject *parent = nullptr);
    ~RedisPubSubMonitor() override;

    // Thread-safe. Connects and subscribes; no-op while started.
    void start();
    // Thread-safe. Hands over the batch in hand, unsubscribes by closing the connection, and
    // reports Stopped. start() may be called again later.
    void stop();

    // The monitor's thread only.
    State state() const { return m_state; }
    QString stateReason() const { return m_reason; }
    const RedisPubSubMonitorSettings &settings() const { return m_settings; }

    // The message id of a node's bus envelope ({"type":"message","message":{"id":…}}), or
    // empty for anything else (presence envelopes, foreign payloads, invalid JSON).
    static QString busMessageId(const QByteArray &payload);

Q_SIGNALS:
    void framesReady(const QList<sb::protocol::TrafficFrame> &frames);
    // Stopped, Connecting (with where), Live (subscribed: what is published from now on
    // arrives), Error (why, and when the next attempt is).
    void stateChanged(sb::inspect::RedisPubSubMonitor::State state, const QString &reason);
    // Messages seen but not handed over since start() because more than maxFramesPerSecond came.
    void framesDropped(qint64 total);

private:
    void startHere();
    void stopHere();
    void onMessage(const QByteArray &pattern, const QByteArray &channel, const QByteArray &payload);
    void onDisconnected(const QString &reason);
    void onReconnectScheduled(int delayMs);
    void flush();
    QString sharedChannel(const QByteArray &channel);
    void setState(State state, const QString &reason);

    const RedisPubSubMonitorSettings m_settings;
    const QString m_where; // the URL without its password: all that may be shown
    cluster::RedisSubscriber *m_subscriber = nullptr;
    QTimer *m_flushTimer;
    QList<protocol::TrafficFrame> m_batch;
    // Strings every frame repeats, shared rather than copied per frame.
    const QString m_source;
    const QString m_command;
    QByteArray m_headerBlock; // the one `pattern` header
    QHash<QByteArray, QString> m_channels; // bounded: forgotten past kMaxSharedChannels
    QElapsedTimer m_rateWindow;
    int m_framesInWindow = 0;
    qint64 m_dropped = 0;
    qint64 m_droppedReported = 0;
    bool m_wasLive = false; // since the last connect: tells "lost connection" from "cannot connect"
    QString m_lastError;
    State m_state = State::Stopped;
    QString m_reason;
};

} // namespace sb::inspect
