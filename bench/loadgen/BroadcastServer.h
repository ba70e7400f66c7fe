#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

// The trivial server the generator measures its own ceiling against: one thread, epoll,
// no limits, no authentication. Subscribers are WebSocket clients (plain, or STOMP when
// their first message is a CONNECT: CONNECTED, SUBSCRIBE with its RECEIPT) and SSE GETs;
// a message comes in by HTTP POST (any path) or STOMP SEND and goes out, encoded once per
// kind, to every subscriber of its channel. A channel is a path's second segment
// (/ws/c3, /sse/c3, POST /pub/c3) or what follows /topic/ in a STOMP destination; a path
// without one means every channel, for a subscriber and for a message alike, so a
// single-channel run needs no names. Output is coalesced: what one wake-up queues for a peer goes
// out in one send() after it, so at high rates the server costs little per delivery and the
// ceiling measured is the generator's. Whatever the generator cannot receive from this
// server, it cannot receive from a real one either.
class BroadcastServer
{
public:
    // Listens on 127.0.0.1:port (0: a free port).
    explicit BroadcastServer(uint16_t port);
    ~BroadcastServer();
    BroadcastServer(const BroadcastServer &) = delete;
    BroadcastServer &operator=(const BroadcastServer &) = delete;

    uint16_t port() const { return m_port; }
    bool isListening() const { return m_listen >= 0; }
    void run();

private:
    struct Peer;

    void accept();
    void onReadable(Peer &peer);
    void onHttp(Peer &peer);
    void onWebSocket(Peer &peer);
    void onStomp(Peer &peer, std::string_view payload);
    void subscribe(Peer &peer, std::string_view channel);
    void unsubscribe(Peer &peer);
    void broadcast(std::string_view channel, std::string_view body);
    void deliver(const std::vector<int> &fds, const std::string &plain, const std::string &stomp,
        const std::string &sse);
    void send(Peer &peer, std::string_view bytes);
    void flush(Peer &peer);
    void flushQueued();
    void drop(int fd);

    int m_listen = -1;
    int m_epoll = -1;
    uint16_t m_port = 0;
    uint64_t m_messageId = 0;
    std::unordered_map<int, std::unique_ptr<Peer>> m_peers;
    // Subscribed peers by channel; "" holds those of every channel.
    std::unordered_map<std::string, std::vector<int>> m_subscribers;
    std::vector<int> m_queued; // peers with output queued in this wake-up
};
