#include "inspect/ReplicaLivenessChecks.h"

#include "inspect/ReplicaDecoder.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <algorithm>

namespace sb::inspect {

namespace {
QUrl readinessUrl(const QString &address)
{
    QUrl url(address.contains(u"://") ? address : QStringLiteral("http://") + address);
    url.setPath(QStringLiteral("/healthz/ready"));
    return url;
}

bool flagSet(const QMap<QByteArray, QByteArray> &fields, const char *name)
{
    return ReplicaDecoder::parseBool(fields.value(name)).value_or(false);
}

} // namespace

ReplicaLivenessChecks::ReplicaLivenessChecks(
    const ReplicaDiscoveryConfig &config, QNetworkAccessManager *network, QObject *owner)
    : m_timeoutMs(qMax(100, config.httpTimeoutMs))
    , m_intervalMs(qMax(50, config.pollIntervalMs))
    , m_maxBackoffMs(qMax(config.pollIntervalMs, config.maxBackoffMs))
    , m_maxPerPoll(qMax(1, config.maxLivenessChecksPerPoll))
    , m_network(network)
    , m_owner(owner)
{ }

ReplicaLivenessChecks::~ReplicaLivenessChecks()
{
    for (Replica &replica : m_replicas)
        abort(replica);
}

void ReplicaLivenessChecks::abort(Replica &replica)
{
    if (QNetworkReply *reply = replica.reply) {
        replica.reply = nullptr;
        reply->disconnect(); // its `done` must not run for a check nobody waits for
        reply->abort();
        reply->deleteLater();
    }
}

int ReplicaLivenessChecks::checkListed(
    const RegistryScanner::Result &registry, const std::function<void()> &done)
{
    if (!registry.ok)
        return 0; // unreadable: the fallback probes ask everyone
    for (auto it = m_replicas.begin(); it != m_replicas.end();) {
        const auto listed = registry.nodes.constFind(it.key());
        if (listed != registry.nodes.cend() && !flagSet(*listed, "left")) {
            ++it;
            continue;
        }
        // No longer listed (ReplicaFallbackProbes asks it from now on), or its drain finished:
        // its address is expected to refuse.
        abort(*it);
        it = m_replicas.erase(it);
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QList<QString> due;
    for (auto it = registry.nodes.cbegin(); it != registry.nodes.cend(); ++it) {
        const QString address = QString::fromUtf8(it.value().value("address")).trimmed();
        if (address.isEmpty() || flagSet(it.value(), "left"))
            continue;
        Replica &replica = m_replicas[it.key()];
        if (replica.address != address) {
            abort(replica); // a restart on another address: what the old one said is void
            replica = Replica {};
            replica.address = address;
        }
        replica.draining = flagSet(it.value(), "draining");
        if (!replica.reply && (!replica.nextAttempt.isValid() || now >= replica.nextAttempt))
            due.append(it.key());
    }
    // Never asked (an invalid time) sorts first, then the longest-unasked.
    std::sort(due.begin(), due.end(), [this](const QString &a, const QString &b) {
        const QDateTime &atA = m_replicas[a].lastAsked;
        const QDateTime &atB = m_replicas[b].lastAsked;
        if (!atA.isValid() || !atB.isValid())
            return !atA.isValid() && atB.isValid();
        return atA < atB;
    });
    const int started = int(qMin<qsizetype>(due.size(), m_maxPerPoll));
    for (int i = 0; i < started; ++i)
        start(due.at(i), m_replicas[due.at(i)], done);
    return started;
}

void ReplicaLivenessChecks::start(const QString &id, Replica &replica, const std::function<void()> &done)
{
    QNetworkRequest request(readinessUrl(replica.address));
    // A stopped replica (SIGSTOP, a hung host) is down once this passes; a killed one on a
    // reachable host refuses at once.
    request.setTransferTimeout(m_timeoutMs);
    QNetworkReply *reply = m_network->get(request);
    replica.reply = reply;
    replica.lastAsked = QDateTime::currentDateTimeUtc();
    QObject::connect(reply, &QNetworkReply::finished, m_owner, [this, id, reply, done] {
        reply->deleteLater();
        const auto it = m_replicas.find(id);
        if (it == m_replicas.end() || it->reply != reply)
            return; // forgotten, or moved to another address meanwhile
        it->reply = nullptr;
        // Any HTTP status is an answer: 503 is alive and not ready, which the registry says too.
        const bool reached = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid()
            && reply->error() != QNetworkReply::OperationCanceledError;
        if (reached) {
            it->answered = true;
            it->error.clear();
            it->failures = 0;
            it->refused = false;
            it->nextAttempt = {};
        } else {
            it->error = HttpReplicaProbe::describe(reply);
            it->refused = reply->error() == QNetworkReply::ConnectionRefusedError;
            ++it->failures;
            // One that answered before is asked every poll (it is down while this fails); one
            // that never did backs off, as an unreachable endpoint does.
            if (!it->answered)
                it->nextAttempt = QDateTime::currentDateTimeUtc().addMSecs(
                    HttpReplicaProbe::retryDelayMs(it->failures, m_intervalMs, m_maxBackoffMs)
                    - m_intervalMs / 2);
        }
        done();
    });
}

QString ReplicaLivenessChecks::failure(const QString &id) const
{
    const auto it = m_replicas.constFind(id);
    if (it == m_replicas.cend() || !it->answered || it->error.isEmpty())
        return {};
    // One missed deadline is not down; nor is one refusal at the end of a drain.
    if ((!it->refused || it->draining) && it->failures < kFailuresBeforeDown)
        return {};
    const QString url = readinessUrl(it->address).toDisplayString(QUrl::RemoveUserInfo);
    if (it->draining)
        return QStringLiteral(
            "the registry still lists it draining (until its key expires), but %1 stopped answering: %2")
            .arg(url, it->error);
    return QStringLiteral("the registry still lists it (until its key expires), but %1 stopped answering: %2")
        .arg(url, it->error);
}

} // namespace sb::inspect
