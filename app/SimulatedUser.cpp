#include "app/SimulatedUser.h"

#include "protocol/NodeApi.h"
#include "protocol/StompEncoder.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

#include <algorithm>

namespace sb::app {

namespace nodeapi = protocol::nodeapi;

namespace {
Q_LOGGING_CATEGORY(lcSimulatedUser, "sb.demo.user")
constexpr int kRequestTimeoutMs = 5000;
constexpr int kMaxBackoffMs = 8000;
constexpr qsizetype kMaxStreamHeadBytes = 16 * 1024; // a larger SSE response head is not our node
const QByteArray kChannelTopicPrefix = QByteArrayLiteral("/topic/channels.");
const QByteArray kPresenceTopic = QByteArrayLiteral("/topic/presence");

QByteArray chatBody(const QString &text)
{
    return QJsonDocument(QJsonObject { { QStringLiteral("text"), text } }).toJson(QJsonDocument::Compact);
}
} // namespace

SimulatedUser::SimulatedUser(DemoUser account, QList<DemoReplica> replicas, QNetworkAccessManager *http,
    int reconnectDelayMs, QObject *parent)
    : QObject(parent)
    , m_account(std::move(account))
    , m_replicas(std::move(replicas))
    , m_http(http)
    , m_reconnectDelayMs(std::max(reconnectDelayMs, 0))
{
    m_replica = m_replicas.isEmpty() ? 0 : std::clamp(m_account.homeReplica, 0, int(m_replicas.size()) - 1);
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, [this] { (this->*m_nextStep)(); });
}

SimulatedUser::~SimulatedUser()
{
    closeConnection();
}

QUrl SimulatedUser::at(const QString &path, int replica) const
{
    QUrl url = m_replicas.at(replica).url;
    url.setPath(path);
    return url;
}

void SimulatedUser::start()
{
    if (!m_replicas.isEmpty())
        login(0);
}

void SimulatedUser::login(int attempt)
{
    m_state = State::LoggingIn;
    // Logins go round the replicas by the user's place, not its home: the per-address login
    // limit (30 a minute on each replica) holds even when the population is skewed.
    const int replica = (m_account.index + attempt) % int(m_replicas.size());
    QNetworkRequest request(at(nodeapi::LoginPath, replica));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setTransferTimeout(kRequestTimeoutMs);
    QNetworkReply *reply = m_http->post(request, nodeapi::loginBody(m_account.name, m_account.password));
    const quint64 generation = m_generation;
    connect(reply, &QNetworkReply::finished, this, [this, reply, attempt, generation] {
        reply->deleteLater();
        if (generation != m_generation || m_state != State::LoggingIn)
            return; // logged out meanwhile
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray token = status == 200 ? nodeapi::accessToken(reply->readAll()) : QByteArray();
        if (!token.isEmpty()) {
            ++m_logins;
            m_token = token;
            connectTo(m_replica);
            return;
        }
        ++m_failures;
        // 429 says when to come back; anything else (a replica down, 503) tries the next one.
        const int retryAfterMs = reply->rawHeader("Retry-After").toInt() * 1000;
        qCDebug(lcSimulatedUser).noquote()
            << m_account.name << "login failed:" << status << reply->errorString();
        m_state = State::Waiting;
        const int next = attempt + 1;
        m_nextStep = &SimulatedUser::relogin;
        m_loginAttempt = next;
        // Doubling from the first failure: a replica answers 503 while its stage-1 group
        // rebalances, and each attempt counts against the per-user login limit (10 a minute).
        m_retry.start(
            std::max(retryAfterMs, std::min(m_reconnectDelayMs << std::min(next, 3), kMaxBackoffMs)));
    });
}

void SimulatedUser::relogin()
{
    login(m_loginAttempt);
}

void SimulatedUser::connectTo(int replica)
{
    m_replica = replica;
    m_state = State::Connecting;
    if (m_account.transport == DemoUser::Transport::Stomp)
        openStomp();
    else
        openSse();
}

void SimulatedUser::reconnect()
{
    connectTo(m_replica);
}

void SimulatedUser::openStomp()
{
    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = socket;
    m_stomp.reset();
    connect(socket, &QWebSocket::connected, socket,
        [this, socket] { socket->sendTextMessage(QString::fromUtf8(nodeapi::stompConnect(m_token))); });
    connect(
        socket, &QWebSocket::textMessageReceived, socket, [this](const QString &text) { onStompText(text); });
    connect(socket, &QWebSocket::disconnected, socket, [this] { onConnectionLost(false); });
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), socket,
        [this] { onConnectionLost(false); });
    QUrl url = at(nodeapi::StompPath, m_replica);
    url.setScheme(QStringLiteral("ws"));
    QWebSocketHandshakeOptions options;
    options.setSubprotocols({ nodeapi::StompSubprotocol });
    socket->open(QNetworkRequest(url), options);
}

