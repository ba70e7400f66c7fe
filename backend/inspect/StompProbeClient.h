#pragma once

#include "inspect/ProbeState.h"
#include "inspect/StompProbeSettings.h"
#include "protocol/StompDecoder.h"
#include "protocol/StompHeartBeat.h"
#include "protocol/TrafficFrame.h"

#include <QHash>
#include <QObject>
#include <QPointer>

class QTimer;
class QWebSocket;

namespace sb::inspect {

// A STOMP client for looking at any STOMP-over-WebSocket endpoint (a Switchboard node,
// RabbitMQ Web-STOMP, a Spring app, with or without SockJS): it connects with the CONNECT
// headers and subprotocols it is given, subscribes, sends, acks, honours heart-beats both
// ways, and reports every frame it sends or receives as a TrafficFrame (direction In: what
// the probe sent to the server; Out: what the server sent), every state change, and one
// clear sentence for every failure: the connection refused, the handshake's HTTP status,
// a STOMP ERROR, the WebSocket close code and reason, SockJS's c[code,"reason"], a
// heart-beat timeout, a malformed frame.
//
// Heart-beats are counted (heartBeatsChanged, at most once a second), not emitted as frames.
// Frames come one signal each: connect frame() directly (same thread) to a batcher such as
// the console's capture, never queued to the GUI one by one.
//
// Asynchronous and single-threaded: it lives on any thread with an event loop (the console
// runs it on its capture thread) and never waits; call its slots on that thread, or queue
// them with QMetaObject::invokeMethod.
class StompProbeClient : public QObject
{
    Q_OBJECT
public:
    static constexpr int kDisconnectGraceMs = 2000; // stop(): how long to wait for DISCONNECT's RECEIPT
    static constexpr int kHeartBeatReportMs = 1000; // heartBeatsChanged at most this often
    static constexpr int kMaxRememberedAcks = 1000; // MESSAGEs whose ack headers ack() can look up

    explicit StompProbeClient(QObject *parent = nullptr);
    ~StompProbeClient() override;

    ProbeState state() const { return m_state; }
    // Why the probe failed (state Failed); empty otherwise.
    const QString &errorString() const { return m_error; }
    const StompProbeSettings &settings() const { return m_settings; }
    // What was negotiated; valid once Live.
    protocol::StompVersion version() const { return m_version; }
    protocol::StompHeartBeatIntervals heartBeat() const { return m_heartBeat; }
    const QString &session() const { return m_session; }
    const QString &subprotocol() const { return m_subprotocol; }
    qint64 heartBeatsSent() const { return m_beatsSent; }
    qint64 heartBeatsReceived() const { return m_beatsReceived; }

public slots:
    // Connects (again, from scratch, if it already ran). A bad setting fails at once with
    // settings.problem().
    void start(const sb::inspect::StompProbeSettings &settings);
    // SUBSCRIBE with a receipt; returns the subscription id (`id`, or sub-N when empty).
    // Frames asked for before CONNECTED are sent right after it.
    QString subscribe(const QString &destination, const QString &id = {}, const QString &ackMode = {});
    void unsubscribe(const QString &subscriptionId);
    void send(
        const QString &destination, const QByteArray &body, const sb::inspect::ProbeHeaders &headers = {});
    // ACK/NACK a MESSAGE by its message-id: the client remembers the MESSAGE's `ack` and
    // `subscription` headers and builds the frame the negotiated version wants.
    void ack(const QString &messageId);
    void nack(const QString &messageId);
    // DISCONNECT with a receipt, then close (Closed); at once when not connected.
    void stop();
    // Closes the connection at once (Closed).
    void abort();

signals:
    void frame(const sb::protocol::TrafficFrame &frame);
    void stateChanged(sb::inspect::ProbeState state, const QString &detail);
    // The server's RECEIPT for a SUBSCRIBE arrived: the subscription is in place.
    void subscribed(const QString &subscriptionId, const QString &destination);
    void heartBeatsChanged(qint64 sent, qint64 received);

private:
    struct AckInfo
    {
        QByteArray ack; // the MESSAGE's ack header (STOMP 1.2), if any
        QByteArray subscription; // its subscription header
    };

    void onSocketConnected();
    void onSocketDisconnected();
    void onSocketError();
    void onMessage(const QByteArray &payload);
    void onSockJsMessage(const QByteArray &payload);
    void feedStomp(QByteArrayView bytes);
    void onStompFrame(const protocol::StompFrame &frame, qint64 wireBytes);
    void onConnected(const protocol::StompFrame &frame);
    void sendConnect();
    void sendFrame(const protocol::StompFrame &frame);
    void writeWire(const QByteArray &bytes);
    void sendAckOrNack(const QByteArray &command, const QString &messageId);
    void sendHeartBeat();
    void onSilence();
    void noteHeartBeatReceived();
    void reportHeartBeats();
    void restartSilenceTimer();
    void fail(const QString &error);
    void finishClosed(const QString &detail);
    void setState(ProbeState state, const QString &detail);
    void dropSocket();
    protocol::TrafficFrame traffic(const protocol::StompFrame &frame,
        protocol::TrafficFrame::Direction direction, qint64 wireBytes) const;

    StompProbeSettings m_settings;
    ProbeState m_state = ProbeState::Idle;
    QString m_error;
    QPointer<QWebSocket> m_socket;
    protocol::StompDecoder m_decoder { protocol::StompDecoder::Accept::ServerFrames };
    protocol::StompVersion m_version = protocol::StompVersion::V1_2;
    protocol::StompHeartBeat m_offer; // what our CONNECT said
    protocol::StompHeartBeatIntervals m_heartBeat;
    QString m_session;
    QString m_user;
    QString m_subprotocol;
    bool m_sawSockJsOpen = false;
    bool m_stopping = false;
    int m_nextSubscription = 0;
    QList<protocol::StompFrame> m_held; // asked for before CONNECTED
    QHash<QString, QString> m_subscribeReceipts; // receipt id → subscription id
    QHash<QString, QString> m_subscriptionDestinations;
    QHash<QString, AckInfo> m_acks; // message-id → its ack headers
    QList<QString> m_ackOrder; // oldest first, to bound m_acks
    qint64 m_beatsSent = 0;
    qint64 m_beatsReceived = 0;
    QTimer *m_connectTimer;
    QTimer *m_beatTimer; // fires when we have sent nothing for the outgoing interval
    QTimer *m_silenceTimer; // fires when the server has sent nothing for 2× its interval
    QTimer *m_stopTimer; // DISCONNECT's RECEIPT did not come
    QTimer *m_reportTimer; // coalesces heartBeatsChanged
};

} // namespace sb::inspect
