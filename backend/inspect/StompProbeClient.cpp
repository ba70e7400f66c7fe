#include "inspect/StompProbeClient.h"

#include "protocol/SockJsFrame.h"
#include "protocol/StompEncoder.h"
#include "protocol/Utf8Validator.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

#include <climits>
#include <utility>

// Debug (the socket opening, each failure) is off unless asked for:
// QT_LOGGING_RULES="sb.inspect.probe.*=true".
Q_LOGGING_CATEGORY(lcStompProbe, "sb.inspect.probe.stomp", QtInfoMsg)

namespace sb::inspect {

using protocol::StompFrame;
using protocol::TrafficFrame;

namespace {

// The STOMP commands as shared strings, so frames do not each hold a copy.
QString stompProbeCommandName(const QByteArray &command)
{
    static const QHash<QByteArray, QString> names = [] {
        QHash<QByteArray, QString> map;
        for (const char *name : { "CONNECT", "STOMP", "CONNECTED", "SEND", "SUBSCRIBE", "UNSUBSCRIBE", "ACK",
                 "NACK", "BEGIN", "COMMIT", "ABORT", "DISCONNECT", "MESSAGE", "RECEIPT", "ERROR" })
            map.insert(QByteArray(name), QString::fromLatin1(name));
        return map;
    }();
    return names.value(command, QString::fromUtf8(command));
}

// Qt reports a refused upgrade as "QWebSocketPrivate::processHandshake: Unhandled http
// status code: 401 (Unauthorized)."; the user wants the status.
QString stompProbeDescribeSocketError(
    QAbstractSocket::SocketError error, const QString &text, const QUrl &url)
{
    static const QRegularExpression status(QStringLiteral("status code: (\\d+) \\(([^)]*)\\)"));
    if (const auto match = status.match(text); match.hasMatch())
        return QStringLiteral("WebSocket handshake refused: HTTP %1 %2")
            .arg(match.captured(1), match.captured(2));
    static const QLatin1String handshakePrefix("QWebSocketPrivate::processHandshake: ");
    if (text.startsWith(handshakePrefix))
        return QStringLiteral("WebSocket handshake failed: %1").arg(text.mid(handshakePrefix.size()));
    const QString where
        = url.port() > 0 ? QStringLiteral("%1:%2").arg(url.host()).arg(url.port()) : url.host();
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return QStringLiteral("connection refused by %1").arg(where);
    case QAbstractSocket::HostNotFoundError:
        return QStringLiteral("host '%1' not found").arg(url.host());
    case QAbstractSocket::RemoteHostClosedError:
        return QStringLiteral("%1 closed the connection").arg(where);
    case QAbstractSocket::SocketTimeoutError:
        return QStringLiteral("%1 did not answer in time").arg(where);
    default:
        break;
    }
    return QStringLiteral("%1: %2").arg(where, text);
}

} // namespace

StompProbeClient::StompProbeClient(QObject *parent)
    : QObject(parent)
    , m_connectTimer(new QTimer(this))
    , m_beatTimer(new QTimer(this))
    , m_silenceTimer(new QTimer(this))
    , m_stopTimer(new QTimer(this))
    , m_reportTimer(new QTimer(this))
{
    for (QTimer *timer : { m_connectTimer, m_beatTimer, m_silenceTimer, m_stopTimer, m_reportTimer })
        timer->setSingleShot(true);
    connect(m_connectTimer, &QTimer::timeout, this, [this] {
        fail(m_socket && m_socket->state() == QAbstractSocket::ConnectedState
                ? QStringLiteral("no CONNECTED frame within %1 ms").arg(m_settings.connectTimeoutMs)
                : QStringLiteral("the WebSocket connection did not open within %1 ms")
                      .arg(m_settings.connectTimeoutMs));
    });
    connect(m_beatTimer, &QTimer::timeout, this, &StompProbeClient::sendHeartBeat);
    connect(m_silenceTimer, &QTimer::timeout, this, &StompProbeClient::onSilence);
    connect(m_stopTimer, &QTimer::timeout, this, [this] {
        finishClosed(
            QStringLiteral("closed (no RECEIPT for DISCONNECT within %1 ms)").arg(kDisconnectGraceMs));
    });
    m_reportTimer->setInterval(kHeartBeatReportMs);
    connect(m_reportTimer, &QTimer::timeout, this, &StompProbeClient::reportHeartBeats);
}

