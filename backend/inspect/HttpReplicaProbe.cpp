#include "inspect/HttpReplicaProbe.h"

#include "inspect/ReplicaDecoder.h"
#include "protocol/NodeApi.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace sb::inspect {

// Per-endpoint failures are routine during outages: debug by default, enable with
// QT_LOGGING_RULES="sb.inspect.replicas.debug=true".
Q_LOGGING_CATEGORY(lcReplicaProbe, "sb.inspect.replicas", QtInfoMsg)

using sb::protocol::PrometheusTextParser;

namespace {
// host:port without user info (a password in a URL never reaches a row or a log).
QString hostPort(const QUrl &url)
{
    const int port = url.port(url.scheme() == u"https" ? 443 : 80);
    const QString host = url.host().contains(QLatin1Char(':')) ? u'[' + url.host() + u']' : url.host();
    return host + QLatin1Char(':') + QString::number(port);
}
} // namespace

HttpReplicaProbe::HttpReplicaProbe(Kind kind, QUrl url, const ReplicaDiscoveryConfig &config,
    QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_kind(kind)
    , m_url(std::move(url))
    , m_timeoutMs(qMax(100, config.httpTimeoutMs))
    , m_intervalMs(qMax(50, config.pollIntervalMs))
    , m_maxBackoffMs(qMax(config.pollIntervalMs, config.maxBackoffMs))
    , m_network(network)
    , m_token(config.adminToken)
    , m_user(config.adminUser)
    , m_password(config.adminPassword)
{
    m_lastId = hostPort(m_url);
    if (m_kind == Kind::Metrics) {
        const QString metric = config.connectionMetric.trimmed().isEmpty()
            ? QStringLiteral("sb_connections")
            : config.connectionMetric.trimmed();
        if (const auto series = PrometheusTextParser::parseSeries(metric.toUtf8(), &m_seriesError))
            m_series = *series;
        else
            m_seriesError = QStringLiteral("bad connection metric '%1': %2").arg(metric, m_seriesError);
    }
}

HttpReplicaProbe::~HttpReplicaProbe()
{
    if (m_reply)
        m_reply->abort();
}

ReplicaSourceStatus HttpReplicaProbe::status() const
{
    ReplicaSourceStatus s;
    s.name = m_url.toDisplayString(QUrl::RemoveUserInfo);
    s.ok = m_hasOutcome && m_last.ok;
    s.pending = !m_hasOutcome;
    s.error = !m_hasOutcome ? QStringLiteral("not polled yet") : m_last.error;
    s.consecutiveFailures = m_failures;
    s.nextAttempt = m_nextAttempt;
    return s;
}

QNetworkRequest HttpReplicaProbe::request(const QUrl &url) const
{
    QNetworkRequest request(url);
    // A stuck endpoint must not hold the poll: Qt aborts the transfer after this long
    // without progress, which arrives here as OperationCanceledError.
    request.setTransferTimeout(m_timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    return request;
}

QNetworkReply *HttpReplicaProbe::track(QNetworkReply *reply)
{
    m_reply = reply;
    // A hostile or broken endpoint streaming an endless body is cut off, not buffered.
    connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64) {
        if (received > kMaxBodyBytes)
            reply->abort();
    });
    return reply;
}

void HttpReplicaProbe::poll(Done done)
{
    m_busy = true;
    m_done = std::move(done);
    if (!m_seriesError.isEmpty()) {
        QMetaObject::invokeMethod(
            this, [this] { fail(m_seriesError); }, Qt::QueuedConnection);
        return;
    }
    if (m_kind == Kind::AdminStats && m_token.isEmpty() && !m_user.isEmpty())
        login();
    else
        fetch(m_kind == Kind::AdminStats && !m_user.isEmpty());
}

void HttpReplicaProbe::login()
{
    QUrl loginUrl = m_url;
    loginUrl.setPath(protocol::nodeapi::LoginPath);
    loginUrl.setQuery(QString());
    QNetworkRequest req = request(loginUrl);
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = track(m_network->post(req, protocol::nodeapi::loginBody(m_user, m_password)));
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (reply->error() != QNetworkReply::NoError) {
            fail(QStringLiteral("login failed: ") + describe(reply));
            return;
        }
        m_token = protocol::nodeapi::accessToken(reply->readAll());
        if (m_token.isEmpty()) {
            fail(QStringLiteral("login answered without an accessToken"));
            return;
        }
        fetch(false);
    });
}

