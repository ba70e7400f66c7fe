#include "inspect/TapClient.h"

#include "inspect/TrafficBatcher.h"
#include "protocol/NodeApi.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace sb::inspect {

Q_LOGGING_CATEGORY(lcTap, "sb.inspect.tap", QtInfoMsg)

namespace {
constexpr QLatin1String kTapPath("/admin/tap");
}

TapClient::TapClient(TapEndpoint endpoint, TapCredentials credentials, TrafficBatcher *sink, QObject *parent)
    : QObject(parent)
    , m_endpoint(std::move(endpoint))
    , m_credentials(std::move(credentials))
    , m_sink(sink)
    , m_http(this) // parented, so moveToThread() takes them along
    , m_retry(this)
    , m_lagging(this)
{
    m_status.id = m_endpoint.id;
    m_status.kind = QStringLiteral("tap");
    m_status.since = QDateTime::currentDateTimeUtc();
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &TapClient::login);
    m_lagging.setSingleShot(true);
    m_lagging.setInterval(kLaggingHoldMs);
    connect(&m_lagging, &QTimer::timeout, this, [this] {
        if (m_status.state == TapSourceStatus::State::Lagging)
            setState(TapSourceStatus::State::Live, {});
    });
}

TapClient::~TapClient()
{
    stop();
}

QUrl TapClient::tapUrl(const QUrl &baseUrl)
{
    QUrl url = baseUrl;
    url.setScheme(baseUrl.scheme() == u"https" || baseUrl.scheme() == u"wss" ? QStringLiteral("wss")
                                                                             : QStringLiteral("ws"));
    url.setPath(kTapPath);
    url.setQuery(QString());
    url.setFragment(QString());
    return url;
}

void TapClient::start()
{
    if (m_running)
        return;
    m_running = true;
    login();
}

void TapClient::stop()
{
    m_running = false;
    m_retry.stop();
    m_lagging.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    if (m_status.state != TapSourceStatus::State::Stopped)
        setState(TapSourceStatus::State::Stopped, {});
}

void TapClient::login()
{
    if (!m_running)
        return;
    setState(TapSourceStatus::State::Connecting,
        m_status.reconnects > 0 ? QStringLiteral("reconnecting (attempt %1)").arg(m_status.reconnects)
                                : QString());
    if (m_credentials.user.isEmpty()) {
        open(m_credentials.token);
        return;
    }
    QUrl url = m_endpoint.baseUrl;
    url.setPath(protocol::nodeapi::LoginPath);
    url.setQuery(QString());
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setTransferTimeout(kLoginTimeoutMs);
    QNetworkReply *reply
        = m_http.post(request, protocol::nodeapi::loginBody(m_credentials.user, m_credentials.password));
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (!m_running)
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 401 || status == 403) {
            refuse(
                QStringLiteral("admin login as '%1' refused (HTTP %2)").arg(m_credentials.user).arg(status));
            return;
        }
        if (reply->error() != QNetworkReply::NoError) {
            retryLater(QStringLiteral("login failed: %1").arg(reply->errorString()));
            return;
        }
        const QByteArray token = protocol::nodeapi::accessToken(reply->readAll());
        if (token.isEmpty()) {
            retryLater(QStringLiteral("login answered without an access token"));
            return;
        }
        open(token);
    });
}

void TapClient::open(const QByteArray &token)
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    // A tap stream is bursty: the node bounds what it queues for us, and what we cannot
    // take it drops and tells us about, so no limit on our side beyond Qt's defaults.
    connect(m_socket, &QWebSocket::connected, this, [this] {
        m_retryMs = kFirstRetryMs;
        setState(TapSourceStatus::State::Live, {});
    });
    connect(m_socket, &QWebSocket::textMessageReceived, this, &TapClient::onText);
    connect(m_socket, &QWebSocket::disconnected, this, &TapClient::onClosed);
    QNetworkRequest request(tapUrl(m_endpoint.baseUrl));
    if (!token.isEmpty())
        request.setRawHeader(QByteArrayLiteral("Authorization"), QByteArrayLiteral("Bearer ") + token);
    m_socket->open(request);
}

void TapClient::onText(const QString &message)
{
    // A message carries one frame or a batch of them, one per line (docs/protocol.md):
    // JSON escapes every newline inside a string, so a raw one only separates frames.
    const QByteArray lines = message.toUtf8();
    qsizetype from = 0;
    while (from < lines.size()) {
        qsizetype to = lines.indexOf('\n', from);
        if (to < 0)
            to = lines.size();
        if (to > from)
            onFrame(QByteArrayView(lines).sliced(from, to - from));
        from = to + 1;
    }
}

void TapClient::onFrame(QByteArrayView json)
{
    if (const auto dropped = protocol::TapFrameCodec::droppedNotice(json)) {
        m_status.droppedBySource = *dropped;
        setState(TapSourceStatus::State::Lagging,
            QStringLiteral("the node dropped %1 frames for this reader: it read too slowly").arg(*dropped));
        m_lagging.start();
        return;
    }
    QString error;
    auto frame = m_codec.decode(json, &error, m_endpoint.id);
    if (!frame) {
        if (++m_badFrames <= 3)
            qCWarning(lcTap).noquote() << m_endpoint.id << "sent a tap frame that is not one:" << error;
        return;
    }
    // decode() named the source after the endpoint when the node did not name itself; a node
    // that does is the id the Replicas area shows too (its registry key).
    m_sink->add(std::move(*frame));
}

void TapClient::onClosed()
{
    if (!m_running || !m_socket)
        return;
    const QString reason
        = m_socket->closeReason().isEmpty() ? m_socket->errorString() : m_socket->closeReason();
    // Qt reports a refused WebSocket handshake only in its error text ("… 401 …").
    if (reason.contains(u"401") || reason.contains(u"403")) {
        refuse(QStringLiteral("the tap refused these credentials: %1").arg(reason));
        return;
    }
    retryLater(reason.isEmpty() ? QStringLiteral("connection closed") : reason);
}

void TapClient::retryLater(const QString &reason)
{
    if (!m_running)
        return;
    ++m_status.reconnects;
    setState(TapSourceStatus::State::Down,
        QStringLiteral("%1; retrying in %2 s").arg(reason).arg(m_retryMs / 1000));
    m_retry.start(m_retryMs);
    m_retryMs = qMin(m_retryMs * 2, kMaxRetryMs);
}

void TapClient::refuse(const QString &reason)
{
    qCWarning(lcTap).noquote() << m_endpoint.id << reason;
    setState(TapSourceStatus::State::Refused, reason);
}

void TapClient::setState(TapSourceStatus::State state, const QString &detail)
{
    if (state != m_status.state)
        m_status.since = QDateTime::currentDateTimeUtc();
    m_status.state = state;
    m_status.detail = detail;
    m_sink->setStatus(m_status);
}

} // namespace sb::inspect
