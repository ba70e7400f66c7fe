#pragma once

#include "SseEventReader.h"
#include "StompFrameReader.h"
#include "TargetKind.h"
#include "WebSocketFrameReader.h"

#include <cstdint>
#include <string>
#include <string_view>

class DeliveryLedger;

// What a connection needs to know of the server it talks to.
struct ConnectionSetup
{
    TargetKind kind = TargetKind::NodeStomp;
    std::string host = "127.0.0.1";
    int port = 0;
    std::string bearerToken; // the node's JWT; empty for the others
    int heartBeatMs = 0; // STOMP heart-beats offered both ways (0: off)
    // A subscriber turns TCP_QUICKACK off after each read (Linux clears it again whenever its
    // delayed-ACK timer fires): by default the kernel ACKs every small pushed segment as soon
    // as it is read, and on loopback each ACK's processing into the server's socket runs in
    // the reader's context, so at 1,000 subscribers the generator spent ~30 % of its core on
    // ACKs (docs/benchmarks.md, "The generator's ACKs").
    bool delayedAcks = false;
    int channels = 1; // how many channels the run spreads over (ChannelSpread)
    int channel = 0; // a subscriber's, of those
    // Self-check: subscribers drop this sequence number as if the server had lost it, so a
    // run shows that the accounting reports a loss (tests/bench). -1: none.
    int64_t discardSequence = -1;
};

// One non-blocking client socket driven by its loop's epoll: a subscriber (upgrade or
// SSE GET, STOMP CONNECT and SUBSCRIBE where the target speaks STOMP, then deliveries
// into the ledger) or the publisher (STOMP SEND over WebSocket, or HTTP POST on a kept-alive
// connection). Everything happens on the loop's thread.
class ClientConnection
{
public:
    enum class Role { Subscriber, Publisher };
    enum class State { Connecting, AwaitingHead, Handshaking, Ready, Closed };

    // `ledger` receives a subscriber's deliveries (null for the publisher); `epoll` is the
    // loop's, so the connection can ask for write readiness while its output is queued.
    ClientConnection(const ConnectionSetup &setup, Role role, DeliveryLedger *ledger, int epoll);
    ~ClientConnection();
    ClientConnection(const ClientConnection &) = delete;
    ClientConnection &operator=(const ClientConnection &) = delete;

    // Starts the non-blocking connect and registers with epoll (data.ptr = this).
    bool start();
    void onEvents(uint32_t events, std::string &readBuffer);

    State state() const { return m_state; }
    // µs from start() to Ready (subscribed, or able to publish); 0 until then.
    int64_t connectMicros() const { return m_connectMicros; }
    const std::string &closeReason() const { return m_closeReason; }

    // Publisher: one message with `body` on channel `channel` (of ConnectionSetup::channels).
    void publish(std::string_view body, int channel);
    // STOMP: one heart-beat EOL (sent by the loop every heart-beat interval).
    void sendHeartBeat();
    // HTTP publisher: answers received with a 2xx status, and with any other.
    uint64_t acceptedPublishes() const { return m_accepted; }
    uint64_t refusedPublishes() const { return m_refused; }

private:
    void onReadable(std::string &readBuffer);
    void onHead(std::string_view head);
    void onStream(std::string_view bytes);
    void onWebSocketMessage(std::string_view payload);
    void onStompFrame(const StompFrameReader::Frame &frame);
    void onSseEvent(std::string_view event);
    void onHttpAnswers(std::string_view bytes);
    void deliver(std::string_view bytes);
    void becomeReady();
    void write(std::string_view bytes);
    void flush();
    void close(std::string reason);
    void sendWebSocketText(std::string_view payload);
    std::string nameOfChannel(int channel) const;

    ConnectionSetup m_setup;
    Role m_role;
    DeliveryLedger *m_ledger;
    int m_subscriber = -1; // index in the ledger
    int m_epoll;
    int m_fd = -1;
    State m_state = State::Connecting;
    int64_t m_startMicros = 0;
    int64_t m_connectMicros = 0;
    bool m_wantWrite = false;
    std::string m_out;
    std::string m_head; // the HTTP response head, until complete
    WebSocketFrameReader m_webSocket;
    StompFrameReader m_stomp;
    SseEventReader m_sse;
    std::string m_httpAnswers; // the HTTP publisher's unread answers
    uint64_t m_accepted = 0;
    uint64_t m_refused = 0;
    std::string m_closeReason;
};