void SimulatedUser::onStompText(const QString &text)
{
    m_stomp.feed(text.toUtf8());
    for (;;) {
        switch (m_stomp.next()) {
        case protocol::StompDecoder::Status::Frame:
            onStompFrame(m_stomp.takeFrame());
            if (!m_socket)
                return; // the frame closed the connection
            continue;
        case protocol::StompDecoder::Status::HeartBeat:
            continue;
        case protocol::StompDecoder::Status::NeedMoreData:
            return;
        case protocol::StompDecoder::Status::Error:
            ++m_failures;
            onConnectionLost(false);
            return;
        }
    }
}

void SimulatedUser::onStompFrame(const protocol::StompFrame &frame)
{
    if (frame.command() == "CONNECTED") {
        m_stompConnected = true;
        onConnected();
        for (const QString &channel : std::as_const(m_account.channels)) {
            protocol::StompFrame subscribe("SUBSCRIBE");
            subscribe.addHeader("id", "channel-" + channel.toUtf8());
            subscribe.addHeader("destination", kChannelTopicPrefix + channel.toUtf8());
            // Resume after the last message seen, wherever it was seen (docs/protocol.md).
            const QByteArray since = m_lastMessageId.value(channel);
            if (!since.isEmpty())
                subscribe.addHeader("since", since);
            m_socket->sendTextMessage(QString::fromUtf8(protocol::StompEncoder::encode(subscribe)));
        }
        m_socket->sendTextMessage(QString::fromUtf8(nodeapi::stompSubscribe("presence", kPresenceTopic)));
        return;
    }
    if (frame.command() == "MESSAGE") {
        const QByteArray destination = frame.header("destination");
        if (destination == kPresenceTopic) {
            ++m_presence;
            return;
        }
        const QByteArray id = frame.header("message-id");
        if (!destination.startsWith(kChannelTopicPrefix) || id == "recovery-reset")
            return;
        ++m_received;
        if (frame.header("recovered") == "true")
            ++m_recovered;
        m_lastMessageId.insert(QString::fromUtf8(destination.mid(kChannelTopicPrefix.size())), id);
        return;
    }
    if (frame.command() == "ERROR") {
        ++m_failures;
        qCDebug(lcSimulatedUser).noquote() << m_account.name << "STOMP ERROR:" << frame.header("message");
        // Refused at CONNECT: the token (expired, revoked by a logout or a fault action).
        onConnectionLost(!m_stompConnected);
    }
}

void SimulatedUser::openSse()
{
    auto *stream = new QTcpSocket(this);
    m_stream = stream;
    m_streamHead.clear();
    m_sse.restartStream();
    connect(stream, &QTcpSocket::connected, stream, [this, stream] {
        const QUrl url = m_replicas.at(m_replica).url;
        QByteArray request = "GET " + QByteArray(nodeapi::SsePath.data(), nodeapi::SsePath.size())
            + " HTTP/1.1\r\n"
              "Host: "
            + url.host().toUtf8() + ':' + QByteArray::number(url.port())
            + "\r\n"
              "Accept: text/event-stream\r\n"
              "Authorization: Bearer "
            + m_token + "\r\n";
        // Resume after the last event seen, on whichever replica this is (docs/protocol.md).
        if (!m_sse.lastEventId().isEmpty())
            request += "Last-Event-ID: " + m_sse.lastEventId().toUtf8() + "\r\n";
        stream->write(request + "\r\n");
    });
    connect(stream, &QTcpSocket::readyRead, stream, [this] { onSseBytes(); });
    connect(stream, &QTcpSocket::disconnected, stream, [this] { onConnectionLost(false); });
    connect(stream, &QTcpSocket::errorOccurred, stream, [this] { onConnectionLost(false); });
    const QUrl url = m_replicas.at(m_replica).url;
    stream->connectToHost(url.host(), quint16(url.port()));
}