void HttpReplicaProbe::fetch(bool mayLoginAgain)
{
    QNetworkRequest req = request(m_url);
    if (m_kind == Kind::AdminStats && !m_token.isEmpty())
        req.setRawHeader(QByteArrayLiteral("Authorization"), QByteArrayLiteral("Bearer ") + m_token);
    if (m_kind == Kind::Metrics)
        req.setRawHeader(QByteArrayLiteral("Accept"), QByteArrayLiteral("text/plain; version=0.0.4"));
    QNetworkReply *reply = track(m_network->get(req));
    connect(reply, &QNetworkReply::finished, this, [this, reply, mayLoginAgain] {
        reply->deleteLater();
        onFetched(reply, mayLoginAgain);
    });
}

void HttpReplicaProbe::onFetched(QNetworkReply *reply, bool mayLoginAgain)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 401 && mayLoginAgain) {
        // The token expired or the replica restarted with another secret: log in once more.
        m_token.clear();
        login();
        return;
    }
    if (reply->error() != QNetworkReply::NoError) {
        fail(describe(reply));
        return;
    }
    const QByteArray body = reply->readAll();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    ReplicaDecoder::Counters counters;
    ReplicaInfo info;
    if (m_kind == Kind::AdminStats) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
        if (!doc.isObject()) {
            fail(QStringLiteral("/admin/stats is not a JSON object (%1)").arg(error.errorString()));
            return;
        }
        info = ReplicaDecoder::fromAdminStats(doc.object(), m_lastId, &counters);
    } else {
        const PrometheusTextParser::Result scrape = PrometheusTextParser::parse(body);
        if (scrape.samples.isEmpty() && scrape.errorCount > 0) {
            const auto &first = scrape.errors.constFirst();
            fail(QStringLiteral("not Prometheus text: line %1: %2").arg(first.line).arg(first.message));
            return;
        }
        QString problem;
        info = ReplicaDecoder::fromPrometheus(scrape, m_series, m_lastId, &counters, &problem);
        if (scrape.errorCount > 0)
            info.detail = QStringLiteral("%1 malformed line(s) skipped, first at line %2: %3")
                              .arg(scrape.errorCount)
                              .arg(scrape.errors.constFirst().line)
                              .arg(scrape.errors.constFirst().message);
        else
            info.detail = problem;
    }
    info.address = hostPort(m_url);
    info.messagesInPerSecond = m_inRate.update(counters.messagesIn, now);
    info.messagesOutPerSecond = m_outRate.update(counters.messagesOut, now);
    succeed(std::move(info));
}

QString HttpReplicaProbe::describe(QNetworkReply *reply)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    switch (reply->error()) {
    case QNetworkReply::OperationCanceledError:
        return QStringLiteral("no answer in time (timeout) or body over the size limit");
    case QNetworkReply::ConnectionRefusedError:
        return QStringLiteral("connection refused");
    case QNetworkReply::HostNotFoundError:
        return QStringLiteral("host not found");
    case QNetworkReply::RemoteHostClosedError:
        return QStringLiteral("connection closed");
    default:
        break;
    }
    if (status == 401)
        return QStringLiteral("HTTP 401: not authorised (set an admin token or credentials)");
    if (status == 403)
        return QStringLiteral("HTTP 403: the credentials lack the admin role");
    if (status != 0)
        return QStringLiteral("HTTP %1").arg(status);
    return reply->errorString();
}

void HttpReplicaProbe::succeed(ReplicaInfo info)
{
    m_lastId = info.id;
    m_failures = 0;
    m_nextAttempt = {};
    m_last = Outcome { true, {}, std::move(info) };
    m_hasOutcome = true;
    finish();
}

void HttpReplicaProbe::fail(const QString &error)
{
    ++m_failures;
    const qint64 delay = retryDelayMs(m_failures, m_intervalMs, m_maxBackoffMs);
    m_nextAttempt = QDateTime::currentDateTimeUtc().addMSecs(delay - m_intervalMs / 2);
    m_last = Outcome { false, error, {} };
    m_hasOutcome = true;
    qCDebug(lcReplicaProbe) << m_url.toDisplayString(QUrl::RemoveUserInfo) << "failed:" << error << "retry in"
                            << delay << "ms";
    finish();
}

qint64 HttpReplicaProbe::retryDelayMs(int failures, int intervalMs, int maxBackoffMs)
{
    // A dead endpoint costs little, a flapping one is seen again quickly.
    return qMin<qint64>(qint64(intervalMs) << qBound(0, failures - 1, 16), maxBackoffMs);
}

void HttpReplicaProbe::finish()
{
    m_busy = false;
    m_reply = nullptr;
    Done done = std::move(m_done);
    m_done = nullptr;
    if (done)
        done(m_last);
}

} // namespace sb::inspect
