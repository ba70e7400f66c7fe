#include "ClientConnection.h"

#include "DeliveryLedger.h"
#include "DeliveryMarker.h"
#include "MonotonicClock.h"
#include "StompClientFrames.h"
#include "WebSocketClientFrame.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {
// Case-insensitive search for a header line in a response head.
bool headHas(std::string_view head, std::string_view needle)
{
    if (needle.size() > head.size())
        return false;
    for (std::size_t i = 0; i + needle.size() <= head.size(); ++i)
        if (::strncasecmp(head.data() + i, needle.data(), needle.size()) == 0)
            return true;
    return false;
}

bool speaksStomp(const ConnectionSetup &setup, ClientConnection::Role role)
{
    if (role == ClientConnection::Role::Publisher)
        return publisherTransport(setup.kind) == PublisherTransport::StompWebSocket;
    return subscriberTransport(setup.kind) == SubscriberTransport::StompWebSocket;
}
} // namespace

ClientConnection::ClientConnection(const ConnectionSetup &setup, Role role, DeliveryLedger *ledger, int epoll)
    : m_setup(setup)
    , m_role(role)
    , m_ledger(ledger)
    , m_epoll(epoll)
{
    if (m_ledger)
        m_subscriber = m_ledger->addSubscriber(m_setup.channel);
}

ClientConnection::~ClientConnection()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

bool ClientConnection::start()
{
    m_startMicros = monotonicMicros();
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0) {
        m_state = State::Closed;
        m_closeReason = std::string("socket: ") + std::strerror(errno);
        return false;
    }
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(uint16_t(m_setup.port));
    ::inet_pton(AF_INET, m_setup.host.c_str(), &address.sin_addr);
    if (::connect(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0
        && errno != EINPROGRESS) {
        close(std::string("connect: ") + std::strerror(errno));
        return false;
    }
    epoll_event event {};
    event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP;
    event.data.ptr = this;
    m_wantWrite = true;
    ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_fd, &event);

    const std::string host = "Host: " + m_setup.host + ':' + std::to_string(m_setup.port) + "\r\n";
    const bool httpPublisher
        = m_role == Role::Publisher && publisherTransport(m_setup.kind) == PublisherTransport::HttpPost;
    if (httpPublisher)
        return true; // ready once connected
    if (m_role == Role::Subscriber && subscriberTransport(m_setup.kind) == SubscriberTransport::Sse) {
        m_out = "GET " + subscribePath(m_setup.kind, nameOfChannel(m_setup.channel)) + " HTTP/1.1\r\n" + host
            + "Accept: text/event-stream\r\n";
        if (!m_setup.bearerToken.empty())
            m_out += "Authorization: Bearer " + m_setup.bearerToken + "\r\n";
        m_out += "\r\n";
        return true;
    }
    // A WebSocket: the publisher of a STOMP target (at /ws on both the node and RabbitMQ, also
    // when the node's subscribers are SSE streams), or any WebSocket subscriber.
    const std::string path
        = m_role == Role::Publisher ? "/ws" : subscribePath(m_setup.kind, nameOfChannel(m_setup.channel));
    m_out = "GET " + path + " HTTP/1.1\r\n" + host
        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: c2JiZW5jaGxvYWRnZW4xMg==\r\n"
          "Sec-WebSocket-Version: 13\r\n";
    if (speaksStomp(m_setup, m_role))
        m_out += "Sec-WebSocket-Protocol: v12.stomp\r\n";
    m_out += "\r\n";
    return true;
}

void ClientConnection::onEvents(uint32_t events, std::string &readBuffer)
{
    if (m_state == State::Closed)
        return; // a later event of the batch that closed it
    if (m_state == State::Connecting && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
        int error = 0;
        socklen_t size = sizeof error;
        ::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &size);
        if (error != 0)
            return close(std::string("connect: ") + std::strerror(error));
        const bool httpPublisher
            = m_role == Role::Publisher && publisherTransport(m_setup.kind) == PublisherTransport::HttpPost;
        m_state = State::AwaitingHead;
        if (httpPublisher)
            becomeReady();
    }
    if (events & EPOLLIN)
        onReadable(readBuffer);
    if (m_state != State::Closed && (events & EPOLLOUT))
        flush();
    if (m_state != State::Closed && (events & (EPOLLERR | EPOLLHUP)) && !(events & EPOLLIN))
        close("connection reset");
}