void SimulatedUser::onSseBytes()
{
    QByteArray bytes = m_stream->readAll();
    if (!m_streamOpen) {
        m_streamHead += bytes;
        const qsizetype end = m_streamHead.indexOf("\r\n\r\n");
        if (end < 0) {
            if (m_streamHead.size() > kMaxStreamHeadBytes) {
                ++m_failures;
                onConnectionLost(false);
            }
            return;
        }
        // "HTTP/1.1 200 OK": the status is the second word.
        const int status = m_streamHead.mid(9, 3).toInt();
        if (!m_streamHead.startsWith("HTTP/1.") || status != 200) {
            ++m_failures;
            qCDebug(lcSimulatedUser).noquote() << m_account.name << "SSE refused:" << status;
            onConnectionLost(status == 401);
            return;
        }
        bytes = m_streamHead.mid(end + 4);
        m_streamHead.clear();
        m_streamOpen = true;
        onConnected();
    }
    m_sse.feed(bytes);
    while (const auto event = m_sse.next()) {
        // `reset` says events were lost for good; only notifications are messages.
        if (event->type == u"notification")
            ++m_received;
    }
    if (m_sse.hasError()) {
        ++m_failures;
        onConnectionLost(false);
    }
}

void SimulatedUser::onConnected()
{
    m_state = State::Connected;
    m_failedInARow = 0;
    if (m_everConnected)
        ++m_reconnects;
    m_everConnected = true;
}

bool SimulatedUser::send(const QString &channel, const QString &text)
{
    if (!isConnected())
        return false;
    if (m_account.transport == DemoUser::Transport::Stomp) {
        protocol::StompFrame frame("SEND");
        frame.addHeader("destination", "/app/channels." + channel.toUtf8());
        frame.addHeader("content-type", "application/json");
        frame.setBody(chatBody(text));
        m_socket->sendTextMessage(QString::fromUtf8(protocol::StompEncoder::encode(frame)));
        ++m_sent;
        return true;
    }
    // SSE users publish over HTTP, on the replica they are connected to.
    QNetworkRequest request(at(QStringLiteral("/api/channels/%1/messages").arg(channel), m_replica));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Authorization", "Bearer " + m_token);
    request.setTransferTimeout(kRequestTimeoutMs);
    QNetworkReply *reply = m_http->post(request, chatBody(text));
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 201)
            ++m_sent;
        else
            ++m_failures;
    });
    return true;
}

void SimulatedUser::logOutFor(int awayMs)
{
    if (!isConnected())
        return;
    closeConnection();
    QNetworkRequest request(at(QStringLiteral("/api/auth/logout"), m_replica));
    request.setRawHeader("Authorization", "Bearer " + m_token);
    request.setTransferTimeout(kRequestTimeoutMs);
    QNetworkReply *reply = m_http->post(request, QByteArray());
    connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    m_token.clear();
    m_state = State::LoggedOut;
    m_everConnected = false; // coming back is a new visit, not a reconnect
    m_loginAttempt = 0;
    m_nextStep = &SimulatedUser::relogin;
    m_retry.start(std::max(awayMs, 0));
}

void SimulatedUser::onConnectionLost(bool tokenRefused)
{
    const bool wasOpen = m_stompConnected || m_streamOpen;
    closeConnection();
    if (m_state == State::LoggedOut || m_state == State::Waiting)
        return;
    m_state = State::Waiting;
    if (tokenRefused) {
        m_token.clear();
        m_loginAttempt = 0;
        m_nextStep = &SimulatedUser::relogin;
        m_retry.start(m_reconnectDelayMs);
        return;
    }
    // An established connection that broke: that replica once more (a blip, an SSE stream's
    // lifetime), then the next ones, backing off while every replica refuses.
    if (!wasOpen) {
        ++m_failedInARow;
        m_replica = (m_replica + 1) % int(m_replicas.size());
    }
    const int rounds = m_failedInARow / int(m_replicas.size());
    const int jitter = int(QRandomGenerator::global()->bounded(std::max(m_reconnectDelayMs / 2, 1)));
    m_nextStep = &SimulatedUser::reconnect;
    m_retry.start(std::min(m_reconnectDelayMs << std::min(rounds, 3), kMaxBackoffMs) + jitter);
}

void SimulatedUser::closeConnection()
{
    ++m_generation;
    if (QWebSocket *socket = m_socket.data()) {
        QObject::disconnect(socket, nullptr, socket, nullptr);
        socket->abort();
        socket->deleteLater();
    }
    if (QTcpSocket *stream = m_stream.data()) {
        QObject::disconnect(stream, nullptr, stream, nullptr);
        stream->abort();
        stream->deleteLater();
    }
    m_socket = nullptr;
    m_stream = nullptr;
    m_stompConnected = false;
    m_streamOpen = false;
}

} // namespace sb::app