StompProbeClient::~StompProbeClient()
{
    dropSocket();
}

void StompProbeClient::start(const StompProbeSettings &settings)
{
    dropSocket();
    m_settings = settings;
    m_error.clear();
    m_session.clear();
    m_user.clear();
    m_subprotocol.clear();
    m_version = protocol::StompVersion::V1_2;
    m_heartBeat = {};
    m_sawSockJsOpen = false;
    m_stopping = false;
    m_nextSubscription = 0;
    m_held.clear();
    m_subscribeReceipts.clear();
    m_subscriptionDestinations.clear();
    m_acks.clear();
    m_ackOrder.clear();
    m_beatsSent = m_beatsReceived = 0;
    protocol::StompLimits limits;
    limits.maxFrameBytes = settings.maxFrameBytes;
    m_decoder = protocol::StompDecoder(protocol::StompDecoder::Accept::ServerFrames, limits);
    m_state = ProbeState::Idle;

    if (const QString problem = settings.problem(); !problem.isEmpty())
        return fail(problem);

    QUrl url = settings.url;
    if (settings.sockJs) {
        QString error;
        url = protocol::SockJsFrame::transportUrl(settings.url, &error);
        if (url.isEmpty())
            return fail(error);
    }
    // Origin is the socket's own field: QWebSocket would send a second one otherwise.
    QString origin;
    QNetworkRequest request(url);
    for (const auto &[name, value] : settings.handshakeHeaders) {
        if (name.compare(u"origin", Qt::CaseInsensitive) == 0)
            origin = value;
        else
            request.setRawHeader(name.toUtf8(), value.toUtf8());
    }
    QWebSocketHandshakeOptions options;
    options.setSubprotocols(settings.subprotocols);

    m_socket = new QWebSocket(origin, QWebSocketProtocol::VersionLatest, this);
    // A message a little over the frame limit (SockJS: its JSON, up to 6× for escapes) is
    // refused by the socket before it is buffered.
    const qsizetype messageLimit = settings.sockJs
        ? qMin<qsizetype>(settings.maxFrameBytes * 6 + 64, protocol::SockJsFrame::kMaxFrameBytes)
        : settings.maxFrameBytes + 1024;
    m_socket->setMaxAllowedIncomingMessageSize(quint64(messageLimit));
    connect(m_socket, &QWebSocket::connected, this, &StompProbeClient::onSocketConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &StompProbeClient::onSocketDisconnected);
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
        &StompProbeClient::onSocketError);
    connect(m_socket, &QWebSocket::textMessageReceived, this,
        [this](const QString &message) { onMessage(message.toUtf8()); });
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &StompProbeClient::onMessage);

    setState(ProbeState::Connecting, QStringLiteral("opening %1").arg(url.toString()));
    m_connectTimer->start(settings.connectTimeoutMs);
    m_socket->open(request, options);
}

QString StompProbeClient::subscribe(const QString &destination, const QString &id, const QString &ackMode)
{
    if (m_state != ProbeState::Connecting && m_state != ProbeState::Live)
        return {};
    const QString subscription = id.isEmpty() ? QStringLiteral("sub-%1").arg(m_nextSubscription++) : id;
    const QString receipt = QStringLiteral("subscribe-") + subscription;
    StompFrame frame(QByteArrayLiteral("SUBSCRIBE"));
    frame.addHeader(QByteArrayLiteral("id"), subscription.toUtf8());
    frame.addHeader(QByteArrayLiteral("destination"), destination.toUtf8());
    frame.addHeader(QByteArrayLiteral("ack"), (ackMode.isEmpty() ? m_settings.ackMode : ackMode).toUtf8());
    frame.addHeader(QByteArrayLiteral("receipt"), receipt.toUtf8());
    m_subscribeReceipts.insert(receipt, subscription);
    m_subscriptionDestinations.insert(subscription, destination);
    sendFrame(frame);
    return subscription;
}

void StompProbeClient::unsubscribe(const QString &subscriptionId)
{
    StompFrame frame(QByteArrayLiteral("UNSUBSCRIBE"));
    frame.addHeader(QByteArrayLiteral("id"), subscriptionId.toUtf8());
    m_subscriptionDestinations.remove(subscriptionId);
    sendFrame(frame);
}

