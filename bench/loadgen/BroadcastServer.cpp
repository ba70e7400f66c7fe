#include "BroadcastServer.h"

#include "StompFrameReader.h"

#include <QByteArray>
#include <QCryptographicHash>

#include <algorithm>

#include <arpa/inet.h>
#include <cerrno>
#include <cstdlib>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

struct BroadcastServer::Peer
{
    enum class Mode { Http, WebSocket, Stomp, Sse };
    int fd = -1;
    Mode mode = Mode::Http;
    bool subscribed = false;
    std::string channel; // when subscribed; "" for every channel
    bool wantWrite = false;
    bool queued = false; // in m_queued
    std::string in;
    std::string out;
    StompFrameReader stomp;
};

namespace {
// A server's frame: FIN, unmasked (RFC 6455 §5.1).
std::string serverFrame(uint8_t opcode, std::string_view payload)
{
    std::string frame;
    frame.push_back(char(0x80 | opcode));
    if (payload.size() < 126) {
        frame.push_back(char(payload.size()));
    } else if (payload.size() <= 0xffff) {
        frame.push_back(char(126));
        frame.push_back(char(payload.size() >> 8));
        frame.push_back(char(payload.size() & 0xff));
    } else {
        frame.push_back(char(127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.push_back(char((uint64_t(payload.size()) >> shift) & 0xff));
    }
    frame.append(payload);
    return frame;
}

// The value of a request header (case-insensitive name), empty when absent.
std::string_view headerValue(std::string_view head, std::string_view name)
{
    for (std::size_t line = head.find("\r\n"); line != std::string_view::npos;
         line = head.find("\r\n", line + 2)) {
        const std::size_t start = line + 2;
        if (head.size() > start + name.size()
            && ::strncasecmp(head.data() + start, name.data(), name.size()) == 0
            && head[start + name.size()] == ':') {
            std::size_t value = start + name.size() + 1;
            while (value < head.size() && head[value] == ' ')
                ++value;
            return head.substr(value, head.find("\r\n", value) - value);
        }
    }
    return {};
}

// The channel a request path names: its second segment (/ws/c3: c3), none for /ws.
std::string_view pathChannel(std::string_view head)
{
    const std::size_t start = head.find(' ');
    const std::size_t end = head.find_first_of(" ?", start + 1);
    if (start == std::string_view::npos || end == std::string_view::npos)
        return {};
    const std::string_view path = head.substr(start + 1, end - start - 1);
    const std::size_t second = path.find('/', 1);
    return second == std::string_view::npos ? std::string_view() : path.substr(second + 1);
}

// The channel a STOMP destination names: what follows /topic/ (none otherwise).
std::string_view destinationChannel(std::string_view destination)
{
    constexpr std::string_view topic = "/topic/";
    return destination.rfind(topic, 0) == 0 ? destination.substr(topic.size()) : std::string_view();
}
} // namespace

BroadcastServer::BroadcastServer(uint16_t port)
    : m_epoll(::epoll_create1(EPOLL_CLOEXEC))
{
    m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const int one = 1;
    ::setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(m_listen, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0
        || ::listen(m_listen, 4096) != 0) {
        ::close(m_listen);
        m_listen = -1;
        return;
    }
    socklen_t size = sizeof address;
    ::getsockname(m_listen, reinterpret_cast<sockaddr *>(&address), &size);
    m_port = ntohs(address.sin_port);
    epoll_event event {};
    event.events = EPOLLIN;
    event.data.fd = m_listen;
    ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_listen, &event);
}

BroadcastServer::~BroadcastServer()
{
    for (const auto &[fd, peer] : m_peers)
        ::close(fd);
    if (m_listen >= 0)
        ::close(m_listen);
    ::close(m_epoll);
}

void BroadcastServer::run()
{
    epoll_event events[256];
    for (;;) {
        const int count = ::epoll_wait(m_epoll, events, 256, -1);
        for (int i = 0; i < count; ++i) {
            const int fd = events[i].data.fd;
            if (fd == m_listen) {
                accept();
                continue;
            }
            const auto it = m_peers.find(fd);
            if (it == m_peers.end())
                continue;
            Peer &peer = *it->second;
            if (events[i].events & EPOLLOUT)
                flush(peer);
            if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
                onReadable(peer);
        }
        flushQueued();
    }
}

void BroadcastServer::accept()
{
    for (;;) {
        const int fd = ::accept4(m_listen, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            return;
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        auto peer = std::make_unique<Peer>();
        peer->fd = fd;
        epoll_event event {};
        event.events = EPOLLIN;
        event.data.fd = fd;
        ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event);
        m_peers.emplace(fd, std::move(peer));
    }
}

void BroadcastServer::onReadable(Peer &peer)
{
    char buffer[65536];
    const ssize_t n = ::recv(peer.fd, buffer, sizeof buffer, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
        return drop(peer.fd);
    if (n < 0)
        return;
    peer.in.append(buffer, std::size_t(n));
    if (peer.mode == Peer::Mode::Http)
        onHttp(peer);
    else if (peer.mode == Peer::Mode::WebSocket || peer.mode == Peer::Mode::Stomp)
        onWebSocket(peer);
    else
        peer.in.clear(); // an SSE client sends nothing more
}

void BroadcastServer::onHttp(Peer &peer)
{
    for (;;) {
        const std::size_t headEnd = peer.in.find("\r\n\r\n");
        if (headEnd == std::string::npos)
            return;
        const std::string_view head(peer.in.data(), headEnd + 2);
        if (!headerValue(head, "Sec-WebSocket-Key").empty()) {
            const std::string_view clientKey = headerValue(head, "Sec-WebSocket-Key");
            QByteArray key(clientKey.data(), qsizetype(clientKey.size()));
            key.append("258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
            const QByteArray acceptKey = QCryptographicHash::hash(key, QCryptographicHash::Sha1).toBase64();
            std::string answer
                = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Accept: "
                + acceptKey.toStdString() + "\r\n";
            if (headerValue(head, "Sec-WebSocket-Protocol").find("v12.stomp") != std::string_view::npos)
                answer += "Sec-WebSocket-Protocol: v12.stomp\r\n";
            answer += "\r\n";
            // A plain WebSocket subscribes by connecting; STOMP by SUBSCRIBE (onStomp).
            subscribe(peer, pathChannel(head));
            peer.in.erase(0, headEnd + 4);
            peer.mode = Peer::Mode::WebSocket;
            send(peer, answer);
            if (!peer.in.empty())
                onWebSocket(peer);
            return;
        }
        if (head.rfind("POST ", 0) == 0) {
            const std::size_t length
                = std::size_t(std::atoll(std::string(headerValue(head, "Content-Length")).c_str()));
            if (peer.in.size() < headEnd + 4 + length)
                return;
            broadcast(pathChannel(head), std::string_view(peer.in).substr(headEnd + 4, length));
            peer.in.erase(0, headEnd + 4 + length);
            send(peer, "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
            continue;
        }
        subscribe(peer, pathChannel(head));
        peer.in.clear();
        peer.mode = Peer::Mode::Sse;
        send(peer, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\r\n");
        return;
    }
}

void BroadcastServer::onWebSocket(Peer &peer)
{
    std::size_t pos = 0;
    while (peer.in.size() - pos >= 6) {
        const auto *p = reinterpret_cast<const unsigned char *>(peer.in.data() + pos);
        const int opcode = p[0] & 0x0f;
        uint64_t size = p[1] & 0x7f;
        std::size_t head = 2;
        if (size == 126) {
            size = (uint64_t(p[2]) << 8) | p[3];
            head = 4;
        } else if (size == 127) {
            if (peer.in.size() - pos < 14)
                break;
            size = 0;
            for (int i = 0; i < 8; ++i)
                size = (size << 8) | p[2 + i];
            head = 10;
        }
        if (peer.in.size() - pos < head + 4 + size)
            break;
        const unsigned char *mask = p + head;
        std::string payload(peer.in.data() + pos + head + 4, std::size_t(size));
        for (std::size_t i = 0; i < payload.size(); ++i)
            payload[i] = char(payload[i] ^ char(mask[i & 3]));
        pos += head + 4 + std::size_t(size);
        if (opcode == 0x8)
            return drop(peer.fd);
        if (opcode == 0x9)
            send(peer, serverFrame(0xA, payload));
        else if (opcode == 0x1 || opcode == 0x2)
            onStomp(peer, payload);
    }
    peer.in.erase(0, pos);
}

void BroadcastServer::onStomp(Peer &peer, std::string_view payload)
{
    if (peer.mode == Peer::Mode::WebSocket) {
        if (payload.rfind("CONNECT", 0) != 0 && payload.rfind("STOMP", 0) != 0)
            return; // a plain WebSocket subscriber's message: ignored
        peer.mode = Peer::Mode::Stomp;
        unsubscribe(peer);
    }
    peer.stomp.feed(payload);
    StompFrameReader::Frame frame;
    while (peer.stomp.next(frame)) {
        if (frame.command == "CONNECT" || frame.command == "STOMP") {
            // sizeof keeps the literal's terminating NUL: the frame's end.
            static constexpr char kConnected[] = "CONNECTED\nversion:1.2\nheart-beat:0,0\n\n";
            send(peer, serverFrame(0x1, std::string_view(kConnected, sizeof kConnected)));
        } else if (frame.command == "SUBSCRIBE") {
            unsubscribe(peer); // one subscription per peer: the last one
            subscribe(peer, destinationChannel(frame.header("destination")));
            const std::string_view receipt = frame.header("receipt");
            if (!receipt.empty())
                send(peer, serverFrame(0x1, "RECEIPT\nreceipt-id:" + std::string(receipt) + "\n\n" + '\0'));
        } else if (frame.command == "SEND") {
            broadcast(destinationChannel(frame.header("destination")), frame.body);
        }
    }
}

void BroadcastServer::subscribe(Peer &peer, std::string_view channel)
{
    peer.subscribed = true;
    peer.channel = std::string(channel);
    m_subscribers[peer.channel].push_back(peer.fd);
}

void BroadcastServer::unsubscribe(Peer &peer)
{
    if (!peer.subscribed)
        return;
    peer.subscribed = false;
    std::vector<int> &fds = m_subscribers[peer.channel];
    fds.erase(std::remove(fds.begin(), fds.end(), peer.fd), fds.end());
}

void BroadcastServer::broadcast(std::string_view channel, std::string_view body)
{
    const std::string id = std::to_string(++m_messageId);
    const std::string plain = serverFrame(0x1, body);
    const std::string destination = "/topic/" + std::string(channel.empty() ? "bench" : channel);
    const std::string stomp = serverFrame(0x1,
        "MESSAGE\nsubscription:0\ndestination:" + destination + "\nmessage-id:" + id
            + "\ncontent-length:" + std::to_string(body.size()) + "\n\n" + std::string(body) + '\0');
    const std::string sse = "id: " + id + "\ndata: " + std::string(body) + "\n\n";
    if (channel.empty()) { // every subscriber of every channel
        for (const auto &[name, fds] : m_subscribers)
            deliver(fds, plain, stomp, sse);
        return;
    }
    if (const auto it = m_subscribers.find(std::string(channel)); it != m_subscribers.end())
        deliver(it->second, plain, stomp, sse);
    if (const auto it = m_subscribers.find(std::string()); it != m_subscribers.end())
        deliver(it->second, plain, stomp, sse);
}

void BroadcastServer::deliver(
    const std::vector<int> &fds, const std::string &plain, const std::string &stomp, const std::string &sse)
{
    for (const int fd : fds) {
        const auto it = m_peers.find(fd);
        if (it == m_peers.end())
            continue;
        Peer &peer = *it->second;
        if (peer.mode == Peer::Mode::WebSocket)
            send(peer, plain);
        else if (peer.mode == Peer::Mode::Stomp)
            send(peer, stomp);
        else if (peer.mode == Peer::Mode::Sse)
            send(peer, sse);
    }
}

void BroadcastServer::send(Peer &peer, std::string_view bytes)
{
    peer.out.append(bytes);
    if (!peer.queued && !peer.wantWrite) {
        peer.queued = true;
        m_queued.push_back(peer.fd);
    }
}

void BroadcastServer::flushQueued()
{
    for (const int fd : m_queued) {
        const auto it = m_peers.find(fd);
        if (it == m_peers.end())
            continue;
        it->second->queued = false;
        flush(*it->second);
    }
    m_queued.clear();
}

void BroadcastServer::flush(Peer &peer)
{
    while (!peer.out.empty()) {
        const ssize_t n = ::send(peer.fd, peer.out.data(), peer.out.size(), MSG_NOSIGNAL);
        if (n <= 0)
            break;
        peer.out.erase(0, std::size_t(n));
    }
    if (!peer.out.empty() && !peer.wantWrite) {
        // The socket is full: wait until it can take more.
        epoll_event event {};
        event.events = EPOLLIN | EPOLLOUT;
        event.data.fd = peer.fd;
        ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, peer.fd, &event);
        peer.wantWrite = true;
    } else if (peer.out.empty() && peer.wantWrite) {
        epoll_event event {};
        event.events = EPOLLIN;
        event.data.fd = peer.fd;
        ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, peer.fd, &event);
        peer.wantWrite = false;
    }
}

void BroadcastServer::drop(int fd)
{
    if (const auto it = m_peers.find(fd); it != m_peers.end())
        unsubscribe(*it->second);
    ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
    ::close(fd);
    m_peers.erase(fd);
}