void ClientConnection::onReadable(std::string &readBuffer)
{
    // A few reads per wake-up at most, so one busy socket does not starve the others.
    for (int round = 0; round < 4 && m_state != State::Closed; ++round) {
        const ssize_t n = ::recv(m_fd, readBuffer.data(), readBuffer.size(), 0);
        if (n == 0)
            return close("closed by the server");
        if (n < 0) {
            if (errno != EAGAIN && errno != EINTR)
                close(std::string("recv: ") + std::strerror(errno));
            return;
        }
        std::string_view bytes(readBuffer.data(), std::size_t(n));
        if (m_state == State::AwaitingHead
            && !(m_role == Role::Publisher
                && publisherTransport(m_setup.kind) == PublisherTransport::HttpPost)) {
            m_head.append(bytes);
            const std::size_t end = m_head.find("\r\n\r\n");
            if (end == std::string::npos)
                continue;
            const std::string head = m_head.substr(0, end + 4);
            const std::string rest = m_head.substr(end + 4);
            m_head.clear();
            onHead(head);
            if (m_state != State::Closed && !rest.empty())
                onStream(rest);
            continue;
        }
        onStream(bytes);
        if (m_setup.delayedAcks && m_role == Role::Subscriber && m_state != State::Closed) {
            const int off = 0;
            ::setsockopt(m_fd, IPPROTO_TCP, TCP_QUICKACK, &off, sizeof off);
        }
        if (std::size_t(n) < readBuffer.size())
            return;
    }
}

void ClientConnection::onHead(std::string_view head)
{
    const int status = head.size() > 12 ? std::atoi(head.data() + 9) : 0;
    const bool sse
        = m_role == Role::Subscriber && subscriberTransport(m_setup.kind) == SubscriberTransport::Sse;
    if (status != (sse ? 200 : 101))
        return close("HTTP " + std::string(head.substr(0, head.find('\r'))));
    if (sse) {
        m_sse.setChunked(headHas(head, "transfer-encoding: chunked"));
        return becomeReady();
    }
    if (!speaksStomp(m_setup, m_role))
        return becomeReady();
    m_state = State::Handshaking;
    const bool rabbit = m_setup.kind == TargetKind::RabbitStomp;
    sendWebSocketText(StompClientFrames::connect(m_setup.bearerToken, rabbit ? "guest" : "",
        rabbit ? "guest" : "", rabbit ? "/" : "bench", m_setup.heartBeatMs));
}

void ClientConnection::onStream(std::string_view bytes)
{
    if (m_role == Role::Publisher && publisherTransport(m_setup.kind) == PublisherTransport::HttpPost)
        return onHttpAnswers(bytes);
    if (m_role == Role::Subscriber && subscriberTransport(m_setup.kind) == SubscriberTransport::Sse) {
        m_sse.feed(bytes);
        std::string_view event;
        while (m_state != State::Closed && m_sse.next(event))
            onSseEvent(event);
        if (m_sse.hasError())
            close("SSE stream ended or bad chunking");
        return;
    }
    m_webSocket.feed(bytes);
    std::string_view payload;
    for (;;) {
        switch (m_webSocket.next(payload)) {
        case WebSocketFrameReader::Item::None:
            return;
        case WebSocketFrameReader::Item::Message:
            onWebSocketMessage(payload);
            break;
        case WebSocketFrameReader::Item::Ping: {
            std::string pong;
            WebSocketClientFrame::append(pong, WebSocketClientFrame::Pong, payload);
            write(pong);
            break;
        }
        case WebSocketFrameReader::Item::Close: {
            const int code = payload.size() >= 2 ? (uint8_t(payload[0]) << 8 | uint8_t(payload[1])) : 0;
            return close("WebSocket close " + std::to_string(code) + ' '
                + std::string(payload.size() > 2 ? payload.substr(2) : std::string_view()));
        }
        case WebSocketFrameReader::Item::Error:
            return close("bad WebSocket frame");
        }
        if (m_state == State::Closed)
            return;
    }
}

void ClientConnection::onWebSocketMessage(std::string_view payload)
{
    if (!speaksStomp(m_setup, m_role)) {
        deliver(payload);
        return;
    }
    m_stomp.feed(payload);
    StompFrameReader::Frame frame;
    while (m_state != State::Closed && m_stomp.next(frame))
        onStompFrame(frame);
}

void ClientConnection::onStompFrame(const StompFrameReader::Frame &frame)
{
    if (frame.command == "MESSAGE") {
        deliver(frame.body);
    } else if (frame.command == "CONNECTED") {
        if (m_role == Role::Publisher)
            becomeReady();
        else
            sendWebSocketText(StompClientFrames::subscribe(
                stompSubscribeDestination(m_setup.kind, nameOfChannel(m_setup.channel))));
    } else if (frame.command == "RECEIPT") {
        if (m_state == State::Handshaking)
            becomeReady();
    } else if (frame.command == "ERROR") {
        close("STOMP ERROR: " + std::string(frame.header("message")));
    }
}