void StompProbeClient::send(const QString &destination, const QByteArray &body, const ProbeHeaders &headers)
{
    StompFrame frame(QByteArrayLiteral("SEND"));
    frame.addHeader(QByteArrayLiteral("destination"), destination.toUtf8());
    for (const auto &[name, value] : headers)
        frame.addHeader(name.toUtf8(), value.toUtf8());
    frame.setBody(body);
    sendFrame(frame);
}

void StompProbeClient::ack(const QString &messageId)
{
    sendAckOrNack(QByteArrayLiteral("ACK"), messageId);
}

void StompProbeClient::nack(const QString &messageId)
{
    sendAckOrNack(QByteArrayLiteral("NACK"), messageId);
}

void StompProbeClient::sendAckOrNack(const QByteArray &command, const QString &messageId)
{
    const AckInfo info = m_acks.value(messageId);
    StompFrame frame(command);
    // 1.2 acks by the MESSAGE's ack header; 1.1 by subscription + message-id; 1.0 by message-id.
    if (m_version == protocol::StompVersion::V1_2) {
        frame.addHeader(QByteArrayLiteral("id"), info.ack.isEmpty() ? messageId.toUtf8() : info.ack);
    } else {
        if (!info.subscription.isEmpty())
            frame.addHeader(QByteArrayLiteral("subscription"), info.subscription);
        frame.addHeader(QByteArrayLiteral("message-id"), messageId.toUtf8());
    }
    sendFrame(frame);
}

void StompProbeClient::stop()
{
    if (m_state == ProbeState::Live && !m_stopping && m_socket) {
        m_stopping = true;
        StompFrame frame(QByteArrayLiteral("DISCONNECT"));
        frame.addHeader(QByteArrayLiteral("receipt"), QByteArrayLiteral("disconnect"));
        sendFrame(frame);
        m_stopTimer->start(kDisconnectGraceMs);
        return;
    }
    if (m_state == ProbeState::Connecting || m_state == ProbeState::Idle)
        finishClosed(QStringLiteral("stopped"));
}

void StompProbeClient::abort()
{
    if (m_state == ProbeState::Connecting || m_state == ProbeState::Live || m_state == ProbeState::Idle)
        finishClosed(QStringLiteral("aborted"));
}

void StompProbeClient::onSocketConnected()
{
    m_subprotocol = m_socket->subprotocol();
    qCDebug(lcStompProbe) << "WebSocket open to" << m_socket->requestUrl() << "subprotocol" << m_subprotocol;
    if (!m_settings.sockJs)
        sendConnect(); // with SockJS, CONNECT waits for the server's 'o'
}

void StompProbeClient::onSocketDisconnected()
{
    if (m_state != ProbeState::Connecting && m_state != ProbeState::Live)
        return;
    if (m_stopping)
        return finishClosed(QStringLiteral("closed"));
    if (m_socket && m_socket->error() != QAbstractSocket::UnknownSocketError
        && m_state == ProbeState::Connecting)
        return onSocketError();
    const int code = m_socket ? int(m_socket->closeCode()) : 0;
    const QString reason = m_socket ? m_socket->closeReason() : QString();
    if (code == QWebSocketProtocol::CloseCodeAbnormalDisconnection || code == 0)
        return fail(QStringLiteral("the connection was lost (no WebSocket close frame)"));
    fail(QStringLiteral("the server closed the connection (WebSocket close %1%2)")
             .arg(code)
             .arg(reason.isEmpty() ? QString() : QStringLiteral(": ") + reason));
}

void StompProbeClient::onSocketError()
{
    if (!m_socket || (m_state != ProbeState::Connecting && m_state != ProbeState::Live))
        return;
    if (m_stopping)
        return finishClosed(QStringLiteral("closed"));
    // After CONNECTED, a dropped connection reads better through its close code.
    if (m_state == ProbeState::Live && m_socket->error() == QAbstractSocket::RemoteHostClosedError)
        return;
    fail(stompProbeDescribeSocketError(m_socket->error(), m_socket->errorString(), m_socket->requestUrl()));
}

void StompProbeClient::onMessage(const QByteArray &payload)
{
    if (m_state != ProbeState::Connecting && m_state != ProbeState::Live)
        return;
    restartSilenceTimer();
    if (m_settings.sockJs)
        onSockJsMessage(payload);
    else
        feedStomp(payload);
}

