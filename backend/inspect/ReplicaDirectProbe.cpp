#include "inspect/ReplicaDirectProbe.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace sb::inspect {

namespace {
QUrl directBase(const QString &address)
{
    return QUrl(address.contains(u"://") ? address : QStringLiteral("http://") + address);
}
} // namespace

ReplicaDirectProbe::ReplicaDirectProbe(QString id, const QString &address,
    const ReplicaDiscoveryConfig &config, QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_id(std::move(id))
    , m_base(directBase(address))
    , m_timeoutMs(qMax(100, config.httpTimeoutMs))
    , m_intervalMs(qMax(50, config.pollIntervalMs))
    , m_maxBackoffMs(qMax(config.pollIntervalMs, config.maxBackoffMs))
    , m_network(network)
{ }

ReplicaDirectProbe::~ReplicaDirectProbe()
{
    m_done = nullptr; // an abort below must not report to a discovery that is going away
    for (const QPointer<QNetworkReply> &reply : std::as_const(m_replies))
        if (reply)
            reply->abort();
}

ReplicaSourceStatus ReplicaDirectProbe::status() const
{
    ReplicaSourceStatus s;
    s.name = QStringLiteral("%1 probed at %2").arg(m_id, m_base.toDisplayString(QUrl::RemoveUserInfo));
    s.ok = m_hasOutcome && m_last.ok;
    s.error = !m_hasOutcome ? QStringLiteral("not probed yet") : m_last.error;
    s.consecutiveFailures = m_failures;
    s.nextAttempt = m_nextAttempt;
    return s;
}

void ReplicaDirectProbe::forget()
{
    m_last = Outcome {};
    m_hasOutcome = false;
    m_failures = 0;
    m_nextAttempt = {};
}

void ReplicaDirectProbe::poll(Done done)
{
    m_done = std::move(done);
    m_lastPolled = QDateTime::currentDateTimeUtc();
    m_reading = ReplicaDirectReading();
    m_replies.clear();
    m_waiting = 3;
    get(QStringLiteral("/healthz/live"), &m_reading.live);
    get(QStringLiteral("/healthz/ready"), &m_reading.ready);
    get(QStringLiteral("/metrics"), &m_reading.metrics);
}

void ReplicaDirectProbe::get(const QString &path, ReplicaDirectReading::Answer *into)
{
    QUrl url = m_base;
    url.setPath(path);
    QNetworkRequest request(url);
    // A stuck replica must not hold the poll (the transfer is aborted, as in HttpReplicaProbe).
    request.setTransferTimeout(m_timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    QNetworkReply *reply = m_network->get(request);
    m_replies.append(reply);
    connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64) {
        if (received > HttpReplicaProbe::kMaxBodyBytes)
            reply->abort();
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply, into] {
        reply->deleteLater();
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        into->reached = status.isValid() && reply->error() != QNetworkReply::OperationCanceledError;
        into->status = status.toInt();
        if (into->reached)
            into->body = reply->readAll();
        else // in the words of the registry's endpoints and the liveness checks
            into->error = HttpReplicaProbe::describe(reply);
        answered();
    });
}

void ReplicaDirectProbe::answered()
{
    if (--m_waiting > 0)
        return;
    m_replies.clear();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    ReplicaDirectReading::Verdict verdict = m_reading.judge(m_id);
    if (verdict.alive) {
        verdict.info.messagesInPerSecond = m_inRate.update(verdict.counters.messagesIn, now);
        verdict.info.messagesOutPerSecond = m_outRate.update(verdict.counters.messagesOut, now);
        m_failures = 0;
        m_nextAttempt = {};
        m_last = Outcome { true, {}, std::move(verdict.info) };
    } else {
        ++m_failures;
        const qint64 delay = HttpReplicaProbe::retryDelayMs(m_failures, m_intervalMs, m_maxBackoffMs);
        m_nextAttempt = now.addMSecs(delay - m_intervalMs / 2);
        m_last = Outcome { false, verdict.failure, {} };
    }
    m_hasOutcome = true;
    Done done = std::move(m_done);
    m_done = nullptr;
    if (done)
        done(m_last);
}

} // namespace sb::inspect