void ClientConnection::onSseEvent(std::string_view event)
{
    if (DeliveryMarker::find(event))
        deliver(event);
    else if (event.find(":closing") != std::string_view::npos)
        m_closeReason = std::string(event.substr(0, event.find('\n')));
}

void ClientConnection::onHttpAnswers(std::string_view bytes)
{
    m_httpAnswers.append(bytes);
    std::size_t pos = 0;
    for (;;) {
        const std::size_t headEnd = m_httpAnswers.find("\r\n\r\n", pos);
        if (headEnd == std::string::npos)
            break;
        const std::string_view head(m_httpAnswers.data() + pos, headEnd + 4 - pos);
        std::size_t end = headEnd + 4;
        if (headHas(head, "transfer-encoding: chunked")) {
            const std::size_t last = m_httpAnswers.find("\r\n0\r\n\r\n", headEnd);
            if (last == std::string::npos)
                break;
            end = last + 7;
        } else {
            std::size_t length = 0;
            for (std::size_t i = 0; i + 15 < head.size(); ++i) {
                if (::strncasecmp(head.data() + i, "content-length:", 15) == 0) {
                    length = std::size_t(std::atoll(head.data() + i + 15));
                    break;
                }
            }
            if (m_httpAnswers.size() < end + length)
                break;
            end += length;
        }
        const int status = head.size() > 12 ? std::atoi(head.data() + 9) : 0;
        if (status >= 200 && status < 300)
            ++m_accepted;
        else
            ++m_refused;
        pos = end;
    }
    m_httpAnswers.erase(0, pos);
}

void ClientConnection::deliver(std::string_view bytes)
{
    const auto marker = DeliveryMarker::find(bytes);
    if (!marker || !m_ledger || int64_t(marker->sequence) == m_setup.discardSequence)
        return;
    m_ledger->delivered(m_subscriber, *marker, monotonicMicros());
}

void ClientConnection::becomeReady()
{
    m_state = State::Ready;
    m_connectMicros = monotonicMicros() - m_startMicros;
}

void ClientConnection::publish(std::string_view body, int channel)
{
    if (m_state != State::Ready)
        return;
    const std::string name = nameOfChannel(channel);
    if (publisherTransport(m_setup.kind) == PublisherTransport::StompWebSocket) {
        if (isNode(m_setup.kind)) {
            // The node takes a chat message's JSON; the marker is plain ASCII, no escaping needed.
            sendWebSocketText(StompClientFrames::send(stompSendDestination(m_setup.kind, name),
                "{\"text\":\"" + std::string(body) + "\"}", "application/json"));
        } else {
            sendWebSocketText(
                StompClientFrames::send(stompSendDestination(m_setup.kind, name), body, "text/plain"));
        }
        return;
    }
    std::string request = "POST " + publishPath(m_setup.kind, name) + " HTTP/1.1\r\nHost: " + m_setup.host
        + "\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    request += body;
    write(request);
}

std::string ClientConnection::nameOfChannel(int channel) const
{
    return channelName(m_setup.kind, channel, m_setup.channels);
}

void ClientConnection::sendHeartBeat()
{
    if (m_state == State::Ready && speaksStomp(m_setup, m_role))
        sendWebSocketText("\n");
}

void ClientConnection::sendWebSocketText(std::string_view payload)
{
    std::string frame;
    WebSocketClientFrame::append(frame, WebSocketClientFrame::Text, payload);
    write(frame);
}

void ClientConnection::write(std::string_view bytes)
{
    if (m_state == State::Closed)
        return;
    if (!m_out.empty() || m_state == State::Connecting) {
        m_out.append(bytes);
        return;
    }
    const ssize_t n = ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EINTR)
        return close(std::string("send: ") + std::strerror(errno));
    const std::size_t sent = n > 0 ? std::size_t(n) : 0;
    if (sent == bytes.size())
        return;
    m_out.append(bytes.substr(sent));
    if (!m_wantWrite) {
        epoll_event event {};
        event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP;
        event.data.ptr = this;
        ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, m_fd, &event);
        m_wantWrite = true;
    }
}

void ClientConnection::flush()
{
    while (!m_out.empty()) {
        const ssize_t n = ::send(m_fd, m_out.data(), m_out.size(), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno != EAGAIN && errno != EINTR)
                close(std::string("send: ") + std::strerror(errno));
            return;
        }
        m_out.erase(0, std::size_t(n));
    }
    if (m_wantWrite) {
        epoll_event event {};
        event.events = EPOLLIN | EPOLLRDHUP;
        event.data.ptr = this;
        ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, m_fd, &event);
        m_wantWrite = false;
    }
}

void ClientConnection::close(std::string reason)
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    if (m_closeReason.empty())
        m_closeReason = std::move(reason);
    if (m_fd >= 0) {
        ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, m_fd, nullptr);
        ::close(m_fd);
        m_fd = -1;
    }
}