void StompProbeClient::onSockJsMessage(const QByteArray &payload)
{
    QString error;
    const auto sockJs = protocol::SockJsFrame::decode(payload, &error);
    if (!sockJs)
        return fail(QStringLiteral("the server sent a bad SockJS frame: %1").arg(error));
    switch (sockJs->type) {
    case protocol::SockJsFrame::Type::Open:
        if (m_sawSockJsOpen)
            return fail(QStringLiteral("the server sent SockJS's open frame 'o' twice"));
        m_sawSockJsOpen = true;
        return sendConnect();
    case protocol::SockJsFrame::Type::HeartBeat:
        // SockJS's own heart-beat: as good as a STOMP one for knowing the server is alive.
        return noteHeartBeatReceived();
    case protocol::SockJsFrame::Type::Messages:
        if (!m_sawSockJsOpen)
            return fail(QStringLiteral("the server sent SockJS messages before its open frame 'o'"));
        for (const QByteArray &message : sockJs->messages) {
            feedStomp(message);
            if (m_state != ProbeState::Connecting && m_state != ProbeState::Live)
                return;
        }
        return;
    case protocol::SockJsFrame::Type::Close:
        if (m_stopping)
            return finishClosed(
                QStringLiteral("closed (SockJS %1 %2)").arg(sockJs->closeCode).arg(sockJs->closeReason));
        return fail(QStringLiteral("SockJS closed the session: %1 %2")
                        .arg(sockJs->closeCode)
                        .arg(sockJs->closeReason));
    }
}

void StompProbeClient::feedStomp(QByteArrayView bytes)
{
    qsizetype buffered = m_decoder.bufferedBytes() + bytes.size();
    m_decoder.feed(bytes);
    while (m_state == ProbeState::Connecting || m_state == ProbeState::Live) {
        const auto status = m_decoder.next();
        const qsizetype consumed = buffered - m_decoder.bufferedBytes();
        buffered = m_decoder.bufferedBytes();
        switch (status) {
        case protocol::StompDecoder::Status::NeedMoreData:
            return;
        case protocol::StompDecoder::Status::HeartBeat:
            noteHeartBeatReceived();
            break;
        case protocol::StompDecoder::Status::Frame:
            onStompFrame(m_decoder.takeFrame(), consumed);
            break;
        case protocol::StompDecoder::Status::Error:
            return fail(QStringLiteral("the server sent a bad STOMP frame: %1").arg(m_decoder.errorString()));
        }
    }
}

void StompProbeClient::onStompFrame(const StompFrame &frame, qint64 wireBytes)
{
    emit this->frame(traffic(frame, TrafficFrame::Direction::Out, wireBytes));
    const QByteArray &command = frame.command();
    if (command == "CONNECTED") {
        if (m_state == ProbeState::Connecting)
            onConnected(frame);
        return;
    }
    if (command == "ERROR") {
        // The message header is often terse ("Bad CONNECT"); the body's first line says why.
        const QString message = QString::fromUtf8(frame.header("message")).simplified();
        const QString detail = QString::fromUtf8(frame.body().left(300)).section(u'\n', 0, 0).simplified();
        QString text = message.isEmpty() ? detail : message;
        if (!message.isEmpty() && !detail.isEmpty() && !message.contains(detail))
            text += QStringLiteral(" (") + detail + u')';
        return fail(
            QStringLiteral("STOMP ERROR: %1").arg(text.isEmpty() ? QStringLiteral("(no message)") : text));
    }
    if (command == "RECEIPT") {
        const QString receipt = QString::fromUtf8(frame.header("receipt-id"));
        if (receipt == u"disconnect" && m_stopping)
            return finishClosed(QStringLiteral("disconnected"));
        if (const QString subscription = m_subscribeReceipts.take(receipt); !subscription.isEmpty())
            emit subscribed(subscription, m_subscriptionDestinations.value(subscription));
        return;
    }
    if (command == "MESSAGE") {
        const QString messageId = QString::fromUtf8(frame.header("message-id"));
        if (messageId.isEmpty() || m_acks.contains(messageId))
            return;
        m_acks.insert(messageId, AckInfo { frame.header("ack"), frame.header("subscription") });
        m_ackOrder.append(messageId);
        if (m_ackOrder.size() > kMaxRememberedAcks)
            m_acks.remove(m_ackOrder.takeFirst());
    }
}

