#pragma once

#include "inspect/ProbeState.h"
#include "inspect/SseProbeSettings.h"
#include "inspect/SseProbeStream.h"
#include "protocol/TrafficFrame.h"

#include <QObject>
#include <QPointer>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace sb::inspect {

// An EventSource for looking at any Server-Sent Events endpoint (a node's /api/sse, or any
// other): it sends the headers it is given and an initial Last-Event-ID, and reports every
// event and comment as a TrafficFrame (transport Sse, direction Out; see SseProbeStream).
// When the stream ends or drops it reconnects after the server's retry: (or the default),
// sending the last event id it saw, and says so in the traffic itself:
//   GET        (direction In) the first request, with its headers (secrets masked);
//   RECONNECT  (direction In) each later request, with the Last-Event-ID it sent and why;
//   GAP        (no direction) right after an `event: reset`, which a node sends when that
//              id is no longer stored: events were missed at this seam.
// Like EventSource, an HTTP answer other than 200 text/event-stream is final (Failed, with
// the status and the start of the body); so is a first connection that cannot be made at
// all (refused, unknown host). Once a stream has been open, network failures and 502, 503
// and 504 (a replica restarting or draining behind a load balancer) are retried
// (SseProbeSettings::maxReconnectAttempts in a row at most).
//
// Asynchronous and single-threaded, on any thread with an event loop (the console's capture
// thread); frame() comes once per frame: connect it directly to a batcher.
class SseProbeClient : public QObject
{
    Q_OBJECT
public:
    static constexpr qsizetype kMaxErrorBodyBytes = 1024; // of a refused request's body, for the message
    static constexpr qsizetype kReadBufferBytes = 256 * 1024;

    explicit SseProbeClient(QObject *parent = nullptr);
    ~SseProbeClient() override;

    ProbeState state() const { return m_state; }
    // Why the probe failed (state Failed); empty otherwise.
    const QString &errorString() const { return m_error; }
    const SseProbeSettings &settings() const { return m_settings; }
    // What the next request sends as Last-Event-ID.
    const QString &lastEventId() const { return m_stream.lastEventId(); }
    // Requests made after the first.
    int reconnects() const { return m_reconnects; }
    // The delay before the next reconnect: the server's retry:, or the default.
    qint64 retryMs() const;

public slots:
    void start(const sb::inspect::SseProbeSettings &settings);
    // Ends the stream (Closed); no reconnect follows.
    void stop();

signals:
    void frame(const sb::protocol::TrafficFrame &frame);
    void stateChanged(sb::inspect::ProbeState state, const QString &detail);

private:
    void openStream(QString reconnectReason); // a copy: it clears m_abortReason, which callers pass
    void onMetaData();
    void onReadyRead();
    void onFinished();
    void abortAttempt(const QString &why);
    void scheduleReconnect(const QString &why);
    void fail(const QString &error);
    void dropReply();
    void setState(ProbeState state, const QString &detail);
    void emitFrame(protocol::TrafficFrame frame);
    QString describe(QNetworkReply *reply) const;

    SseProbeSettings m_settings;
    ProbeState m_state = ProbeState::Idle;
    QString m_error;
    QNetworkAccessManager *m_network;
    QPointer<QNetworkReply> m_reply;
    SseProbeStream m_stream;
    QString m_destination; // the URL's path: the frames' destination
    QString m_sentLastEventId; // on the current request
    QString m_abortReason; // why we aborted the current request ourselves
    QByteArray m_errorBody; // the start of a refused request's body
    bool m_opened = false; // the current request got 200 text/event-stream
    bool m_everOpened = false;
    int m_reconnects = 0;
    int m_failedAttempts = 0; // in a row
    QTimer *m_retryTimer;
    QTimer *m_connectTimer;
    QTimer *m_idleTimer;
};

} // namespace sb::inspect