void StompProbeClient::onConnected(const StompFrame &frame)
{
    const QByteArray version = frame.header("version", QByteArrayLiteral("1.0"));
    if (version == "1.2")
        m_version = protocol::StompVersion::V1_2;
    else if (version == "1.1")
        m_version = protocol::StompVersion::V1_1;
    else if (version == "1.0")
        m_version = protocol::StompVersion::V1_0;
    else
        return fail(QStringLiteral("the server chose STOMP version '%1', which the probe does not speak")
                        .arg(QString::fromUtf8(version)));
    m_decoder.setVersion(m_version);
    const auto remote = protocol::StompHeartBeat::parse(
        frame.hasHeader("heart-beat") ? QByteArrayView(frame.header("heart-beat")) : QByteArrayView());
    if (!remote)
        return fail(QStringLiteral("the server's heart-beat header '%1' is malformed")
                        .arg(QString::fromUtf8(frame.header("heart-beat"))));
    m_heartBeat = protocol::negotiateStompHeartBeat(m_offer, *remote);
    m_session = QString::fromUtf8(frame.header("session"));
    if (const QByteArray user = frame.header("user-name"); !user.isEmpty())
        m_user = QString::fromUtf8(user);
    m_connectTimer->stop();
    if (m_heartBeat.outgoingMs > 0)
        m_beatTimer->start(int(qMin<qint64>(m_heartBeat.outgoingMs, INT_MAX)));
    restartSilenceTimer();
    setState(ProbeState::Live,
        QStringLiteral("connected: STOMP %1, heart-beat out %2 ms / in %3 ms%4")
            .arg(QString::fromLatin1(version))
            .arg(m_heartBeat.outgoingMs)
            .arg(m_heartBeat.incomingMs)
            .arg(m_subprotocol.isEmpty() ? QString() : QStringLiteral(", subprotocol ") + m_subprotocol));
    if (m_state != ProbeState::Live)
        return; // a receiver of stateChanged stopped us
    for (const QString &destination : std::as_const(m_settings.subscriptions))
        subscribe(destination);
    const QList<StompFrame> held = std::exchange(m_held, {});
    for (const StompFrame &waiting : held)
        sendFrame(waiting);
}

void StompProbeClient::sendConnect()
{
    StompFrame connectFrame(QByteArrayLiteral("CONNECT"));
    for (const auto &[name, value] : std::as_const(m_settings.connectHeaders))
        connectFrame.addHeader(name.toUtf8(), value.toUtf8());
    const auto addDefault = [&](const QString &name, const QByteArray &value) {
        if (probeHeaderIndex(m_settings.connectHeaders, name) < 0)
            connectFrame.addHeader(name.toUtf8(), value);
    };
    addDefault(QStringLiteral("accept-version"),
        QByteArray(StompProbeSettings::kDefaultAcceptVersion.data(),
            StompProbeSettings::kDefaultAcceptVersion.size()));
    addDefault(QStringLiteral("heart-beat"),
        QByteArray(
            StompProbeSettings::kDefaultHeartBeat.data(), StompProbeSettings::kDefaultHeartBeat.size()));
    m_offer = protocol::StompHeartBeat::parse(connectFrame.header("heart-beat"))
                  .value_or(protocol::StompHeartBeat {});
    if (const QByteArray login = connectFrame.header("login"); !login.isEmpty())
        m_user = QString::fromUtf8(login);
    // Written directly: sendFrame() holds frames until CONNECTED.
    const QByteArray bytes = protocol::StompEncoder::encode(connectFrame, protocol::StompVersion::V1_2);
    writeWire(bytes);
    emit frame(traffic(connectFrame, TrafficFrame::Direction::In, bytes.size()));
}

void StompProbeClient::sendFrame(const StompFrame &frame)
{
    if (m_state == ProbeState::Connecting) {
        m_held.append(frame);
        return;
    }
    if (m_state != ProbeState::Live || !m_socket)
        return;
    const QByteArray bytes = protocol::StompEncoder::encode(frame, m_version);
    writeWire(bytes);
    emit this->frame(traffic(frame, TrafficFrame::Direction::In, bytes.size()));
}

void StompProbeClient::writeWire(const QByteArray &bytes)
{
    if (!m_socket)
        return;
    if (m_settings.sockJs)
        m_socket->sendTextMessage(QString::fromUtf8(protocol::SockJsFrame::encodeMessages({ bytes })));
    else if (protocol::isValidUtf8(bytes))
        m_socket->sendTextMessage(QString::fromUtf8(bytes));
    else
        m_socket->sendBinaryMessage(bytes); // a body that is not text must not be mangled
    // Anything we send counts as a heart-beat: the next EOL is due an interval from now.
    if (m_heartBeat.outgoingMs > 0 && m_state == ProbeState::Live)
        m_beatTimer->start(int(qMin<qint64>(m_heartBeat.outgoingMs, INT_MAX)));
}

void StompProbeClient::sendHeartBeat()
{
    if (m_state != ProbeState::Live)
        return;
    writeWire(QByteArray(protocol::StompEncoder::HeartBeat.data(), protocol::StompEncoder::HeartBeat.size()));
    ++m_beatsSent;
    if (!m_reportTimer->isActive())
        m_reportTimer->start();
}

void StompProbeClient::noteHeartBeatReceived()
{
    ++m_beatsReceived;
    if (!m_reportTimer->isActive())
        m_reportTimer->start();
}

void StompProbeClient::reportHeartBeats()
{
    emit heartBeatsChanged(m_beatsSent, m_beatsReceived);
}

void StompProbeClient::restartSilenceTimer()
{
    if (m_heartBeat.incomingMs > 0)
        m_silenceTimer->start(int(qMin<qint64>(m_heartBeat.incomingMs * 2, INT_MAX)));
}

void StompProbeClient::onSilence()
{
    if (m_state != ProbeState::Live)
        return;
    fail(QStringLiteral(
        "heart-beat timeout: the server sent nothing for %1 ms (its heart-beat interval is %2 ms)")
             .arg(m_heartBeat.incomingMs * 2)
             .arg(m_heartBeat.incomingMs));
}

void StompProbeClient::fail(const QString &error)
{
    if (m_state == ProbeState::Failed || m_state == ProbeState::Closed)
        return;
    qCDebug(lcStompProbe) << "failed:" << error;
    m_error = error;
    dropSocket();
    if (m_beatsSent || m_beatsReceived)
        reportHeartBeats();
    setState(ProbeState::Failed, error);
}

void StompProbeClient::finishClosed(const QString &detail)
{
    if (m_state == ProbeState::Failed || m_state == ProbeState::Closed)
        return;
    dropSocket();
    if (m_beatsSent || m_beatsReceived)
        reportHeartBeats();
    setState(ProbeState::Closed, detail);
}

void StompProbeClient::dropSocket()
{
    for (QTimer *timer : { m_connectTimer, m_beatTimer, m_silenceTimer, m_stopTimer, m_reportTimer })
        timer->stop();
    if (!m_socket)
        return;
    QWebSocket *socket = m_socket;
    m_socket = nullptr;
    // No late signal of the old socket may reach a new session.
    socket->disconnect(this);
    if (socket->state() == QAbstractSocket::ConnectedState)
        socket->close();
    else
        socket->abort();
    socket->deleteLater();
}

void StompProbeClient::setState(ProbeState state, const QString &detail)
{
    m_state = state;
    emit stateChanged(state, detail);
}

TrafficFrame StompProbeClient::traffic(
    const StompFrame &stomp, TrafficFrame::Direction direction, qint64 wireBytes) const
{
    TrafficFrame frame;
    frame.tsMs = QDateTime::currentMSecsSinceEpoch();
    frame.source = m_settings.source;
    frame.transport = TrafficFrame::Transport::Stomp;
    frame.direction = direction;
    frame.command = stompProbeCommandName(stomp.command());
    frame.destination = QString::fromUtf8(stomp.header("destination"));
    frame.user = m_user;
    frame.session = m_session;
    frame.messageId = QString::fromUtf8(stomp.header("message-id"));
    frame.bytes = wireBytes;
    ProbeHeaders headers;
    headers.reserve(stomp.headers().size());
    for (const auto &[name, value] : stomp.headers())
        headers.append({ QString::fromUtf8(name), QString::fromUtf8(value) });
    frame.setHeaders(probeMaskedHeaders(headers));
    frame.truncated = stomp.body().size() > m_settings.maxBodyBytes;
    frame.body = frame.truncated ? stomp.body().left(m_settings.maxBodyBytes) : stomp.body();
    return frame;
}

} // namespace sb::inspect
